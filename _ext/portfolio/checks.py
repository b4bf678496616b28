"""Site-wide checks, and how a problem fails the build.

Input: the environment after every page is read. Output: one error line per
problem (file, field, fix) and, when there was one, a failed build (exit
status 1) even without ``-W``: a portfolio with a page left out is not one to
publish.

Sphinx 9 prints any exception that escapes a build as a crash report with a
traceback and a request to report a Sphinx bug (even a ``ConfigError`` raised
from ``config-inited``), so problems are logged here, never raised out of the
build. A problem in the settings (conf.py, the environment) is found before
there is an environment: it is remembered on the application instead, and
fails the build the same way.
"""

from __future__ import annotations

import logging as python_logging

from docutils import nodes
from sphinx.util import logging

from .content import AREAS_DIR, Article, shown

logger = logging.getLogger(__name__)


def reset_problems(env) -> None:
    """Forget the previous build's problems: every check runs again on each build."""
    env.portfolio_problems = []


def report_problem(env, message: str, subtype: str, location=None) -> None:
    """Log *message* (one line: file, field, fix) and remember that the build failed."""
    if not hasattr(env, "portfolio_problems"):
        reset_problems(env)
    env.portfolio_problems.append(message)
    logger.error(message, type="portfolio", subtype=subtype, location=location)


def report_config_problem(app, message: str) -> None:
    """Log *message* (one line: setting, fix) and remember that the build failed.

    Logged without a warning type, so the line is exactly the message and no
    ``suppress_warnings`` entry can hide it.
    """
    if not hasattr(app, "portfolio_config_problems"):
        app.portfolio_config_problems = []
    app.portfolio_config_problems.append(message)
    logger.error(message)


def report_reading_problem(env, message: str, subtype: str) -> None:
    """``report_problem`` for a problem found while reading the current page.

    The page is read again on every build until the problem is gone, so a
    rebuild that changes nothing reports it again and fails again.
    """
    report_problem(env, message, subtype)
    _init_env(env)
    env.portfolio_pages_with_problems.add(env.docname)


def _init_env(env) -> None:
    if not hasattr(env, "portfolio_pages_with_problems"):
        env.portfolio_pages_with_problems = set()


def _pages_to_reread(app, env, added, changed, removed) -> list[str]:
    _init_env(env)
    return sorted(env.portfolio_pages_with_problems & env.found_docs)


def _purge_doc(app, env, docname: str) -> None:
    _init_env(env)
    env.portfolio_pages_with_problems.discard(docname)


def _merge_info(app, env, docnames, other) -> None:
    _init_env(env)
    env.portfolio_pages_with_problems |= (
        getattr(other, "portfolio_pages_with_problems", set()) & set(docnames)
    )


def check_config(app, config) -> None:
    """The identity and contact settings: each problem on one line, the build goes on."""
    for name in ("portfolio_name", "portfolio_role", "portfolio_headline"):
        if not str(getattr(config, name)).strip():
            report_config_problem(app, f"conf.py: setting '{name}': empty; write the text in conf.py.")
    complete = []
    for index, entry in enumerate(config.portfolio_contact):
        if not isinstance(entry, dict):
            report_config_problem(
                app,
                f"conf.py: setting 'portfolio_contact', entry {index + 1}: {shown(entry)} is not "
                "a dict; write each entry as {'label': ..., 'url': ..., 'text': ...}.",
            )
            continue
        missing = [key for key in ("label", "url", "text") if not str(entry.get(key, "")).strip()]
        if missing:
            report_config_problem(
                app,
                f"conf.py: setting 'portfolio_contact', entry {index + 1}: missing "
                f"{', '.join(repr(key) for key in missing)}; give each entry a label, a url and a text.",
            )
        else:
            complete.append(entry)
    # The build goes on, to report every problem at once, and fails at the end
    # (fail_on_problems): an incomplete entry is left out meanwhile.
    config.portfolio_contact = complete


def _silence_sphinx_unlisted_page_warning(app, config) -> None:
    # check_every_page_is_listed reports a page that no page lists, with the
    # fix; Sphinx's own line would repeat it.
    config.suppress_warnings = [*config.suppress_warnings, "toc.not_included"]


def check_every_page_is_listed(app, env) -> None:
    """Every page is reachable from the navigation, or says why not.

    Replaces Sphinx's "document isn't included in any toctree" (suppressed in
    ``_silence_sphinx_unlisted_page_warning``), which names the file but not the
    fix. Runs on every build, not only when a page changed, so a rebuild cannot
    pass over a page left out.
    """
    portfolio = getattr(env, "portfolio", None)
    if portfolio is None:
        return
    # Pages with a front matter problem are already reported and left out of
    # the portfolio: not listing them is a consequence, not a second problem.
    reported = portfolio.reported_docnames
    included = set().union(*env.included.values())
    unlisted = [
        docname
        for docname in sorted(env.all_docs)
        if not (
            docname == app.config.root_doc
            or docname in env.files_to_rebuild
            or docname in included
            or docname in reported
            or "orphan" in env.metadata.get(docname, {})
        )
    ]
    # One line per cause: the case studies of an area page without its
    # case-studies block, the areas of an index without its work-areas block.
    causes: dict[str, list[str]] = {}
    for docname in unlisted:
        item = portfolio.by_docname(docname)
        if isinstance(item, Article):
            area_page = f"{AREAS_DIR}/{item.area}.md"
            cause = (
                f"front matter field 'area': {area_page} does not list its case studies, so no "
                f"page links here; end {area_page} with a ':::{{case-studies}}' line and a "
                "':::' line."
            )
        elif item is not None:
            cause = (
                "not listed on any page: the index lists the work areas with a "
                "':::{work-areas}' block; add one (and a ':::' line) to "
                f"{env.doc2path(app.config.root_doc, False)}."
            )
        else:
            cause = (
                "not listed on any page; a case study goes directly in articles/ with its "
                "front matter, any other page goes in a page's toctree, or add 'orphan: true' "
                "to its front matter if only links should reach it."
            )
        causes.setdefault(cause, []).append(str(env.doc2path(docname, False)))
    for cause, paths in causes.items():
        report_problem(env, f"{', '.join(paths)}: {cause}", "not_listed")


class HeadingsOfReportedPages(python_logging.Filter):
    """Drops MyST's heading-level lines for a page whose front matter problem is reported.

    The title in front matter is the page's H1 (``myst_title_to_header``); a
    page whose front matter is missing, malformed or has no title starts at
    H2, and MyST says so for each heading: a consequence of the one problem
    already reported with its fix, not another problem. Other pages keep the
    warning.
    """

    def __init__(self, app) -> None:
        super().__init__()
        self.app = app

    def filter(self, record: python_logging.LogRecord) -> bool:
        if (getattr(record, "type", None), getattr(record, "subtype", None)) != ("myst", "header"):
            return True
        portfolio = getattr(self.app.env, "portfolio", None)
        if portfolio is None:
            return True
        location = getattr(record, "location", None)
        docname = location[0] if isinstance(location, tuple) else self.app.env.docname
        return docname not in portfolio.reported_docnames


def _filter_headings_of_reported_pages(app) -> None:
    # On Sphinx's warning handlers, first: before -W (without --keep-going)
    # turns the line into an exception, and before the line is counted.
    for handler in python_logging.getLogger("sphinx").handlers:
        if isinstance(handler, logging.WarningStreamHandler) and not any(
            isinstance(f, HeadingsOfReportedPages) for f in handler.filters
        ):
            handler.filters.insert(0, HeadingsOfReportedPages(app))


def check_one_title(app, doctree) -> None:
    """A piece's title comes from its front matter; a ``# `` line in the body repeats it."""
    env = app.env
    portfolio = getattr(env, "portfolio", None)
    if portfolio is None or portfolio.by_docname(env.docname) is None:
        return
    titles = [node for node in doctree.children if isinstance(node, nodes.section)]
    for extra in titles[1:]:
        path = env.doc2path(env.docname, False)
        report_reading_problem(
            env,
            f"{path}:{extra.line or extra[0].line or 0}: a '# ' heading "
            f"'{extra[0].astext()}' makes a second page title; the title comes from the "
            "front matter field 'title': remove the line, or make it a '## ' section.",
            "title",
        )


def fail_on_problems(app, exception) -> None:
    if exception is not None:
        return
    if getattr(app.env, "portfolio_problems", None) or getattr(
        app, "portfolio_config_problems", None
    ):
        app.statuscode = 1


def setup_checks(app) -> None:
    app.connect("config-inited", check_config)
    app.connect("config-inited", _silence_sphinx_unlisted_page_warning)
    app.connect("env-get-outdated", _pages_to_reread)
    app.connect("env-purge-doc", _purge_doc)
    app.connect("env-merge-info", _merge_info)
    app.connect("builder-inited", _filter_headings_of_reported_pages)
    app.connect("doctree-read", check_one_title)
    app.connect("env-updated", check_every_page_is_listed)
    app.connect("build-finished", fail_on_problems)
