"""How a problem is reported, and the checks that span the whole site.

Input: each page's doctree as it is read, and the environment once every page
is read. (The settings are checked by ``settings``.) Output: one warning line per problem (file, field,
fix), through Sphinx's logging, so ``-W`` (``make html``) fails the build the
same way serially and with ``-j``, ``suppress_warnings`` can silence a subtype
(``portfolio.<subtype>``), and the exit status is Sphinx's own.

A page with a problem is read again on every build until the problem is gone,
so a rebuild that changes nothing reports it again and fails again.
"""

from __future__ import annotations

import dataclasses

from docutils import nodes
from sphinx.util import docname_join, logging

from .content import AREAS_DIR, ARTICLES_DIR, Article

logger = logging.getLogger(__name__)


def warn(message: str, subtype: str, location=None) -> None:
    """Report one problem: *message* says what is wrong and what to do."""
    logger.warning(message, type="portfolio", subtype=subtype, location=location)


def warn_while_reading(env, message: str, subtype: str, location=None) -> None:
    """``warn`` for a problem in the page being read; the page is read again next build."""
    warn(message, subtype, location=location or env.docname)
    env.current_document["portfolio_problem"] = True  # collector.PROBLEM


def hint_unlisted_pages(app, env) -> None:
    """Beside Sphinx's own line for each page no toctree lists (``toc.not_included``), one
    line per cause we know, with its fix. Sphinx checks only when a page was read, so
    each such page is read again next build, until it is listed."""
    portfolio = env.portfolio
    included = {docname for page in env.portfolio_pages.values() for docname in page.lists}
    causes: dict[str, list[str]] = {}
    for docname in sorted(env.found_docs - included - {app.config.root_doc}):
        if "orphan" in env.metadata.get(docname, {}):
            continue
        item = portfolio.by_docname(docname)
        if isinstance(item, Article):
            area_page = f"{AREAS_DIR}/{item.area}.md"
            cause = (f"front matter field 'area': {area_page} does not list its case studies, so "
                     f"no page links here; end {area_page} with a ':::{{case-studies}}' line and a "
                     "':::' line.")
        elif item is not None:
            cause = ("not listed on any page: the index lists the work areas with a "
                     "':::{work-areas}' block; add one (and a ':::' line) to "
                     f"{env.doc2path(app.config.root_doc, False)}.")
        elif docname.startswith(f"{ARTICLES_DIR}/"):
            cause = ("not listed on any page; a case study goes directly in articles/ with its "
                     "front matter, or add 'orphan: true' to its front matter if only links should "
                     "reach it.")
        else:
            continue  # Sphinx's own line says it
        causes.setdefault(cause, []).append(str(env.doc2path(docname, False)))
        if docname in env.portfolio_pages:
            env.portfolio_pages[docname] = dataclasses.replace(env.portfolio_pages[docname], problem=True)
    for cause, paths in causes.items():
        warn(f"{', '.join(paths)}: {cause}", "not_listed")


def check_one_title(app, doctree) -> None:
    """A piece's title comes from its front matter; a ``# `` line in the body repeats it."""
    env = app.env
    if env.portfolio.by_docname(env.docname) is None:
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
    # Before the collector records the page (500): a problem found here has it read again.
    app.connect("doctree-read", check_one_title, priority=400)
    app.connect("doctree-read", check_diagram_fences, priority=400)
    app.connect("env-updated", hint_unlisted_pages)
    app.connect("warn-missing-reference", report_missing_page)
