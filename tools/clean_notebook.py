"""Remove run-specific noise from executed notebooks (used by `make execute`).

nbclient stores the state of every displayed widget (random model ids) in the
notebook's metadata. The saved notebooks only need the outputs nbval compares,
so the widget state is dropped; a reader's Jupyter recreates widgets on a run.
Consecutive pieces of the same output stream (how they are split depends on when
the kernel flushed) are joined into one, as a reader sees them.
Usage: python tools/clean_notebook.py NOTEBOOK [NOTEBOOK ...]
"""

import sys

import nbformat


def clean(path: str) -> None:
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            merged = []
            for out in cell.outputs:
                if (merged and out.output_type == "stream" and merged[-1].output_type == "stream"
                        and merged[-1].name == out.name):
                    merged[-1].text += out.text
                else:
                    merged.append(out)
            cell.outputs = merged
    nbformat.write(nb, path)


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        clean(arg)
