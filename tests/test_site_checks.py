"""The site checks must catch what they look for: fixture pages with defects."""

from site_checks import external_resources_in_css, external_resources_in_html


def test_external_script_style_image_and_font_are_caught():
    page = """<html><head>
      <script src="https://cdn.example.org/require.min.js"></script>
      <link rel="stylesheet" href="//fonts.example.org/css">
      <style>@import "https://example.org/x.css"; body { background: url(http://e.org/b.png) }</style>
      </head><body><img src="https://example.org/a.png">
      <a href="https://doi.org/10.1/x">a link is not a load</a>
      <script src="_static/local.js"></script></body></html>"""
    assert external_resources_in_html(page) == [
        "//fonts.example.org/css", "http://e.org/b.png", "https://cdn.example.org/require.min.js",
        "https://example.org/a.png", "https://example.org/x.css"]


def test_css_font_urls_are_caught():
    css = "@font-face { src: url('https://fonts.example.org/f.woff2') } .a { background: url(img.png) }"
    assert external_resources_in_css(css) == ["https://fonts.example.org/f.woff2"]


def test_a_clean_page_passes():
    assert external_resources_in_html('<script src="../_static/x.js"></script><img src="a.png">') == []
