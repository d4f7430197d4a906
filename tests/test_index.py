"""The verification index is generated from the saved notebooks and must be current."""

import json

import nbformat

from mathdl import index


def test_committed_index_is_up_to_date():
    expected = index.render(index.collect())
    current = (index.ROOT / index.INDEX_PATH).read_text(encoding="utf-8")
    assert current == expected, "appendices/verification-index.md is stale: run `make index`"


def test_index_lists_the_chapter_one_derivations():
    labels = {row["label"] for row in index.collect()}
    assert {"eq-sigmoid-derivative", "eq-tanh-derivative"} <= labels


def test_collect_reads_verification_lines_from_stdout(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "appendices").mkdir()
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# A page"),
        nbformat.v4.new_code_cell("check()", outputs=[nbformat.v4.new_output(
            "stream", name="stdout", text="noise\nverified eq-a: symbolic exact; numeric < 1e-7\n"
                                          "verified eq-b [tanh form]: symbolic exact\n")]),
    ])
    nbformat.write(nb, tmp_path / "chapters" / "page.ipynb")
    rows = index.collect(tmp_path)
    assert rows == [{"label": "eq-a", "what": "symbolic exact; numeric < 1e-7",
                     "doc": "chapters/page", "title": "A page"},
                    {"label": "eq-b", "what": "tanh form: symbolic exact",
                     "doc": "chapters/page", "title": "A page"}]
    page = index.render(rows)
    assert ("| {eq}`eq-a` | `eq-a` | {doc}`/chapters/page` | symbolic exact; numeric < 1e-7 |"
            in page)
    assert index.main(["check", "--root", str(tmp_path)]) == 1   # no page yet: stale
    assert index.main(["write", "--root", str(tmp_path)]) == 0
    assert index.main(["check", "--root", str(tmp_path)]) == 0
    json.loads((tmp_path / "chapters" / "page.ipynb").read_text())


def test_only_pages_in_the_table_of_contents_count_in_reading_order(tmp_path):
    for name in ("b", "a", "draft"):
        (tmp_path / "chapters").mkdir(exist_ok=True)
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("", outputs=[
            nbformat.v4.new_output("stream", name="stdout", text=f"verified eq-{name}: ok\n")])])
        nbformat.write(nb, tmp_path / "chapters" / f"{name}.ipynb")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nparts:\n  - chapters:\n      - file: chapters/b\n"
        "        sections:\n          - file: chapters/a\n")
    assert [row["label"] for row in index.collect(tmp_path)] == ["eq-b", "eq-a"]
