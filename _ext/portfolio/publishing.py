"""Where the site lives, and the files that tell the web what it holds.

Input: ``html_baseurl`` (the site's absolute address, ending in ``/``). Output:
the address checked in one line and passed on to sphinx-notfound-page and
sphinxext-opengraph; the copyright's year from git or ``SOURCE_DATE_EPOCH``,
never the clock; after an HTML build, ``sitemap.xml`` (every page, absolute
URLs), ``robots.txt``, and no page left of a removed source; when each piece
last changed (``last_updated``), for its page and the feed. Not sphinx-sitemap:
it lists only the pages a build writes (jdillard/sphinx-sitemap#13).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

from sphinx.util import logging

from .checks import warn

logger = logging.getLogger(__name__)

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def page_url(app, docname: str) -> str:
    """The absolute URL of *docname*; the home page's is the base URL itself."""
    base = app.config.html_baseurl
    return base if docname == app.config.root_doc else base + app.builder.get_target_uri(docname)


def is_published_build(app) -> bool:
    return bool(app.config.html_baseurl) and app.builder.name == "html"


def last_updated(app, piece) -> dt.datetime | None:
    """When *piece* last changed: its front-matter ``date``, else the last commit that
    touched its file (no later than ``SOURCE_DATE_EPOCH``, when set), else None."""
    if getattr(piece, "date", None):
        return dt.datetime.combine(piece.date, dt.time(), dt.timezone.utc)
    # sphinx-last-updated-by-git's record on the environment, (timestamp, show source
    # link) per page, or None. Not a documented interface: the package hands out a date
    # only to the page it is writing (context["last_updated"]), and the feed, the byline
    # and the JSON-LD need every piece's on every build. If the record moves, the tests
    # that every piece shows an Updated date the feed agrees with fail (tests/test_site.py).
    stamp = (getattr(app.env, "git_last_updated", {}).get(piece.docname) or (None,))[0]
    if stamp is None:
        return None
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = min(int(stamp), int(epoch)) if epoch.isdigit() else int(stamp)
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)


# Per build: each piece's file -> the author time of the commit that added it.
_FIRST_COMMITS: dict[str, int] = {}


def first_published(app, piece) -> dt.datetime | None:
    """When *piece* was first published: its front-matter ``date``, else the commit that
    added its file (no later than ``SOURCE_DATE_EPOCH``, when set), else None."""
    if getattr(piece, "date", None):
        return dt.datetime.combine(piece.date, dt.time(), dt.timezone.utc)
    if not _FIRST_COMMITS:
        # One `git log` per build for every piece: the commits that added a file under the
        # pieces' folders, newest first (sphinx-last-updated-by-git gives only the last one).
        try:
            log = subprocess.run(
                ["git", "log", "--no-renames", "--diff-filter=A", "--format=%x00%at", "--name-only",
                 "--relative", "--", "work", "articles"],
                cwd=app.srcdir, capture_output=True, text=True, timeout=60, check=False,
            ).stdout
        except OSError:  # no git
            log = ""
        for commit in reversed(log.split("\0")[1:]):
            stamp, *paths = commit.split("\n")
            for path in filter(None, paths):
                _FIRST_COMMITS.setdefault(path, int(stamp))
        _FIRST_COMMITS.setdefault("", 0)  # read once, even where git knows no piece
    stamp = _FIRST_COMMITS.get(str(app.env.doc2path(piece.docname, False)))
    if stamp is None:
        return None
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = min(stamp, int(epoch)) if epoch.isdigit() else stamp
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)


def build_timestamp(srcdir: str | Path) -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` when set, else the last commit's time, else 1970-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        try:
            epoch = subprocess.run(
                ["git", "log", "-1", "--format=%ct"], cwd=srcdir,
                capture_output=True, text=True, timeout=30, check=False,
            ).stdout.strip()
        except OSError:  # no git
            epoch = ""
    return dt.datetime.fromtimestamp(int(epoch) if epoch.isdigit() else 0, dt.timezone.utc)


def _base_url_problem(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "is not an absolute http(s) URL"
    if parts.query or parts.fragment:
        return "has a query or a fragment"
    if not parts.path.endswith("/"):
        return "does not end with '/'"
    return ""


def _check_base_url(app, config) -> None:
    url = config.html_baseurl
    problem = _base_url_problem(url) if url else ""
    if problem:
        warn(
            f"conf.py: setting 'html_baseurl': {url!r} {problem}; give the site's full "
            "address ending in '/', such as 'https://user.github.io/portfolio/' (on Read the "
            "Docs it comes from READTHEDOCS_CANONICAL_URL, on GitHub Pages from "
            "PORTFOLIO_BASE_URL).",
            "config",
        )
    # html_baseurl stays the one setting, `-D html_baseurl=...` included: the 404
    # page links by absolute path under its path, the share tags by absolute URL.
    config.notfound_urls_prefix = "/" if problem else (urlsplit(url).path or "/")
    if "ogp_site_url" in config:
        config.ogp_site_url = config.ogp_site_url or url
    # Sphinx fills %Y from the clock unless SOURCE_DATE_EPOCH is set.
    if isinstance(config.copyright, str) and "%Y" in config.copyright:
        config.copyright = config.copyright.replace("%Y", str(build_timestamp(app.srcdir).year))


def _note_removed_pages(app, env, added, changed, removed) -> list[str]:
    # `make html` starts from a copy of the last site: the page of a removed source would stay.
    env.portfolio_removed_pages = sorted(removed)
    return []


def _write_publishing_files(app, exception) -> None:
    if exception is not None or not is_published_build(app):
        return
    outdir = Path(app.outdir)
    for docname in getattr(app.env, "portfolio_removed_pages", ()):
        logger.info("removing %s: its source is gone", app.builder.get_target_uri(docname))
        outdir.joinpath(app.builder.get_target_uri(docname)).unlink(missing_ok=True)
    root = app.config.root_doc
    urlset = ET.Element("urlset", xmlns=SITEMAP_NS)
    for docname in sorted(app.env.found_docs, key=lambda name: (name != root, name)):
        ET.SubElement(ET.SubElement(urlset, "url"), "loc").text = page_url(app, docname)
    ET.indent(urlset)
    ET.ElementTree(urlset).write(outdir / "sitemap.xml", encoding="utf-8", xml_declaration=True)
    # Crawlers read robots.txt only at a host's root; under a sub-path it is for reference.
    sitemap = app.config.html_baseurl + "sitemap.xml"
    (outdir / "robots.txt").write_text(f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n", encoding="utf-8")


def _forget_first_commits(app) -> None:
    _FIRST_COMMITS.clear()


def setup_publishing(app) -> None:
    app.connect("builder-inited", _forget_first_commits)
    # Before sphinx-notfound-page checks its prefix and Sphinx fills %Y (priorities 500, 795).
    app.connect("config-inited", _check_base_url, priority=400)
    app.connect("env-get-outdated", _note_removed_pages)
    app.connect("build-finished", _write_publishing_files)
