"""Per-page additions and the incremental-build bookkeeping.

* Before reading: load the portfolio from front matter and tell Sphinx which
  pages show a card that went stale, so a plain rebuild updates every card.
* While reading: under an article's title, the area it belongs to (a link),
  its date once it has one, and its summary as the opening paragraph; under an
  area's title, its number, tagline and paragraph.
* While writing: each page's meta description.
* Dead links: one line that names the file, the target and the fix.
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from .content import AREAS_DIR, Area, Article, load_portfolio

logger = logging.getLogger(__name__)


def _init_env(app, env, docnames=None) -> None:
    # Card page -> the docnames of the areas and case studies it shows cards of.
    if not isinstance(getattr(env, "portfolio_card_pages", None), dict):
        env.portfolio_card_pages = {}


def _outdated_pages(app, env, added, changed, removed) -> list[str]:
    """Pages to re-read because something they show from front matter changed."""
    _init_env(app, env)
    previous = getattr(env, "portfolio", None)
    env.portfolio = load_portfolio(app.srcdir)
    if previous is None:
        return []
    current = env.portfolio
    if _titles(previous) != _titles(current):
        # Every page's navigation shows the titles.
        return sorted(env.found_docs)
    stale = _stale_cards(previous, current)
    return sorted(
        page for page, shown in env.portfolio_card_pages.items()
        if shown & stale and page in env.found_docs
    )


def _titles(portfolio) -> list[tuple[str, str]]:
    return [(item.docname, item.title) for item in (*portfolio.areas, *portfolio.articles)]


def _stale_cards(previous, current) -> set[str]:
    """Docnames whose card changed, with the areas a changed case study leaves or joins."""
    stale: set[str] = set()
    old_areas = {area.docname: area for area in previous.areas}
    new_areas = {area.docname: area for area in current.areas}
    stale |= {name for name in old_areas.keys() | new_areas.keys() if old_areas.get(name) != new_areas.get(name)}
    old_articles = {article.docname: article for article in previous.articles}
    new_articles = {article.docname: article for article in current.articles}
    for name in old_articles.keys() | new_articles.keys():
        before, after = old_articles.get(name), new_articles.get(name)
        if (before and before.card_fields()) != (after and after.card_fields()):
            stale.add(name)
            stale |= {f"{AREAS_DIR}/{article.area}" for article in (before, after) if article}
    return stale


def _purge_doc(app, env, docname: str) -> None:
    _init_env(app, env)
    env.portfolio_card_pages.pop(docname, None)


def _merge_info(app, env, docnames, other) -> None:
    _init_env(app, env)
    for docname, shown in getattr(other, "portfolio_card_pages", {}).items():
        if docname in docnames:
            env.portfolio_card_pages[docname] = set(shown)


def _skip_card_pages_on_body_edits(app, builder) -> None:
    """Keep an edit to a piece's body from rewriting the pages that list it.

    Sphinx rewrites every page whose toctree includes an updated page, in case
    the title it lists changed. A card page's toctrees are hidden and list the
    pieces it shows cards of; a changed title or card already re-reads the pages
    that show it (``_outdated_pages``), so that rewrite only costs time. The
    links are set aside while Sphinx picks the pages to write (the environment
    is saved and checked with them before this) and put back when it finishes.
    """
    env = builder.env
    _init_env(app, env)
    set_aside = {}
    for shown in env.portfolio_card_pages.values():
        for docname in shown:
            parents = env.files_to_rebuild.get(docname, set())
            card_parents = parents & env.portfolio_card_pages.keys()
            if card_parents:
                set_aside[docname] = card_parents
                parents -= card_parents
    app.portfolio_set_aside_parents = set_aside


def _restore_card_pages(app, exception) -> None:
    set_aside = getattr(app, "portfolio_set_aside_parents", {})
    for docname, parents in set_aside.items():
        app.env.files_to_rebuild.setdefault(docname, set()).update(parents)
    app.portfolio_set_aside_parents = {}


class InsertLead(SphinxTransform):
    """Under the page title, what the front matter says about the page."""

    # Before SmartQuotes (750), so the inserted text gets typographic quotes too.
    default_priority = 500

    def apply(self, **kwargs) -> None:
        portfolio = getattr(self.env, "portfolio", None)
        item = portfolio.by_docname(self.env.docname) if portfolio else None
        if item is None:
            return
        section = next(iter(self.document.findall(nodes.section)), None)
        if section is None or not isinstance(section[0], nodes.title):
            return
        if isinstance(item, Article):
            lead = self._article_lead(portfolio, item)
        else:
            lead = self._area_lead(portfolio, item)
        section[1:1] = lead

    def _article_lead(self, portfolio, article: Article) -> list[nodes.Node]:
        area = portfolio.area(article.area)
        byline = nodes.paragraph(classes=["byline"])
        byline += nodes.Text("Part of ")
        xref = addnodes.pending_xref(
            "", refdomain="std", reftype="doc", reftarget=f"/{area.docname}",
            refexplicit=True, refwarn=True, refdoc=self.env.docname,
        )
        xref += nodes.inline("", area.title)
        byline += xref
        if article.date:
            byline += nodes.Text(" · ")
            byline += nodes.raw(
                "", f'<time datetime="{article.date.isoformat()}">'
                f"{article.date.strftime('%-d %B %Y')}</time>", format="html",
            )
        summary = nodes.paragraph("", article.summary, classes=["lead"])
        return [byline, summary]

    def _area_lead(self, portfolio, area: Area) -> list[nodes.Node]:
        number = nodes.paragraph("", f"Work area {portfolio.number(area)}", classes=["area-kicker"])
        tagline = nodes.paragraph("", area.tagline, classes=["area-tagline"])
        summary = nodes.paragraph("", area.summary, classes=["lead"])
        return [number, tagline, summary]


def _meta_description(app, pagename, templatename, context, doctree) -> None:
    portfolio = getattr(app.env, "portfolio", None)
    item = portfolio.by_docname(pagename) if portfolio else None
    description = item.summary if item else _first_paragraph(doctree)
    if not description:
        return
    context["metatags"] = context.get("metatags", "") + (
        f'\n    <meta name="description" content="{escape(" ".join(description.split()))}">'
    )


def _first_paragraph(doctree) -> str:
    if doctree is None:
        return ""
    for para in doctree.findall(nodes.paragraph):
        text = para.astext().strip()
        if len(text) > 60:
            return text
    return ""


def _missing_reference(app, domain, node) -> bool | None:
    """Say what to do about a link to a page that does not exist."""
    if node.get("reftype") != "doc":
        return None
    target = node["reftarget"]
    logger.warning(
        "link to '%s': no such page; create %s.md or correct the link's target.",
        target, target.lstrip("/"),
        location=node, type="ref", subtype="doc",
    )
    return True


def setup_pages(app) -> None:
    app.connect("builder-inited", lambda app: _init_env(app, app.env))
    app.connect("env-get-outdated", _outdated_pages)
    app.connect("env-purge-doc", _purge_doc)
    app.connect("env-merge-info", _merge_info)
    app.connect("write-started", _skip_card_pages_on_body_edits)
    app.connect("build-finished", _restore_card_pages)
    app.connect("html-page-context", _meta_description)
    app.connect("warn-missing-reference", _missing_reference)
    app.add_transform(InsertLead)
