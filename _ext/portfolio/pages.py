"""Per-page additions and the incremental-build bookkeeping.

* Before reading: load the portfolio from front matter and tell Sphinx which
  pages show a card that went stale, so a plain rebuild updates every card.
* While reading: under an article's title, the area it belongs to (a link),
  its date once it has one, and its summary as the opening paragraph; under an
  area's title, its number, tagline and paragraph.
* While writing: each page's meta description; one viewport tag; code blocks a
  keyboard can scroll.
"""

from __future__ import annotations

import re
from html import escape

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from .checks import report_problem, reset_problems
from .content import Area, Article, load_portfolio


def _init_env(app, env) -> None:
    if not hasattr(env, "portfolio_card_pages"):
        # docname -> the areas whose cards (or number, tagline, summary) it shows
        env.portfolio_card_pages = {}


def _outdated_pages(app, env, added, changed, removed) -> list[str]:
    """Pages to re-read because something they show from front matter changed."""
    _init_env(app, env)
    reset_problems(env)
    previous = getattr(env, "portfolio", None)
    env.portfolio = load_portfolio(app.srcdir)
    for problem in env.portfolio.problems:
        report_problem(env, problem.message, "front_matter")
    if previous is None:
        return []
    current = env.portfolio
    if _titles(previous) != _titles(current):
        # Every page's navigation shows the titles.
        return sorted(env.found_docs)
    stale = {
        slug for slug in {area.slug for area in (*previous.areas, *current.areas)}
        if _cards(previous, slug) != _cards(current, slug)
    }
    # Only the pages that show a changed area: editing a money-movement card
    # leaves the other areas' pages alone.
    return sorted(
        docname for docname, shown in env.portfolio_card_pages.items()
        if shown & stale and docname in env.found_docs
    )


def _drop_malformed_front_matter(app, docname: str, source: list[str]) -> None:
    """Read a page whose front matter is not YAML as if it had none.

    Its problem is already reported with the fix (``content.read_front_matter``);
    MyST would add a second, vaguer line ("Malformed YAML") for the same problem,
    or stop the build on a value its loader cannot build (``date: 2024-02-30``).
    """
    portfolio = getattr(app.env, "portfolio", None)
    if portfolio is None:
        return
    problem = next((p for p in portfolio.problems if p.docname == docname), None)
    if problem is None or not problem.unreadable_front_matter_lines:
        return
    lines = source[0].splitlines(keepends=True)
    skipped = problem.unreadable_front_matter_lines
    # Blank lines in its place keep the body's line numbers right.
    source[0] = "\n" * skipped + "".join(lines[skipped:])


def _titles(portfolio) -> list[tuple[str, str]]:
    return [(item.docname, item.title) for item in (*portfolio.areas, *portfolio.articles)]


def _cards(portfolio, slug: str) -> tuple:
    """What a page shows of area *slug*: its own fields and its case studies' cards."""
    area = next((area for area in portfolio.areas if area.slug == slug), None)
    return (
        area,
        portfolio.number(area) if area else None,
        tuple(
            article.card_fields() + (article.docname,)
            for article in portfolio.articles_in(slug)
        ),
    )


def _purge_doc(app, env, docname: str) -> None:
    _init_env(app, env)
    env.portfolio_card_pages.pop(docname, None)


def _merge_info(app, env, docnames, other) -> None:
    _init_env(app, env)
    theirs = getattr(other, "portfolio_card_pages", {})
    env.portfolio_card_pages.update(
        (docname, shown) for docname, shown in theirs.items() if docname in docnames
    )


def _skip_card_pages_on_body_edits(app, builder) -> None:
    """Keep an edit to a piece's body from rewriting the pages that list it.

    Sphinx rewrites every page whose toctree includes an updated page, in case
    the title it lists changed. A card page's toctrees are hidden and list the
    areas and pieces it shows; a changed title or card already re-reads the
    pages that show it (``_outdated_pages``), so that rewrite only costs time.
    The links are set aside while Sphinx picks the pages to write (the
    environment is saved and checked with them before this) and put back when
    it finishes.
    """
    env = builder.env
    _init_env(app, env)
    portfolio = getattr(env, "portfolio", None)
    if portfolio is None:
        return
    card_pages = env.portfolio_card_pages.keys()
    set_aside = {}
    for item in (*portfolio.areas, *portfolio.articles):
        parents = env.files_to_rebuild.get(item.docname, set())
        card_parents = parents & card_pages
        if card_parents:
            set_aside[item.docname] = card_parents
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
                f"{_spelled_date(article.date)}</time>", format="html",
            )
        summary = nodes.paragraph("", article.summary, classes=["lead"])
        return [byline, summary]

    def _area_lead(self, portfolio, area: Area) -> list[nodes.Node]:
        number = nodes.paragraph("", f"Work area {portfolio.number(area)}", classes=["area-kicker"])
        tagline = nodes.paragraph("", area.tagline, classes=["area-tagline"])
        summary = nodes.paragraph("", area.summary, classes=["lead"])
        return [number, tagline, summary]


def _generated_page_description(app, pagename: str) -> str:
    """One line for the pages Sphinx and sphinx-notfound-page make, which have no text to quote."""
    if pagename == "search":
        return f"Search the pages of {app.config.html_title}."
    if pagename == app.config.notfound_pagename:
        return f"Nothing lives at this address on {app.config.html_title}: the ways back in."
    return ""


def _meta_description(app, pagename, templatename, context, doctree) -> None:
    portfolio = getattr(app.env, "portfolio", None)
    item = portfolio.by_docname(pagename) if portfolio else None
    if item:
        description = item.summary
    elif pagename in app.env.found_docs:
        description = _first_paragraph(doctree)
    else:
        description = _generated_page_description(app, pagename)
    if not description:
        return
    # One description per page: the sharing tags (og:description) reuse it.
    context["page_description"] = " ".join(description.split())
    context["metatags"] = context.get("metatags", "") + (
        f'\n    <meta name="description" content="{escape(" ".join(description.split()))}">'
    )


# docutils' HTML5 writer puts a viewport tag in every page's metatags, and Sphinx
# passes it on (it strips docutils' first two tags by position, from before the
# viewport tag existed: sphinx-doc/sphinx#11699); Furo's template writes its own.
# The theme's is the one to keep: it is there on every page, generated ones too.
_VIEWPORT_TAG = re.compile(r'<meta name="viewport"[^>]*>\n?')


def _one_viewport_tag(app, pagename, templatename, context, doctree) -> None:
    metatags = context.get("metatags")
    if metatags:
        context["metatags"] = _VIEWPORT_TAG.sub("", metatags)


# A long line of code makes its block scroll sideways, which a keyboard user can only do once
# the block can take focus (WCAG 2.1.1; axe: scrollable-region-focusable).
_CODE_BLOCK_START = '<div class="highlight"><pre>'


def _focusable_code_blocks(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if body and _CODE_BLOCK_START in body:
        context["body"] = body.replace(_CODE_BLOCK_START, '<div class="highlight"><pre tabindex="0">')


def _first_paragraph(doctree) -> str:
    if doctree is None:
        return ""
    for para in doctree.findall(nodes.paragraph):
        text = para.astext().strip()
        if len(text) > 60:
            return text
    return ""


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def _spelled_date(date) -> str:
    """'1 March 2024': spelled out, since strftime's %-d, %B and %Y vary by platform and locale."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def setup_pages(app) -> None:
    app.connect("builder-inited", lambda app: _init_env(app, app.env))
    app.connect("env-get-outdated", _outdated_pages)
    app.connect("source-read", _drop_malformed_front_matter)
    app.connect("env-purge-doc", _purge_doc)
    app.connect("env-merge-info", _merge_info)
    app.connect("write-started", _skip_card_pages_on_body_edits)
    app.connect("build-finished", _restore_card_pages)
    app.connect("html-page-context", _meta_description)
    app.connect("html-page-context", _one_viewport_tag)
    app.connect("html-page-context", _focusable_code_blocks)
    app.add_transform(InsertLead)
