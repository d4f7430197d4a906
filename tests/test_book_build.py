"""A build that cannot lie: a raising cell or a broken reference fails the build.

Each test builds a tiny throw-away book with the project's own _config.yml, so
what is proved here is what `make book` and `make test` do.
"""

import pathlib
import re
import shutil
import subprocess
import sys
import textwrap

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
JUPYTER_BOOK = pathlib.Path(sys.executable).with_name("jupyter-book")

pytestmark = pytest.mark.slow
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def make_book(tmp_path, cells, extra_md=""):
    shutil.copy(ROOT / "_config.yml", tmp_path / "_config.yml")
    shutil.copytree(ROOT / "_ext", tmp_path / "_ext")
    (tmp_path / "references.bib").write_text("")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n  - file: page\n")
    (tmp_path / "intro.md").write_text("# Throw-away book\n\n" + extra_md)
    nb = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(nb, tmp_path / "page.ipynb")
    return tmp_path


class Result:
    def __init__(self, completed):
        self.returncode = completed.returncode
        self.output = ANSI.sub("", completed.stdout + completed.stderr)


def build(path):
    return Result(subprocess.run([str(JUPYTER_BOOK), "build", str(path), "-n", "-W", "--keep-going"],
                                 capture_output=True, text=True, timeout=600))


def test_a_good_book_builds(tmp_path):
    book = make_book(tmp_path, [nbformat.v4.new_markdown_cell("# Page\n\n$$\na = 1\n$$ (eq-a)\n"),
                                nbformat.v4.new_code_cell("print(1 + 1)")],
                     extra_md="See {eq}`eq-a`.\n")
    result = build(book)
    assert result.returncode == 0, result.output[-5000:]
    assert (book / "_build" / "html" / "page.html").exists()


def test_a_cell_that_raises_fails_the_build(tmp_path):
    book = make_book(tmp_path, [nbformat.v4.new_markdown_cell("# Page"),
                                nbformat.v4.new_code_cell("raise ValueError('deliberate')")])
    result = build(book)
    assert result.returncode != 0
    assert "ValueError: deliberate" in result.output


def test_a_cell_tagged_raises_exception_is_allowed(tmp_path):
    cell = nbformat.v4.new_code_cell("raise ValueError('on purpose')")
    cell.metadata["tags"] = ["raises-exception"]
    result = build(make_book(tmp_path, [nbformat.v4.new_markdown_cell("# Page"), cell]))
    assert result.returncode == 0, result.output[-5000:]


def test_a_broken_equation_reference_fails_the_build(tmp_path):
    book = make_book(tmp_path, [nbformat.v4.new_markdown_cell("# Page\n\nSee {eq}`eq-missing`.")])
    result = build(book)
    assert result.returncode != 0
    assert "eq-missing" in result.output


def test_a_missing_citation_fails_the_build(tmp_path):
    book = make_book(tmp_path, [nbformat.v4.new_markdown_cell(textwrap.dedent("""\
        # Page

        As shown by {cite}`nobody2099`.
        """))])
    result = build(book)
    assert result.returncode != 0
    assert "nobody2099" in result.output
