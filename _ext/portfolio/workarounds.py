"""Every workaround of an upstream behaviour, each with the issue that explains it.

Input: the Sphinx application and its configuration. Output: what each
workaround adds or undoes through a documented extension point. The
stylesheet's share of them is the "Workarounds of Furo" section at the end of
``_static/portfolio.css``.

Remove a workaround once the release of the package that fixes it is in
``requirements.txt``.
"""

from __future__ import annotations

import re

# Furo 2025.12.19 writes the site navigation and the page's contents as two
# unnamed <aside> elements, outside any template block, so a screen reader lists
# two identical "complementary" landmarks (axe: landmark-unique). Upstream:
# https://github.com/pradyunsg/furo/issues/93 (UI elements missing accessibility
# labels; closed in 2021 without naming the asides; no newer report found).
# Sphinx renders this at the end of <body>, after both asides, before the page has
# loaded; the page's Content-Security-Policy allows it by its hash (_templates/base.html).
NAME_THE_SIDEBARS = (
    'for (const [aside, name] of [[".sidebar-drawer", "Site navigation"], [".toc-drawer", "On this page"]])'
    ' document.querySelector(aside)?.setAttribute("aria-label", name);'
)

# docutils' HTML5 writer puts a viewport tag in every page's metatags, and
# Sphinx passes it on (it strips docutils' first two tags by position, from
# before the viewport tag existed): https://github.com/sphinx-doc/sphinx/issues/11699
# Furo writes its own on every page, generated ones too: that is the one kept.
_VIEWPORT_TAG = re.compile(r'<meta name="viewport"[^>]*>\n?')


def one_viewport_tag(app, pagename, templatename, context, doctree) -> None:
    if context.get("metatags"):
        context["metatags"] = _VIEWPORT_TAG.sub("", context["metatags"])


def no_last_updated_footer(app, config) -> None:
    # sphinx-last-updated-by-git turns html_last_updated_fmt from None into ""
    # on config-inited, which prints "Last updated on ..." in every page's footer
    # (https://github.com/mgeier/sphinx-last-updated-by-git#readme, "The default
    # value for html_last_updated_fmt is changed"). The site uses its dates for
    # the feed only; the pages show a piece's own front-matter date.
    config.html_last_updated_fmt = None


def setup_workarounds(app) -> None:
    # An inline script (a body and no file): no request of its own.
    app.add_js_file(None, body=NAME_THE_SIDEBARS)
    app.connect("html-page-context", one_viewport_tag)
    # After sphinx-last-updated-by-git's own config-inited handler (priority 500).
    app.connect("config-inited", no_last_updated_footer, priority=600)
