"""Chapters show mathdl's real source, never a pasted copy."""

import inspect

import pytest

from mathdl import activations as act
from mathdl.source import source_markdown


def test_source_markdown_is_the_real_source_with_file_and_lines():
    text = source_markdown(act.sigmoid_derivative)
    lines, start = inspect.getsourcelines(act.sigmoid_derivative)
    assert "".join(lines).rstrip() in text
    assert text.startswith("`mathdl.activations.sigmoid_derivative`, from `mathdl/activations.py`, "
                           f"lines {start}–{start + len(lines) - 1}:")
    assert "```python\n" in text


def test_source_markdown_of_a_class():
    assert "class Sigmoid" in source_markdown(act.Sigmoid)


def test_source_markdown_rejects_other_objects():
    with pytest.raises(TypeError, match="obj must be a function"):
        source_markdown(42)
