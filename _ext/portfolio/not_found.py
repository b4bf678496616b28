"""The 404 page: the site's look, and links that work from any missing URL.

A host serves ``404.html`` for every missing address, at any depth
(``/portfolio/a/b/c/missing``), so the page cannot use relative links.
sphinx-notfound-page renders it with Furo's own template and rewrites every
asset, navigation and template link to an absolute path under the base URL's
path (``notfound_urls_prefix``, which ``publishing`` derives from
``html_baseurl``). This module
writes the page's text: what happened, and the ways back in (home, the work
areas, search), linked the same way.

Markup classes for the stylesheet: ``not-found`` (the page's content),
``not-found-lead`` (the opening sentence), ``not-found-links`` (the list of ways
back in).
"""

from __future__ import annotations

from html import escape

NOT_FOUND_TITLE = "Page not found"


def _path_to(app, docname: str) -> str:
    """An absolute path, host-relative, that reaches *docname* from any depth."""
    prefix = app.config.notfound_urls_prefix
    return prefix if docname == app.config.root_doc else prefix + app.builder.get_target_uri(docname)


def not_found_body(app) -> str:
    ways_back = [(_path_to(app, app.config.root_doc), "Home")]
    portfolio = getattr(app.env, "portfolio", None)
    if portfolio is not None:
        ways_back += [(_path_to(app, area.docname), area.title) for area in portfolio.areas]
    if app.builder.search:
        ways_back.append((_path_to(app, "search"), "Search the site"))
    items = "\n".join(f'  <li><a href="{escape(href)}">{escape(text)}</a></li>' for href, text in ways_back)
    return (
        '<section class="not-found">\n'
        f"<h1>{NOT_FOUND_TITLE}</h1>\n"
        '<p class="not-found-lead">Nothing lives at this address. The page may have moved, '
        "or the link may have a typo.</p>\n"
        "<p>Try one of these instead:</p>\n"
        f'<ul class="not-found-links">\n{items}\n</ul>\n'
        "</section>"
    )


def _fill_not_found_page(app, pagename, templatename, context, doctree) -> None:
    if pagename != app.config.notfound_pagename or pagename in app.env.found_docs:
        return
    context["title"] = NOT_FOUND_TITLE
    context["body"] = not_found_body(app)
    # Sphinx's search script builds result links from the content root: the same
    # absolute prefix keeps them right if a theme ever runs it here.
    context["content_root"] = app.config.notfound_urls_prefix


def setup_not_found(app) -> None:
    app.setup_extension("notfound.extension")
    app.connect("html-page-context", _fill_not_found_page)
