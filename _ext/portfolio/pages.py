"""Per-page additions and the incremental-build bookkeeping.

* Before reading: load the portfolio from front matter and tell Sphinx which
  pages show a card that went stale, so a plain rebuild updates every card.
* While reading: under an article's title, a byline (the area it belongs to,
  as a link, and its reading time) and its summary as the opening paragraph;
  above an area's title its number, under it its tagline, byline and paragraph.
* While writing: the byline's "Updated <date>", known once every page is read
  (the same date the feed gives), each page's meta description, and on a
  piece or an area the call to contact at its end (``_templates/page.html``).
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from .checks import warn
from .content import AREAS_DIR, ARTICLES_DIR, Area, Article, load_portfolio
from .directives import reading_time, stack_text
from .drafts import includes_drafts
from .publishing import last_updated

BYLINE_SEPARATOR = " · "


class updated_date(nodes.inline):
    """Where the byline's "Updated <date>" goes: filled in once the date is known."""


def _init_env(app) -> None:
    if not hasattr(app.env, "portfolio_card_pages"):  # a new environment
        # docname -> the areas whose cards (or number, tagline, summary) it shows
        app.env.portfolio_card_pages = {}
        # what each area's and piece's text gave when last read (content.load_portfolio)
        app.env.portfolio_pages_read = {}


def _outdated_pages(app, env, added, changed, removed) -> list[str]:
    """Pages to re-read because something they show from front matter changed."""
    previous = getattr(env, "portfolio", None)
    env.portfolio = load_portfolio(app.srcdir, env.portfolio_pages_read, drafts=includes_drafts(app.config))
    for problem in env.portfolio.problems:
        warn(problem.message.removeprefix(f"{problem.docname}.md: "), "front_matter",
             location=problem.docname)
    _report_empty_areas(env.portfolio)
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


def _report_empty_areas(portfolio) -> None:
    """One line per area without a piece, unless a piece left out for its own problem
    (a mistyped 'area:', say) is why: its line says so already."""
    if any(p.left_out and p.docname.startswith(f"{ARTICLES_DIR}/") for p in portfolio.problems):
        return
    for area in portfolio.areas:
        if portfolio.articles_in(area.slug):
            continue
        if drafts := [a.docname for a in portfolio.drafts_left_out if a.area == area.slug]:
            warn(f"its only case studies are drafts ({', '.join(drafts)}), which only the preview "
                 "(make livehtml) shows: remove the 'draft: true' line of one to publish it, or "
                 f"remove {area.docname}.md until then.", "empty_area", location=area.docname)
        else:
            warn(f"no case studies in this area yet: add one with 'area: {area.slug}' in its front "
                 f"matter (make new-piece AREA={area.slug} SLUG=<name>), or remove {area.docname}.md.",
                 "empty_area", location=area.docname)


def _read_without_bad_front_matter(app, docname: str, source: list[str]) -> None:
    """Read a page whose front matter has a problem as a page titled by its file name.

    The problem is reported already with its fix (``content``); MyST would add
    vaguer lines for the same problem: "Malformed YAML", or one line per
    heading when the page has no title to start at.
    """
    portfolio = getattr(app.env, "portfolio", None)
    problem = next((p for p in portfolio.problems if p.docname == docname), None) if portfolio else None
    if problem is None or not problem.left_out:
        return
    lines = source[0].splitlines(keepends=True)
    skipped = problem.front_matter_lines
    # Blank lines after the heading keep the body's line numbers right.
    heading = f"# {docname.rpartition('/')[2]}\n"
    source[0] = heading + "\n" * max(skipped - 1, 0) + "".join(lines[skipped:])


def _titles(portfolio) -> list[tuple[str, str]]:
    return [(item.docname, item.title) for item in (*portfolio.areas, *portfolio.articles)]


def _cards(portfolio, slug: str) -> tuple:
    """What a page shows of area *slug*: its own fields and its case studies' cards."""
    area = next((area for area in portfolio.areas if area.slug == slug), None)
    return (
        area,
        portfolio.number(area) if area else None,
        tuple(
            (article.docname, article.title, article.order, article.summary, article.reading_minutes,
             article.stack)
            for article in portfolio.articles_in(slug)
        ),
    )


def _purge_doc(app, env, docname: str) -> None:
    env.portfolio_card_pages.pop(docname, None)


def _merge_info(app, env, docnames, other) -> None:
    for docname in docnames:
        if docname in other.portfolio_card_pages:
            env.portfolio_card_pages[docname] = other.portfolio_card_pages[docname]


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
            # The area's number above its title, outside the section: the section's
            # first child stays its title, which Sphinx reads as the page's title.
            section.parent.insert(section.parent.index(section), self._area_number(portfolio, item))
        section[1:1] = lead

    def _byline(self, item: Area | Article, *parts: nodes.Node) -> nodes.paragraph:
        byline = nodes.paragraph(classes=["byline"])
        parts = (*parts, updated_date(), nodes.inline("", reading_time(item.reading_minutes), classes=["reading-time"]))
        for index, part in enumerate(parts):
            if index:
                byline += nodes.Text(BYLINE_SEPARATOR)
            byline += part
        return byline

    def _article_lead(self, portfolio, article: Article) -> list[nodes.Node]:
        area = portfolio.by_docname(f"{AREAS_DIR}/{article.area}")
        part_of = nodes.inline()
        part_of += nodes.Text("Part of ")
        xref = addnodes.pending_xref(
            "", refdomain="std", reftype="doc", reftarget=f"/{area.docname}",
            refexplicit=True, refwarn=True, refdoc=self.env.docname,
        )
        xref += nodes.inline("", area.title)
        part_of += xref
        summary = nodes.paragraph("", article.summary, classes=["lead"])
        stack = [nodes.paragraph("", stack_text(article), classes=["stack"])] if article.stack else []
        return [self._byline(article, part_of), *stack, summary]

    def _area_number(self, portfolio, area: Area) -> nodes.paragraph:
        """The area's number, large: "Work area" is said to a screen reader, and shown to nobody."""
        number = nodes.paragraph(classes=["area-kicker"])
        number += nodes.inline("", "Work area ", classes=["kicker-words"])
        number += nodes.Text(portfolio.number(area))
        return number

    def _area_lead(self, portfolio, area: Area) -> list[nodes.Node]:
        """The tagline as the standfirst, then the byline and the area's paragraph."""
        tagline = nodes.paragraph("", area.tagline, classes=["area-tagline"])
        summary = nodes.paragraph("", area.summary, classes=["lead"])
        return [tagline, self._byline(area), summary]


def _fill_updated_date(app, doctree, docname: str) -> None:
    """The byline's date: only now known, as sphinx-last-updated-by-git reads the
    dates once every page is read. Without a date, the part and its separator go."""
    portfolio = getattr(app.env, "portfolio", None)
    item = portfolio.by_docname(docname) if portfolio else None
    for placeholder in list(doctree.findall(updated_date)):
        updated = last_updated(app, item) if item else None
        if updated is None:
            byline = placeholder.parent
            index = byline.index(placeholder)
            # The separator before it, or after it when it comes first.
            separator = index - 1 if index else index + 1
            if 0 <= separator < len(byline) and byline[separator].astext() == BYLINE_SEPARATOR:
                del byline[separator]
            byline.remove(placeholder)
            continue
        day = updated.date()
        filled = nodes.inline()
        filled += nodes.Text("Updated ")
        filled += nodes.raw(
            "", f'<time datetime="{day.isoformat()}">{_spelled_date(day)}</time>', format="html",
        )
        placeholder.replace_self(filled)


def _generated_page_description(app, pagename: str) -> str:
    """One line for the pages Sphinx and sphinx-notfound-page make, which have no text to quote."""
    if pagename == "search":
        return f"Search the pages of {app.config.html_title}."
    if pagename == app.config.notfound_pagename:
        return f"Nothing lives at this address on {app.config.html_title}: the ways back in."
    return ""


def page_description(app, pagename: str, doctree) -> str:
    """The page's one-line description: a piece's or area's summary, else its opening paragraph."""
    portfolio = getattr(app.env, "portfolio", None)
    item = portfolio.by_docname(pagename) if portfolio else None
    if item:
        description = item.summary
    elif pagename in app.env.found_docs:
        description = _first_paragraph(doctree)
    else:
        description = _generated_page_description(app, pagename)
    return " ".join(description.split())


def _meta_description(app, pagename, templatename, context, doctree) -> None:
    if description := page_description(app, pagename, doctree):
        context["metatags"] = context.get("metatags", "") + (
            f'\n    <meta name="description" content="{escape(description)}">'
        )


def _identity(app, pagename, templatename, context, doctree) -> None:
    """The owner's name and role, for the sidebar's brand (``_templates/sidebar/brand.html``)."""
    context["portfolio_name"] = app.config.portfolio_name
    context["portfolio_role"] = app.config.portfolio_role


def _closing(app, pagename, templatename, context, doctree) -> None:
    """Under a piece's or an area's last section: the closing question and the ways to reach the owner."""
    portfolio = getattr(app.env, "portfolio", None)
    if portfolio and portfolio.by_docname(pagename) and app.config.portfolio_closing_question:
        context["portfolio_closing"] = {
            "question": app.config.portfolio_closing_question, "contact": app.config.portfolio_contact,
        }


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
    app.connect("builder-inited", _init_env)
    app.connect("env-get-outdated", _outdated_pages)
    app.connect("source-read", _read_without_bad_front_matter)
    app.connect("env-purge-doc", _purge_doc)
    app.connect("env-merge-info", _merge_info)
    app.connect("doctree-resolved", _fill_updated_date)
    app.connect("html-page-context", _meta_description)
    app.connect("html-page-context", _closing)
    app.connect("html-page-context", _identity)
    app.add_transform(InsertLead)
