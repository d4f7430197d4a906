"""Checks of the built website in _build/html (run by `make test` after the build)."""

import os
import pathlib

import pytest

from mathdl import index
from site_checks import external_resources_in_css, external_resources_in_html, html_pages

ROOT = pathlib.Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"

pytestmark = pytest.mark.site


@pytest.fixture(scope="module")
def site():
    if not (HTML / "index.html").exists():
        message = "no built site in _build/html: run `make book` (make test builds it first)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return HTML


def test_the_pages_of_the_book_are_built(site):
    for page in ["index.html", "intro.html", "chapters/01-neuron/neuron.html",
                 "appendices/verification-index.html", "appendices/glossary.html",
                 "appendices/bibliography.html", "search.html"]:
        assert (site / page).exists(), page


def test_no_page_loads_anything_from_another_host(site):
    offenders = {}
    for page in html_pages(site):
        found = external_resources_in_html(page.read_text(encoding="utf-8"))
        if found:
            offenders[str(page.relative_to(site))] = found
    for css in (site / "_static").rglob("*.css"):
        found = external_resources_in_css(css.read_text(encoding="utf-8", errors="replace"))
        if found:
            offenders[str(css.relative_to(site))] = found
    assert not offenders, offenders


def test_mathjax_is_local_and_no_widget_javascript_comes_from_a_cdn(site):
    page = (site / "chapters/01-neuron/neuron.html").read_text(encoding="utf-8")
    assert "_static/mathjax/tex-chtml.js" in page
    assert (site / "_static" / "mathjax" / "tex-chtml.js").exists()
    for text in (p.read_text(encoding="utf-8") for p in html_pages(site)):
        assert "require.min.js" not in text and "html-manager" not in text


def test_the_verification_index_page_lists_every_checked_formula(site):
    page = (site / "appendices/verification-index.html").read_text(encoding="utf-8")
    for row in index.collect():   # Sphinx lower-cases equation ids; links are relative to appendices/
        target = os.path.relpath(f'{row["doc"]}.html', "appendices")
        assert f'href="{target}#equation-{row["label"].lower()}"' in page, row["label"]


def test_the_chapter_shows_the_checked_chains(site):
    page = (site / "chapters/01-neuron/neuron.html").read_text(encoding="utf-8")
    assert page.count("\\checkmark") >= 9   # 5 + 4 + 4 steps, as MathJax source
    assert "verified eq-sigmoid-derivative: derivation of 5 steps" in page
