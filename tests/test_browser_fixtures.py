"""The browser checks catch what they claim to: small pages broken on purpose.

Each fixture page has exactly one defect; the clean page has none. If a check
stopped working, its fixture would pass and this test would fail.
"""

import os

import pytest

import browser as br

pytestmark = pytest.mark.site

PNG = bytes.fromhex(  # a valid 1x1 PNG
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")

PAGES = {
    "clean.html": ('<p id="here">Fine.</p><img src="dot.png"><a href="clean.html#here">self</a>'
                   '<div class="animation"><img src="dot.png"></div>'),
    "broken-image.html": '<img src="missing.png">',
    "untypeset-math.html": r'<p>Energy: <span class="math">\(E = mc^2\)</span></p>',
    "console-error.html": '<script>console.error("deliberate")</script>',
    "other-host.html": '<script src="https://cdn.example.org/lib.js"></script>',
    "broken-anchor.html": '<a href="clean.html#nowhere">a link to a missing anchor</a>',
    "broken-link.html": '<a href="no-such-page.html">a link to a missing page</a>',
    "widget.html": '<div class="jupyter-widgets widget-area">needs a kernel</div>',
    "script-error.html": "<script>undefinedFunction()</script>",
    "animation-no-frames.html": '<div class="animation"><img id="frame" alt="frame"></div>',
    "unparsed-inline-math.html": r'<p>so that $\mathbf{u}^\top x \ge \gamma$ holds</p>',
    "page-scrolls-sideways.html": '<div style="width: 3000px">a block wider than the window</div>',
    "too-wide.html": '<table><tr><td style="white-space: nowrap">' + "wide " * 400 + "</td></tr></table>",
}


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    (root / "dot.png").write_bytes(PNG)
    for name, body in PAGES.items():
        (root / name).write_text(f"<!doctype html><html><head><title>{name}</title></head>"
                                 f"<body>{body}</body></html>")
    with br.serve(root) as base:
        yield root, base


@pytest.fixture(scope="module")
def context():
    try:
        with br.browser() as b:
            ctx = b.new_context(viewport=br.DESKTOP)
            yield ctx
            ctx.close()
    except br.NoBrowser as exc:
        if os.environ.get("CI"):
            pytest.fail(str(exc))
        pytest.skip(str(exc))


def problems(context, fixture_site, page):
    root, base = fixture_site
    seen = br.visit(context, base, page, root=root)
    return seen.problems() + br.broken_links(seen.links, base, root)


@pytest.mark.parametrize("page, expected", [
    ("broken-image.html", "image not loaded"),
    ("untypeset-math.html", "math not typeset"),
    ("untypeset-math.html", "raw TeX in the visible text"),
    ("console-error.html", "console error: deliberate"),
    ("other-host.html", "request to another host: https://cdn.example.org/lib.js"),
    ("broken-anchor.html", "(no such anchor)"),
    ("broken-link.html", "(no such file)"),
    ("widget.html", "widget area"),
    ("script-error.html", "page error"),
    ("too-wide.html", "cut off at the page edge"),
    ("page-scrolls-sideways.html", "the whole page scrolls sideways"),
    ("unparsed-inline-math.html", "raw TeX in the visible text"),
    ("animation-no-frames.html", "animation(s) without frames"),
])
def test_each_defect_is_reported(context, fixture_site, page, expected):
    found = problems(context, fixture_site, page)
    assert any(expected in p for p in found), found


def test_the_clean_page_has_no_problems(context, fixture_site):
    assert problems(context, fixture_site, "clean.html") == []
