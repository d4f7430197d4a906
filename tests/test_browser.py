"""Every page of the built site in headless Chromium, offline, as a reader sees it.

Runs after the build in `make test` (marker ``site``). Each check is proved able
to fail by ``test_browser_fixtures.py``, on small pages broken on purpose.
"""

import os

import pytest

import browser as br

pytestmark = pytest.mark.site


@pytest.fixture(scope="module")
def site():
    if not (br.HTML / "index.html").exists():
        message = "no built site in _build/html: run `make book` (make test builds it first)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with br.serve() as base:
        yield base


@pytest.fixture(scope="module")
def chromium(site):
    try:
        with br.browser() as b:
            yield b
    except br.NoBrowser as exc:
        if os.environ.get("CI"):
            pytest.fail(str(exc))
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def context(chromium):
    ctx = chromium.new_context(viewport=br.DESKTOP)
    yield ctx
    ctx.close()


@pytest.fixture(scope="module")
def phone(chromium):
    ctx = chromium.new_context(viewport=br.PHONE)
    yield ctx
    ctx.close()


PAGES = br.pages() if (br.HTML / "index.html").exists() else ["index.html"]


@pytest.mark.parametrize("page", PAGES)
def test_page_reads_cleanly_offline(site, context, page):
    seen = br.visit(context, site, page)
    problems = seen.problems() + br.broken_links(seen.links, site)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", PAGES)
def test_page_reads_cleanly_at_phone_width(site, phone, page):
    seen = br.visit(phone, site, page)
    assert not seen.problems(), "\n".join(seen.problems())


def test_every_chapter_page_has_typeset_math(site, context):
    seen = br.visit(context, site, "chapters/01-neuron/neuron.html")
    assert seen.math_elements > 10 and seen.typeset_elements >= seen.math_elements


def test_search_works_offline(site, context):
    tab = _offline_tab(context, site)
    tab.goto(site + "intro.html")
    tab.keyboard.press("Control+k")
    box = tab.locator("input[name='q']:visible").first
    box.fill("sigmoid")
    box.press("Enter")
    tab.wait_for_url("**/search.html?q=sigmoid*")
    results = tab.locator("#search-results ul.search li")
    results.first.wait_for(timeout=15000)
    titles = results.all_inner_texts()
    tab.close()
    assert any("neuron" in t.lower() for t in titles), titles


def _offline_tab(context, site):
    """A new tab in which every request to another host is aborted."""
    tab = context.new_page()
    tab.route("**/*", lambda r: r.continue_() if r.request.url.startswith(site) else r.abort())
    return tab


def _chapter(context, site):
    tab = _offline_tab(context, site)
    tab.goto(site + "chapters/01-neuron/neuron.html", wait_until="load")
    tab.locator("button.copybtn").first.wait_for()   # added by sphinx-copybutton's script
    return tab


def test_reader_comforts_on_a_chapter_page(site, context):
    tab = _chapter(context, site)
    # download buttons for the notebook and the page source
    downloads = tab.locator("a[href$='.ipynb']")
    assert downloads.count() >= 1
    assert (br.HTML / "_sources/chapters/01-neuron/neuron.ipynb").exists()
    # numbered figures and equations
    assert tab.locator(".caption-number").first.inner_text().startswith("Fig. 1.")
    assert tab.locator(".eqno").count() >= 5
    # previous / next navigation
    assert tab.locator(".prev-next-area a").count() >= 1
    # copy buttons on code cells
    assert tab.locator("button.copybtn").count() >= 5
    # solutions start collapsed
    solutions = tab.locator("div.solution.dropdown")
    assert solutions.count() >= 3
    assert not solutions.first.locator("p").last.is_visible()
    # no repository link while no public repository is configured
    assert tab.locator("a[href*='github.com'], a[href*='gitlab']").count() == 0
    tab.close()


def test_landing_page_says_what_the_book_is_and_how_to_run_it(site, context):
    tab = _offline_tab(context, site)
    tab.goto(site + "intro.html")
    text = tab.locator("main").inner_text()
    tab.close()
    for phrase in ["executable textbook", "make book", "make test", "offline"]:
        assert phrase in text


def test_execution_statistics_page_lists_the_chapters(site, context):
    tab = _offline_tab(context, site)
    tab.goto(site + "appendices/execution-statistics.html")
    table = tab.locator("main table").inner_text()
    tab.close()
    assert "chapters/01-neuron/neuron" in table
