"""Every workaround of an upstream behaviour, in one place.

Input: what other packages produce, through their documented hooks. Output:
the same, with one known upstream problem each corrected. Each entry names
the upstream issue; when that issue is fixed, its entry goes.
"""

from __future__ import annotations

import re

# docutils' HTML5 writer puts a viewport tag in every page's metatags, and
# Sphinx passes it on (it strips docutils' first two tags by position, from
# before the viewport tag existed): https://github.com/sphinx-doc/sphinx/issues/11699
# Furo writes its own on every page, generated ones too: that is the one kept.
_VIEWPORT_TAG = re.compile(r'<meta name="viewport"[^>]*>\n?')


def one_viewport_tag(app, pagename, templatename, context, doctree) -> None:
    if context.get("metatags"):
        context["metatags"] = _VIEWPORT_TAG.sub("", context["metatags"])


def setup_workarounds(app) -> None:
    app.connect("html-page-context", one_viewport_tag)
