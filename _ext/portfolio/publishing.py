"""Where the site lives, and the files that tell the web what it holds.

Input: ``html_baseurl`` (the site's absolute address, ending in ``/``; conf.py
takes it from the host) and the portfolio read from front matter. Output, at the
end of an HTML build: ``sitemap.xml`` (every page, absolute URLs) and
``robots.txt`` (pointing at the sitemap); the output folder rid of pages whose
source is gone, so the site and its sitemap agree. The feed is ``feed``'s.

Times come from git and ``SOURCE_DATE_EPOCH``, never the clock (see
:func:`build_timestamp` and :func:`source_timestamp`), so two builds of one
commit agree.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from sphinx.util import logging

from .checks import report_config_problem
from .files import write_if_changed

logger = logging.getLogger(__name__)

SITEMAP_FILE = "sitemap.xml"
ROBOTS_FILE = "robots.txt"
FEED_FILE = "feed.xml"

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"

# Builders whose output is a set of pages at URLs under html_baseurl.
PUBLISHED_BUILDERS = frozenset({"html", "dirhtml"})
# Generated pages that are not content: nobody should land on them from a search.
NOT_CONTENT_PAGES = frozenset({"search", "genindex", "py-modindex"})

# When neither SOURCE_DATE_EPOCH nor a git commit gives a time: the Unix epoch,
# 1970-01-01T00:00:00Z. Obviously not a real date, and the same on every build.
FALLBACK_EPOCH = 0


def base_url(config) -> str:
    """The site's absolute address, ending in '/' ('' for a site that is not published)."""
    return config.html_baseurl


def page_url(app, docname: str) -> str:
    """The absolute URL of *docname*; the home page is the base URL itself."""
    base = base_url(app.config)
    if docname == app.config.root_doc:
        return base
    return base + app.builder.get_target_uri(docname)


def base_path(config) -> str:
    """The base URL's path: '/' for a site at the root, '/portfolio/' for a project site."""
    return urlsplit(base_url(config)).path or "/"


def is_published_build(app) -> bool:
    return bool(base_url(app.config)) and app.builder.name in PUBLISHED_BUILDERS


def content_pages(app) -> list[str]:
    """Every page a visitor can land on, home first: what the sitemap lists."""
    skip = NOT_CONTENT_PAGES | {app.config.notfound_pagename}
    pages = sorted(docname for docname in app.env.found_docs if docname not in skip)
    root = app.config.root_doc
    return [root, *(page for page in pages if page != root)] if root in pages else pages


def _check_base_url(app, config) -> None:
    """Fail, in one line, on a base URL that would break every absolute link."""
    url = base_url(config)
    problem = _base_url_problem(url) if url else ""
    if problem:
        report_config_problem(
            app,
            f"conf.py: setting 'html_baseurl': {url!r} {problem}; give the site's full "
            "address ending in '/', such as 'https://user.github.io/portfolio/' (on Read the "
            "Docs it comes from READTHEDOCS_CANONICAL_URL, on GitHub Pages from "
            "PORTFOLIO_BASE_URL).",
        )
    # The 404 page links by absolute path, so it works at any depth: its prefix is
    # the base URL's path, derived here so that html_baseurl stays the one setting.
    # The build goes on after a problem (to report every one), so the prefix is
    # one sphinx-notfound-page accepts, whatever the URL.
    config.notfound_urls_prefix = "/" if problem else base_path(config)


def _base_url_problem(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "is not an absolute http(s) URL"
    if parts.query or parts.fragment:
        return "has a query or a fragment"
    if not parts.path.endswith("/"):
        return "does not end with '/'"
    return ""


def build_timestamp(srcdir: str | Path, environ: Mapping[str, str] = os.environ) -> dt.datetime:
    """The time a build stands for, the same on every build of one commit.

    ``SOURCE_DATE_EPOCH`` when set (the reproducible-builds convention), else the
    time of the last git commit, else :data:`FALLBACK_EPOCH`.
    """
    epoch = _source_date_epoch(environ)
    if epoch is not None:
        return _utc(epoch)
    committed = _last_commit_time(srcdir)
    return _utc(FALLBACK_EPOCH if committed is None else committed)


def source_timestamp(
    srcdir: str | Path, path: str | Path, environ: Mapping[str, str] = os.environ
) -> dt.datetime:
    """When the file *path* last changed, the same on every build of one commit.

    The time of the last commit that touched it, so a commit that leaves a piece
    alone leaves its time alone too. ``SOURCE_DATE_EPOCH``, when set, is an upper
    bound (the reproducible-builds "clamp": nothing in the output is later than
    the time the caller says the build stands for). A file git does not know
    takes :func:`build_timestamp`.
    """
    committed = _last_commit_time(srcdir, path)
    if committed is None:
        return build_timestamp(srcdir, environ)
    epoch = _source_date_epoch(environ)
    return _utc(committed if epoch is None else min(committed, epoch))


def _source_date_epoch(environ: Mapping[str, str]) -> int | None:
    value = environ.get("SOURCE_DATE_EPOCH", "").strip()
    # Read as Sphinx reads it (int(), in sphinx.config.correct_copyright_year):
    # a value it cannot read stops Sphinx itself, so there is no check to add.
    return int(value) if value else None


def _last_commit_time(srcdir: str | Path, path: str | Path | None = None) -> int | None:
    """The Unix time of the last commit (touching *path*, if given); None outside git."""
    command = ["git", "log", "-1", "--format=%ct"]
    if path is not None:
        command += ["--", str(path)]
    try:
        result = subprocess.run(
            command, cwd=srcdir, capture_output=True, text=True, timeout=30, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    # An untracked file: git succeeds and prints nothing.
    stamp = result.stdout.strip()
    return int(stamp) if result.returncode == 0 and stamp.isdigit() else None


def _date_the_copyright(app, config) -> None:
    """Give the copyright's ``%Y`` the year of :func:`build_timestamp`, as the feed uses.

    Sphinx fills ``%Y`` from the clock (and corrects it only when
    SOURCE_DATE_EPOCH is set, which neither make nor the hosts do), so without
    this the footer would follow the clock while the feed follows the commits.
    """
    year = str(build_timestamp(app.srcdir).year)
    for name in ("copyright", "epub_copyright"):
        value = config[name] if name in config else None
        if isinstance(value, str):
            config[name] = value.replace("%Y", year)
        elif isinstance(value, (list, tuple)):
            config[name] = type(value)(line.replace("%Y", year) for line in value)


def _utc(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc)


def sitemap_xml(urls: list[str]) -> bytes:
    urlset = ET.Element("urlset", xmlns=SITEMAP_NS)
    for url in urls:
        ET.SubElement(ET.SubElement(urlset, "url"), "loc").text = url
    return xml_bytes(urlset)


def robots_txt(base: str) -> bytes:
    # Crawlers read robots.txt only at a host's root: under a sub-path this copy is
    # for reference, and the sitemap is best also submitted to the search engines.
    return f"User-agent: *\nAllow: /\n\nSitemap: {base}{SITEMAP_FILE}\n".encode()


def xml_bytes(root: ET.Element) -> bytes:
    # The root's xmlns puts every element in the format's namespace; attributes stay plain.
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n").encode("utf-8")


def _write_publishing_files(app, exception) -> None:
    if exception is not None or not is_published_build(app):
        return
    outdir = Path(app.outdir)
    base = base_url(app.config)
    write_if_changed(outdir / SITEMAP_FILE, sitemap_xml([page_url(app, d) for d in content_pages(app)]))
    write_if_changed(outdir / ROBOTS_FILE, robots_txt(base))


def _start_noting_generated_pages(app, builder) -> None:
    builder.portfolio_generated_pages = set()


def _note_generated_page(app, pagename, templatename, context, doctree) -> None:
    # Pages with no source (search, 404, ...): written by the builder and by
    # extensions on every build, in the main process.
    if pagename not in app.env.found_docs and hasattr(app.builder, "portfolio_generated_pages"):
        app.builder.portfolio_generated_pages.add(pagename)


def stale_pages(app) -> list[Path]:
    """Pages in the output folder that no source and no generator wrote.

    `make html` starts from a copy of the last site, so a page whose source was
    removed would stay there, reachable and listed nowhere. Sphinx's own folders
    (``_static``, ``_images``, ...) and html_extra_path files are left alone.
    """
    outdir = Path(app.outdir)
    builder = app.builder
    expected = {builder.get_target_uri(docname) for docname in app.env.found_docs}
    generated = getattr(builder, "portfolio_generated_pages", ())
    expected |= {f"{page}{builder.out_suffix}" for page in generated}
    for extra in app.config.html_extra_path:
        folder = Path(app.confdir, extra)
        expected |= {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    stale = []
    for path in outdir.rglob(f"*{builder.out_suffix}"):
        relative = path.relative_to(outdir)
        if relative.parts[0].startswith("_") or relative.as_posix() in expected:
            continue
        stale.append(path)
    return sorted(stale)


def _remove_stale_pages(app, exception) -> None:
    # The html builder only: its page for docname is get_target_uri(docname), one file.
    if exception is not None or app.builder.name != "html":
        return
    for path in stale_pages(app):
        relative = path.relative_to(app.outdir).as_posix()
        logger.info("removing %s: no longer a page of the site", relative)
        path.unlink()


def setup_publishing(app) -> None:
    # Before Sphinx fills %Y from the clock (evaluate_copyright_placeholders, priority 795).
    app.connect("config-inited", _date_the_copyright, priority=300)
    # Before sphinx-notfound-page checks its prefix (priority 500), which this sets.
    app.connect("config-inited", _check_base_url, priority=400)
    app.connect("write-started", _start_noting_generated_pages)
    app.connect("html-page-context", _note_generated_page)
    # Before the sitemap and the feed are written (priority 500).
    app.connect("build-finished", _remove_stale_pages, priority=400)
    app.connect("build-finished", _write_publishing_files)
