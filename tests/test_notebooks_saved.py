"""The saved notebooks are what readers download: no error outputs, no warnings on stderr.

nbval compares a fresh run with the saved outputs, but an error that was saved (for
example a figure that matplotlib failed to render, which nbconvert records and carries
on) would be reproduced and pass. This test reads the saved files themselves.
"""

import json
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(ROOT.glob("chapters/*/*.ipynb")) + sorted(ROOT.glob("appendices/*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_saved_notebook_has_no_errors_or_warnings(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    bad = []
    for index, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            if out["output_type"] == "error":
                bad.append(f"cell {index}: {out.get('ename')}: {out.get('evalue', '')[:120]}")
            elif out["output_type"] == "stream" and out.get("name") == "stderr":
                bad.append(f"cell {index}: stderr: {''.join(out.get('text', ''))[:120]}")
    assert not bad, "\n".join(bad)


def test_there_are_notebooks_to_check():
    assert len(NOTEBOOKS) >= 10
