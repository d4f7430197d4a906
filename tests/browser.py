"""Open the built site in headless Chromium the way a reader does, offline.

Used by ``tests/test_browser.py`` and by ``make screenshots``
(``python tests/browser.py screenshots``). The site is served from
``_build/html`` on 127.0.0.1; every request to any other host is blocked and
recorded, so a page that needs the network fails its test.

Chromium: Debian's ``/usr/bin/chromium`` (``make deps``) through Playwright's
``executable_path``; without it, Playwright's own Chromium if one was installed;
otherwise :class:`NoBrowser`, whose message names ``make deps``.
"""

from __future__ import annotations

import contextlib
import functools
import html.parser
import http.server
import pathlib
import re
import shutil
import sys
import threading
import urllib.parse
from dataclasses import dataclass, field

ROOT = pathlib.Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
# Flags from the machine notes: without the background-networking ones Chromium
# keeps trying to reach Google's hosts.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


class NoBrowser(RuntimeError):
    """No Chromium to run: the message says how to get one."""


# --------------------------------------------------------------------------
# Serving the site
# --------------------------------------------------------------------------
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(root: pathlib.Path = HTML):
    """Serve ``root`` on 127.0.0.1 (a free port); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def pages(root: pathlib.Path = HTML) -> list[str]:
    """Every page of the built site, as paths relative to its root."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html")
                  if not {"_static", "_sources", "_images"} & set(p.parts))


# --------------------------------------------------------------------------
# The browser
# --------------------------------------------------------------------------
def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@contextlib.contextmanager
def browser():
    """A headless Chromium (Playwright), Debian's if present."""
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as p:
        path = chromium_path()
        try:
            if path:
                b = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
            else:
                b = p.chromium.launch(headless=True, args=CHROMIUM_ARGS)
        except Error as exc:
            raise NoBrowser("no Chromium found: run `make deps` (as root) to install Debian's "
                            "chromium, or, with a network, `.venv/bin/playwright install chromium` "
                            f"({str(exc).splitlines()[0]})") from exc
        try:
            yield b
        finally:
            b.close()


@dataclass
class Visit:
    """What a reader's browser saw on one page."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    math_elements: int = 0
    typeset_elements: int = 0
    raw_tex: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    widget_areas: int = 0
    animations: int = 0
    animations_without_frames: int = 0
    cut_off: list[str] = field(default_factory=list)
    page_overflow: str = ""

    def problems(self) -> list[str]:
        out = [f"console error: {m}" for m in self.console_errors]
        out += [f"page error: {m}" for m in self.page_errors]
        out += [f"failed request: {m}" for m in self.failed_requests]
        out += [f"request to another host: {m}" for m in self.blocked_requests]
        out += [f"image not loaded: {m}" for m in self.broken_images]
        if self.math_elements and self.typeset_elements == 0:
            out.append(f"math not typeset: {self.math_elements} math elements, no MathJax output")
        out += [f"raw TeX in the visible text: {m!r}" for m in self.raw_tex]
        if self.widget_areas:
            out.append(f"{self.widget_areas} widget area(s) that need a kernel")
        out += [f"cut off at the page edge (not scrollable): {m}" for m in self.cut_off]
        if self.page_overflow:
            out.append(f"the whole page scrolls sideways: {self.page_overflow}")
        if self.animations_without_frames:
            out.append(f"{self.animations_without_frames} animation(s) without frames")
        return out


_REFRESH = re.compile(r"""<meta http-equiv=["']refresh["'] content=["']\d+;\s*url=([^"']+)["']""", re.I)

_PAGE_STATE = r"""
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  for (const img of document.images) { img.loading = "eager"; }
  await Promise.all(Array.from(document.images).map(img => img.complete ? null :
      new Promise(done => { img.onload = img.onerror = done; setTimeout(done, 5000); })));
  const clone = document.body.cloneNode(true);
  clone.querySelectorAll("pre, code, script, style, mjx-container, .highlight, textarea")
       .forEach(e => e.remove());
  const text = clone.textContent;
  const raw = [];
  for (const token of ["$$", "\\(", "\\[", "\\begin{"]) {
    const i = text.indexOf(token);
    if (i >= 0) raw.push(text.slice(Math.max(0, i - 30), i + 40));
  }
  // a TeX command (\mathbf, \frac, ...) in prose means a formula that was not parsed as math
  const command = text.search(/\\[A-Za-z]{2,}/);
  if (command >= 0 && !raw.length) raw.push(text.slice(Math.max(0, command - 30), command + 40));
  const anims = Array.from(document.querySelectorAll(".animation"));
  // Wide content must sit in a box the reader can scroll sideways, not run off the page.
  const scrollable = e => { for (let a = e; a; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX; if (o === "auto" || o === "scroll") return true; }
    return false; };
  const cutOff = Array.from(document.querySelectorAll(
      "mjx-container[display='true'], div.math, pre, table, img, figure"))
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .filter(e => !scrollable(e))
    .map(e => e.tagName.toLowerCase() + ": " + (e.textContent || e.src || "").trim().slice(0, 50));
  // The page itself must not scroll sideways (a reader on a phone would lose the text column).
  const root = document.scrollingElement || document.documentElement;
  let overflow = "";
  if (root.scrollWidth > root.clientWidth + 1) {
    const widest = Array.from(document.body.querySelectorAll("*"))
      .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1 && !scrollable(e.parentElement))
      .map(e => e.tagName.toLowerCase() + (typeof e.className === "string" && e.className ?
                "." + e.className.split(" ")[0] : "") + ": " + (e.textContent || "").trim().slice(0, 40));
    overflow = `content ${root.scrollWidth}px wide in a ${root.clientWidth}px window` +
               (widest.length ? ` (first: ${widest[0]})` : "");
  }
  return {
    pageOverflow: overflow,
    broken: Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)
                 .map(i => i.currentSrc || i.src),
    math: document.querySelectorAll(".math, span.math, div.math").length,
    typeset: document.querySelectorAll("mjx-container").length,
    raw: raw,
    links: Array.from(document.querySelectorAll("a[href]")).map(a => a.href),
    widgets: document.querySelectorAll(
        ".jupyter-widgets, .widget-area, script[type='application/vnd.jupyter.widget-view+json']").length,
    animations: anims.length,
    cutOff: cutOff,
    animationsWithoutFrames: anims.filter(a => !a.querySelector("img") ||
                                           !(a.querySelector("img").naturalWidth > 0)).length,
  };
}
"""


def visit(context, base: str, page: str, *, screenshot: pathlib.Path | None = None,
          root: pathlib.Path = HTML) -> Visit:
    """Open one page with other hosts blocked; collect what went wrong."""
    url = urllib.parse.urljoin(base, page)
    host = urllib.parse.urlsplit(base).netloc
    result = Visit(url)
    tab = context.new_page()

    def route(r):
        target = urllib.parse.urlsplit(r.request.url)
        if target.scheme in ("data", "blob", "about") or target.netloc == host:
            r.continue_()
        else:
            result.blocked_requests.append(r.request.url)
            r.abort()

    tab.route("**/*", route)
    tab.on("console", lambda m: result.console_errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: result.page_errors.append(str(e)))
    tab.on("requestfailed", lambda r: None if r.url in result.blocked_requests
           else result.failed_requests.append(f"{r.url} ({r.failure})"))
    tab.on("response", lambda r: result.failed_requests.append(f"{r.url} (HTTP {r.status})")
           if r.status >= 400 else None)
    source = root / page
    redirect = _REFRESH.search(source.read_text(encoding="utf-8", errors="replace")) \
        if source.exists() else None
    if redirect:  # index.html is a meta-refresh to the landing page: follow it
        target = urllib.parse.urljoin(url, redirect.group(1))
        with tab.expect_navigation(url=target, wait_until="load"):
            tab.goto(url)
        result.url += f" -> {target}"
    else:
        tab.goto(url, wait_until="load")
    state = tab.evaluate(_PAGE_STATE)  # waits for MathJax and for every image itself
    result.broken_images = state["broken"]
    result.math_elements = state["math"]
    result.typeset_elements = state["typeset"]
    result.raw_tex = state["raw"]
    result.links = state["links"]
    result.widget_areas = state["widgets"]
    result.animations = state["animations"]
    result.animations_without_frames = state["animationsWithoutFrames"]
    result.cut_off = state["cutOff"]
    result.page_overflow = state["pageOverflow"]
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(screenshot), full_page=True)
    tab.close()
    return result


# --------------------------------------------------------------------------
# Internal links and anchors, resolved against the files of the site
# --------------------------------------------------------------------------
class _Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)


@functools.lru_cache(maxsize=None)
def _ids_of(path: pathlib.Path) -> frozenset[str]:
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return frozenset(parser.ids)


def broken_links(links: list[str], base: str, root: pathlib.Path = HTML) -> list[str]:
    """Links into the site whose file or anchor does not exist."""
    bad = []
    for link in links:
        if not link.startswith(base):
            continue
        parts = urllib.parse.urlsplit(link)
        rel = urllib.parse.unquote(parts.path[len(urllib.parse.urlsplit(base).path):])
        target = root / rel
        if target.is_dir():
            target = target / "index.html"
        if not target.exists():
            bad.append(f"{link} (no such file)")
        elif parts.fragment and target.suffix == ".html" and \
                urllib.parse.unquote(parts.fragment) not in _ids_of(target):
            bad.append(f"{link} (no such anchor)")
    return bad


# --------------------------------------------------------------------------
# make screenshots
# --------------------------------------------------------------------------
def screenshots(out: pathlib.Path = ROOT / "screenshots") -> list[pathlib.Path]:
    """A full-page PNG of every page at desktop and phone width, and in dark mode."""
    written = []
    with serve() as base, browser() as b:
        for name, viewport, scheme in (("desktop", DESKTOP, "light"), ("phone", PHONE, "light"),
                                       ("desktop-dark", DESKTOP, "dark")):
            context = b.new_context(viewport=viewport, device_scale_factor=1, color_scheme=scheme)
            for page in pages():
                path = out / name / (page.replace("/", "__").removesuffix(".html") + ".png")
                visit(context, base, page, screenshot=path)
                written.append(path)
            context.close()
    return written


if __name__ == "__main__":
    if sys.argv[1:] != ["screenshots"]:
        sys.exit("usage: python tests/browser.py screenshots")
    if not (HTML / "index.html").exists():
        sys.exit("no built site in _build/html: run `make book` first")
    try:
        paths = screenshots()
    except NoBrowser as exc:
        sys.exit(str(exc))
    print(f"wrote {len(paths)} screenshots to {paths[0].parent.parent.relative_to(ROOT)}/")
