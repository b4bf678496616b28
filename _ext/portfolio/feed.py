"""The Atom feed of the newest pieces, in full.

Input: each piece's body as Sphinx renders it (the ``html-page-context``
context), the front matter, the git dates sphinx-last-updated-by-git reads, and
the base URL. Output, after an HTML build: ``feed.xml`` (by feedgen), the newest
``FEED_SIZE`` pieces with their title, summary, dates and whole text, every link
in it absolute. A body is made ready for the feed when its page is written (in
whichever process writes it) and kept with the doctrees, so a rebuild renders
only the entries it rewrites; the environment is saved before pages are written.

Dates are never invented: a piece's front-matter ``date``, else its file's last
commit (no later than ``SOURCE_DATE_EPOCH``, when set), else the build's time.
"""

from __future__ import annotations

from pathlib import Path

import lxml.html
from feedgen.feed import FeedGenerator
from sphinx.util import logging

from .collector import page
from .publishing import build_timestamp, is_published_build, page_url

logger = logging.getLogger(__name__)

FEED_SIZE = 20
BODIES = "portfolio-feed"


def _body_file(app, docname: str) -> Path:
    return Path(app.doctreedir, BODIES, docname + ".html")


def _keep_body(app, pagename, templatename, context, doctree) -> None:
    """The piece's body for a feed reader: absolute links, no title, anchors or scripts."""
    if not is_published_build(app) or app.env.portfolio.by_docname(pagename) is None:
        return
    body = lxml.html.fragment_fromstring(context["body"], create_parent="div")
    for element in body.xpath("(.//h1)[1] | .//a[contains(@class, 'headerlink')] | .//script"):
        element.drop_tree()
    body.make_links_absolute(page_url(app, pagename), resolve_base_href=False)
    path = _body_file(app, pagename)
    path.parent.mkdir(parents=True, exist_ok=True)
    html = "".join(lxml.html.tostring(child, encoding="unicode") for child in body)
    path.write_text((body.text or "") + html, encoding="utf-8")


def feed_xml(app) -> bytes:
    config, portfolio = app.config, app.env.portfolio
    pieces = [(page(app.env, piece.docname).updated, piece) for piece in (*portfolio.areas, *portfolio.articles)]
    build_time = None
    if not pieces or any(updated is None for updated, _ in pieces):
        build_time = build_timestamp(app.srcdir)  # only when needed: it asks git
        pieces = [(updated or build_time, piece) for updated, piece in pieces]
    newest = sorted(pieces, key=lambda dated: (-dated[0].timestamp(), dated[1].docname))[:FEED_SIZE]
    feed = FeedGenerator()
    feed.id(config.html_baseurl)
    feed.title(config.html_title)
    feed.subtitle(config.portfolio_headline)
    feed.link(href=config.html_baseurl + "feed.xml", rel="self", type="application/atom+xml")
    feed.link(href=config.html_baseurl, rel="alternate", type="text/html")
    feed.author(name=config.portfolio_name)
    feed.updated(newest[0][0] if newest else build_time)
    for updated, piece in newest:
        url = page_url(app, piece.docname)
        entry = feed.add_entry(order="append")
        entry.id(url)
        entry.title(page(app.env, piece.docname).title)
        entry.link(href=url, rel="alternate", type="text/html")
        if getattr(piece, "date", None):
            entry.published(updated)
        entry.updated(updated)
        entry.summary(piece.summary)
        body = _body_file(app, piece.docname)
        if body.is_file():
            entry.content(body.read_text(encoding="utf-8"), type="html")
        else:
            logger.warning("feed: no body kept for %s; the feed carries its summary only. Rebuild "
                           "with -E to keep every body.", piece.docname, type="portfolio", subtype="feed")
    return feed.atom_str(pretty=True)


def _write_feed(app, exception) -> None:
    if exception is None and is_published_build(app):
        Path(app.outdir, "feed.xml").write_bytes(feed_xml(app))


def setup_feed(app) -> None:
    app.connect("html-page-context", _keep_body)
    app.connect("build-finished", _write_feed)
