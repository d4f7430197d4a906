"""Static checks of built HTML, shared by the site tests and their fixture tests."""

from __future__ import annotations

import html.parser
import pathlib
import re

_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//")
# (tag, attribute) pairs whose URL the browser *loads* (a plain <a href> is only a link).
_LOADED = {("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src"),
           ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data"),
           ("link", "href")}
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")


class _Collector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.loaded: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for t, attr in _LOADED:
            if tag == t and attrs.get(attr):
                if tag == "link" and not {"stylesheet", "icon", "preload", "modulepreload",
                                          "manifest", "prefetch"} & set((attrs.get("rel") or "").split()):
                    continue
                self.loaded.append((tag, attrs[attr]))
        style = attrs.get("style") or ""
        self.loaded.extend(("style", url) for url in _CSS_URL.findall(style))


def external_resources_in_html(text: str) -> list[str]:
    """URLs on another host that a page would load (scripts, styles, images, frames, fonts)."""
    collector = _Collector()
    collector.feed(text)
    inline_css = "\n".join(re.findall(r"<style[^>]*>(.*?)</style>", text, flags=re.S))
    urls = [url for _, url in collector.loaded] + _CSS_URL.findall(inline_css)
    return sorted({u for u in urls if _EXTERNAL.match(u)})


def external_resources_in_css(text: str) -> list[str]:
    return sorted({u for u in _CSS_URL.findall(text) if _EXTERNAL.match(u)})


def html_pages(root: pathlib.Path) -> list[pathlib.Path]:
    return sorted(p for p in root.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)
