"""The Atom feed of the full pieces.

Input: the portfolio read from front matter, each piece's page as this build
left it in the output folder, and the base URL. Output, at the end of an HTML
build: ``feed.xml``, one entry per piece (each area's own piece, then its
articles) with its title, summary, dates and whole text as HTML in which every
link and source is an absolute URL, so a reader far from the site can follow it.

Dates are never invented: a piece's date comes from its front matter ``date``;
a piece without one is stamped with the time of the last commit that touched
its file (``publishing.source_timestamp``), so two builds of one commit agree
and a commit marks only the pieces it changed as updated.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from html import escape, unescape
from pathlib import Path
from urllib.parse import urljoin

from sphinx.util import logging

from .files import write_if_changed
from .publishing import (
    FEED_FILE,
    base_url,
    build_timestamp,
    is_published_build,
    page_url,
    source_timestamp,
    xml_bytes,
)

logger = logging.getLogger(__name__)

ATOM_NS = "http://www.w3.org/2005/Atom"
# Where the theme writes a page's body (Furo: <article role="main">; Sphinx's basic
# layout: <div class="body" role="main">); the feed takes the piece's text from there.
_MAIN_START = re.compile(r'<([a-z]+)\b[^>]*\brole="main"[^>]*>')
_SCRIPTS = re.compile(r"<(script|noscript)\b.*?</\1>", re.S | re.I)
_HEADER_LINKS = re.compile(r'<a\b[^>]*\bclass="headerlink"[^>]*>.*?</a>', re.S)
_FIRST_H1 = re.compile(r"<h1\b.*?</h1>", re.S)
_START_TAG = re.compile(r"<[a-zA-Z][^>]*>")
_EVENT_HANDLERS = re.compile(r'\son[a-z]+="[^"]*"', re.I)
_URL_ATTRIBUTE = re.compile(
    r'(?<![\w:-])(href|src|srcset|xlink:href|action|poster|data)="([^"]*)"'
)


def _rfc3339(moment: dt.datetime) -> str:
    # Spelled out: strftime's %Y does not zero-pad years before 1000 on every
    # platform, and RFC 3339 needs four digits.
    utc = moment.astimezone(dt.timezone.utc)
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}"
        f"T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}Z"
    )


def _date_as_moment(date: dt.date) -> dt.datetime:
    return dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc)


def piece_html(page_html: str, url: str) -> str | None:
    """The body of a built page, ready for a feed reader: absolute URLs, no scripts.

    The title goes (the entry has its own), and so do the heading anchors (the
    pilcrows only mean something on the site). None if the page has no body
    where the theme puts it.

    Patterns, not a parser: this reads pages the build itself just wrote (the
    theme, docutils and our directives quote every attribute with double
    quotes), and a full HTML parse cost more than the rest of a rebuild.
    """
    body = _main_element(page_html)
    if body is None:
        return None
    body = _SCRIPTS.sub("", body)
    body = _HEADER_LINKS.sub("", body)
    body = _FIRST_H1.sub("", body, count=1)

    def absolute(match: re.Match) -> str:
        name, value = match.group(1), unescape(match.group(2))
        if name == "srcset":
            value = ", ".join(
                " ".join([urljoin(url, words[0]), *words[1:]])
                for candidate in value.split(",") if (words := candidate.split())
            )
        else:
            value = urljoin(url, value.strip())
        return f'{name}="{escape(value, quote=True)}"'

    def clean_tag(match: re.Match) -> str:
        tag = _EVENT_HANDLERS.sub("", match.group(0))
        return _URL_ATTRIBUTE.sub(absolute, tag)

    return _START_TAG.sub(clean_tag, body).strip()


def _main_element(page_html: str) -> str | None:
    """The inside of the element marked ``role="main"``, nested tags counted."""
    opening = _MAIN_START.search(page_html)
    if opening is None:
        return None
    name, depth = opening.group(1), 1
    for tag in re.finditer(rf"<(/?){name}\b[^>]*>", page_html[opening.end():]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return page_html[opening.end(): opening.end() + tag.start()]
    return None


def _piece_content(app, docname: str, url: str) -> str | None:
    target = app.builder.get_target_uri(docname)
    page = Path(app.outdir, target + "index.html" if target.endswith("/") else target)
    if not page.is_file():
        problem = "the page was not written"
        html = None
    else:
        html = piece_html(page.read_text(encoding="utf-8"), url)
        problem = "it has no element marked role=\"main\", where the theme puts the body"
    if html is None:
        logger.warning(
            "feed: no body for %s: %s; the feed carries its summary only.",
            target, problem, type="portfolio", subtype="feed",
        )
    return html


def feed_xml(app) -> bytes:
    """An Atom feed of the full pieces: each area's own piece, then its articles."""
    config = app.config
    portfolio = app.env.portfolio
    base = base_url(config)
    pieces = []
    for area in portfolio.areas:
        pieces.append((area, None))
        pieces += [(article, article.date) for article in portfolio.articles_in(area.slug)]
    feed = ET.Element("feed", xmlns=ATOM_NS)
    ET.SubElement(feed, "id").text = base
    ET.SubElement(feed, "title").text = config.html_title
    ET.SubElement(feed, "subtitle").text = config.portfolio_headline
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=base + FEED_FILE)
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=base)
    ET.SubElement(ET.SubElement(feed, "author"), "name").text = config.portfolio_name
    updated = ET.SubElement(feed, "updated")
    moments = []
    for piece, date in pieces:
        if date:
            moment = _date_as_moment(date)
        else:
            moment = source_timestamp(app.srcdir, app.env.doc2path(piece.docname))
        moments.append(moment)
        url = page_url(app, piece.docname)
        entry = ET.SubElement(feed, "entry")
        ET.SubElement(entry, "id").text = url
        ET.SubElement(entry, "title").text = piece.title
        ET.SubElement(entry, "link", rel="alternate", type="text/html", href=url)
        if date:
            ET.SubElement(entry, "published").text = _rfc3339(moment)
        ET.SubElement(entry, "updated").text = _rfc3339(moment)
        ET.SubElement(entry, "summary").text = " ".join(piece.summary.split())
        content = _piece_content(app, piece.docname, url)
        if content is not None:
            ET.SubElement(entry, "content", type="html").text = content
    updated.text = _rfc3339(max(moments) if moments else build_timestamp(app.srcdir))
    return xml_bytes(feed)


def _write_feed(app, exception) -> None:
    if exception is not None or not is_published_build(app):
        return
    write_if_changed(Path(app.outdir, FEED_FILE), feed_xml(app))


def setup_feed(app) -> None:
    # After the pages are written and stale ones removed (publishing, priority 400).
    app.connect("build-finished", _write_feed)
