"""Show the real source of a ``mathdl`` object in a chapter.

Chapters never paste code: they call :func:`show_source`, which reads the
function or class from the installed package with :mod:`inspect`, so the page
shows exactly the code the tests run.
"""

from __future__ import annotations

import inspect
import pathlib

__all__ = ["show_source", "source_markdown"]

_PACKAGE_ROOT = pathlib.Path(__file__).resolve().parent.parent


def source_markdown(obj) -> str:
    """Markdown: a caption naming the file and lines, then the code in a fence."""
    if not (inspect.isfunction(obj) or inspect.isclass(obj) or inspect.ismethod(obj)):
        raise TypeError(f"obj must be a function, method or class, got {type(obj).__name__}")
    lines, start = inspect.getsourcelines(obj)
    path = pathlib.Path(inspect.getsourcefile(obj)).resolve()
    try:
        shown = path.relative_to(_PACKAGE_ROOT).as_posix()
    except ValueError:
        shown = path.name
    end = start + len(lines) - 1
    name = f"{obj.__module__}.{obj.__qualname__}"
    return (f"`{name}`, from `{shown}`, lines {start}–{end}:\n\n"
            "```python\n" + "".join(lines).rstrip() + "\n```\n")


def show_source(*objs):
    """Display the source of one or more functions or classes (as Markdown)."""
    from IPython.display import Markdown, display
    for obj in objs:
        display(Markdown(source_markdown(obj)))
