"""How a problem is reported, and the checks that span the whole site.

Input: the settings, each page's doctree as it is read, and the environment
once every page is read. Output: one warning line per problem (file, field,
fix), through Sphinx's logging, so ``-W`` (``make html``) fails the build the
same way serially and with ``-j``, ``suppress_warnings`` can silence a subtype
(``portfolio.<subtype>``), and the exit status is Sphinx's own.

A page with a problem is read again on every build until the problem is gone,
so a rebuild that changes nothing reports it again and fails again.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util import docname_join, logging

from .content import AREAS_DIR, Article, shown

logger = logging.getLogger(__name__)


def warn(message: str, subtype: str, location=None) -> None:
    """Report one problem: *message* says what is wrong and what to do."""
    logger.warning(message, type="portfolio", subtype=subtype, location=location)


def warn_while_reading(env, message: str, subtype: str, location=None) -> None:
    """``warn`` for a problem in the page being read; the page is read again next build."""
    warn(message, subtype, location=location or env.docname)
    env.portfolio_pages_with_problems.add(env.docname)


def _init_env(app) -> None:
    if not hasattr(app.env, "portfolio_pages_with_problems"):  # a new environment
        app.env.portfolio_pages_with_problems = set()


def _pages_with_problems(app, env, added, changed, removed) -> list[str]:
    return sorted(env.portfolio_pages_with_problems & env.found_docs)


def _purge_doc(app, env, docname: str) -> None:
    env.portfolio_pages_with_problems.discard(docname)


def _merge_info(app, env, docnames, other) -> None:
    env.portfolio_pages_with_problems |= other.portfolio_pages_with_problems & set(docnames)


def check_identity(app, config) -> None:
    """The identity and contact settings: one line per problem; incomplete entries are left out."""
    for name in ("portfolio_name", "portfolio_role", "portfolio_headline"):
        if not str(getattr(config, name)).strip():
            warn(f"conf.py: setting '{name}': empty; write the text in conf.py.", "config")
    complete = []
    for index, entry in enumerate(config.portfolio_contact):
        if not isinstance(entry, dict):
            warn(
                f"conf.py: setting 'portfolio_contact', entry {index + 1}: {shown(entry)} is not "
                "a dict; write each entry as {'label': ..., 'url': ..., 'text': ...}.",
                "config",
            )
            continue
        missing = [key for key in ("label", "url", "text") if not str(entry.get(key, "")).strip()]
        if missing:
            warn(
                f"conf.py: setting 'portfolio_contact', entry {index + 1}: missing "
                f"{', '.join(repr(key) for key in missing)}; give each entry a label, a url "
                "and a text.",
                "config",
            )
        else:
            complete.append(entry)
    config.portfolio_contact = complete


def _silence_sphinx_unlisted_page_warning(app, config) -> None:
    # check_every_page_is_listed reports a page no page lists, with the fix;
    # Sphinx's own line would repeat it without one.
    config.suppress_warnings = [*config.suppress_warnings, "toc.not_included"]


def check_every_page_is_listed(app, env) -> None:
    """Every page is reachable from the navigation, or says why not.

    Sphinx's own check (``BuildEnvironment.check_consistency``), with a fix for
    each cause. Runs on every build, so a rebuild cannot pass over a page left out.
    """
    portfolio = getattr(env, "portfolio", None)
    if portfolio is None:
        return
    # Pages with a front matter problem are reported already and left out of
    # the portfolio: not listing them is a consequence, not a second problem.
    reported = portfolio.reported_docnames
    included = set().union(*env.included.values())
    unlisted = [
        docname for docname in sorted(env.all_docs)
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
        warn(f"{', '.join(paths)}: {cause}", "not_listed")


def check_one_title(app, doctree) -> None:
    """A piece's title comes from its front matter; a ``# `` line in the body repeats it."""
    env = app.env
    portfolio = getattr(env, "portfolio", None)
    if portfolio is None or portfolio.by_docname(env.docname) is None:
        return
    titles = [node for node in doctree.children if isinstance(node, nodes.section)]
    for extra in titles[1:]:
        warn_while_reading(
            env,
            f"a '# ' heading '{extra[0].astext()}' makes a second page title; the title comes "
            "from the front matter field 'title': remove the line, or make it a '## ' section.",
            "title",
            location=extra[0],
        )


def check_diagram_fences(app, doctree) -> None:
    """A ```mermaid fence would get only Pygments' "lexer name 'mermaid' is not known"."""
    for block in doctree.findall(nodes.literal_block):
        if block.get("language") == "mermaid":
            warn_while_reading(
                app.env,
                "a ```mermaid block: diagrams here are written as a ':::{diagram}' block (a "
                "sequence, or a Graphviz graph), drawn at build time; README, Writing a piece, "
                "shows one.",
                "diagram",
                location=block,
            )
            block["language"] = "text"  # the line above says it all


def report_missing_page(app, domain, node) -> bool | None:
    """Say what to do about a ``{doc}`` link (or a card) to a page that does not exist."""
    if node.get("reftype") != "doc":
        return None
    target = node["reftarget"]
    # A target without a leading '/' is relative to the linking page's folder.
    docname = docname_join(node.get("refdoc", ""), target)
    warn(f"link to '{target}': no such page; create {docname}.md or correct the link's target.",
         "link", location=node)
    return True


def setup_checks(app) -> None:
    app.connect("config-inited", check_identity)
    app.connect("config-inited", _silence_sphinx_unlisted_page_warning)
    app.connect("builder-inited", _init_env)
    app.connect("env-get-outdated", _pages_with_problems)
    app.connect("env-purge-doc", _purge_doc)
    app.connect("env-merge-info", _merge_info)
    app.connect("doctree-read", check_one_title)
    app.connect("doctree-read", check_diagram_fences)
    app.connect("env-updated", check_every_page_is_listed)
    app.connect("warn-missing-reference", report_missing_page)
