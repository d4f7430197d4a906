"""Sphinx extension: keep the website free of scripts and styles it cannot use offline.

Jupyter Book 1 always loads sphinx-thebe, which adds an inline script declaring
``const THEBE_JS_URL = "https://unpkg.com/..."``; in this build it is added
twice, and the second copy throws "Identifier 'THEBE_JS_URL' has already been
declared" on every page. The book has no live-code (Thebe) buttons, since they
need a remote kernel, so both of thebe's scripts are dropped from every page.

matplotlib's ``Animation.to_jshtml()`` links Font Awesome 4 from a CDN for its
play buttons; the theme already bundles Font Awesome (whose CSS keeps the old
icon names), so that link is removed from the page body.
"""

from __future__ import annotations

import re

_CDN_FONT_AWESOME = re.compile(r"<link[^>]*maxcdn\.bootstrapcdn\.com/font-awesome[^>]*>\s*")


def _is_thebe(script) -> bool:
    filename = str(getattr(script, "filename", script) or "")
    body = (getattr(script, "attributes", {}) or {}).get("body", "") or ""
    return "sphinx-thebe" in filename or "THEBE_JS_URL" in body


def _drop_thebe(app, pagename, templatename, context, doctree):
    if "script_files" in context:
        context["script_files"] = [js for js in context["script_files"] if not _is_thebe(js)]
    if "body" in context:
        context["body"] = _CDN_FONT_AWESOME.sub("", context["body"])


def setup(app):
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
