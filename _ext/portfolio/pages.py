"""Per-page additions.

* While reading: under an article's title, a byline (the area it belongs to,
  as a link, and its reading time) and its summary as the opening paragraph;
  above an area's title its number, under it its tagline, byline and paragraph.
  A page whose front matter has a problem is read without it.
* While writing: the byline's "Updated <date>", known once every page is read
  (the same date the feed gives), every reading time (the byline's and the
  cards', counted on each piece as it was read), each page's meta description,
  and on a piece or an area the call to contact at its end (``_templates/page.html``).
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from .collector import page
from .content import AREAS_DIR, Area, Article

BYLINE_SEPARATOR = " · "


class updated_date(nodes.inline):
    """Where the byline's "Updated <date>" goes: filled in once the date is known."""


class reading_time(nodes.inline):
    """Where a piece's "<n> min read" goes (its byline, its card): filled in once it is read."""


def minutes_read(minutes: int) -> str:
    return f"{minutes} min read"


def stack_text(article: Article) -> str:
    """The article's 'stack:' labels as one line."""
    return " · ".join(article.stack)


def _read_without_bad_front_matter(app, docname: str, source: list[str]) -> None:
    """Read a page whose front matter has a problem as a page titled by its file name.

    The problem is reported already with its fix (``content``); MyST would add
    vaguer lines for the same problem: "Malformed YAML", or one line per
    heading when the page has no title to start at.
    """
    problem = next((p for p in app.env.portfolio.problems if p.docname == docname), None)
    if problem is None or not problem.left_out:
        return
    lines = source[0].splitlines(keepends=True)
    skipped = problem.front_matter_lines
    # Blank lines after the heading keep the body's line numbers right.
    heading = f"# {docname.rpartition('/')[2]}\n"
    source[0] = heading + "\n" * max(skipped - 1, 0) + "".join(lines[skipped:])


class InsertLead(SphinxTransform):
    """Under the page title, what the front matter says about the page."""

    # Before SmartQuotes (750), so the inserted text gets typographic quotes too.
    default_priority = 500

    def apply(self, **kwargs) -> None:
        portfolio = self.env.portfolio
        item = portfolio.by_docname(self.env.docname)
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
        parts = (*parts, updated_date(), nodes.inline("", "", reading_time(docname=item.docname), classes=["reading-time"]))
        for index, part in enumerate(parts):
            if index:
                byline += nodes.Text(BYLINE_SEPARATOR)
            byline += part
        return byline

    def _article_lead(self, portfolio, article: Article) -> list[nodes.Node]:
        area = portfolio.by_docname(f"{AREAS_DIR}/{article.area}")
        part_of = nodes.inline()
        part_of += nodes.Text("Part of ")
        # Not explicit: Sphinx writes the area's title as its page shows it.
        xref = addnodes.pending_xref(
            "", refdomain="std", reftype="doc", reftarget=f"/{area.docname}",
            refexplicit=False, refwarn=True, refdoc=self.env.docname,
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


def _fill_placeholders(app, doctree, docname: str) -> None:
    """The reading times, and the byline's date: only now known, as sphinx-last-updated-by-git
    reads the dates once every page is read. Without a date, the part and its separator go."""
    for placeholder in list(doctree.findall(reading_time)):
        record = page(app.env, placeholder["docname"])
        placeholder.replace_self(nodes.Text(minutes_read(record.minutes if record else 1)))
    record = page(app.env, docname)
    for placeholder in list(doctree.findall(updated_date)):
        updated = record.updated if record else None
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


def page_description(app, pagename: str) -> str:
    """The page's one-line description: a piece's or area's summary, else its opening paragraph."""
    record = page(app.env, pagename)
    return record.description if record else _generated_page_description(app, pagename)


def _meta_description(app, pagename, templatename, context, doctree) -> None:
    if description := page_description(app, pagename):
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


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def _spelled_date(date) -> str:
    """'1 March 2024': spelled out, since strftime's %-d, %B and %Y vary by platform and locale."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def setup_pages(app) -> None:
    app.connect("source-read", _read_without_bad_front_matter)
    app.connect("doctree-resolved", _fill_placeholders)
    app.connect("html-page-context", _meta_description)
    app.connect("html-page-context", _closing)
    app.connect("html-page-context", _identity)
    app.add_transform(InsertLead)
