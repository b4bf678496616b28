"""The 404 page's text, with links that work from any missing URL.

A host serves ``404.html`` for every missing address, at any depth, so the page
cannot use relative links. sphinx-notfound-page renders it with the theme and
makes every asset and navigation link an absolute path under
``notfound_urls_prefix`` (``publishing`` derives it from ``html_baseurl``).
Input: the site's configuration and its work areas (``env.portfolio``). Output:
the page's title and body, short and plain: one line in the site's voice, the
work areas by number and title, then home and search, all linked the same way.
Classes for the stylesheet: ``not-found``, ``not-found-lead``, ``not-found-areas``,
``not-found-links``.
"""

from __future__ import annotations

from html import escape

NOT_FOUND_TITLE = "Page not found"


def not_found_body(app) -> str:
    prefix = app.config.notfound_urls_prefix
    portfolio = getattr(app.env, "portfolio", None)
    areas = "\n".join(
        f'  <li><a href="{escape(prefix + app.builder.get_target_uri(area.docname))}">'
        f'<span class="area-number">{portfolio.number(area)}</span> {escape(area.title)}</a></li>'
        for area in (portfolio.areas if portfolio else [])
    )
    ways_back = [(prefix, "Home")]
    if app.builder.search:
        ways_back.append((prefix + app.builder.get_target_uri("search"), "Search the site"))
    items = "\n".join(f'  <li><a href="{escape(href)}">{escape(text)}</a></li>' for href, text in ways_back)
    return (
        '<section class="not-found">\n'
        f"<h1>{NOT_FOUND_TITLE}</h1>\n"
        '<p class="not-found-lead">Nothing lives at this address. The work does:</p>\n'
        + (f'<ul class="not-found-areas">\n{areas}\n</ul>\n' if areas else "")
        + f'<ul class="not-found-links">\n{items}\n</ul>\n'
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
