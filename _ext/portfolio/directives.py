"""The directives that lay out the portfolio from its front matter.

``hero`` and ``contact`` render the site identity from configuration;
``work-areas`` (on the index) and ``case-studies`` (on an area page) render
numbered areas and sphinx-design cards from the articles' front matter, and the
hidden toctrees that place every piece in the navigation, in order.
"""

from __future__ import annotations

import re
from html import escape

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from .checks import warn
from .content import AREAS_DIR, Article

# Every ASCII punctuation character may be backslash-escaped in CommonMark, so
# front matter text reaches the page as written, never as markup.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def escape_markdown(text: str) -> str:
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def note_card_page(env, docname: str, area_slugs) -> None:
    """Remember which areas' cards *docname* shows, so a card edit re-reads it."""
    env.portfolio_card_pages.setdefault(docname, set()).update(area_slugs)


def hidden_toctree(docnames: list[str]) -> str:
    """A hidden ``{toctree}``: it places the pages in the navigation, in order."""
    return "\n".join([":::{toctree}", ":hidden:", "", *(f"/{name}" for name in docnames), ":::", ""])


def reading_time(minutes: int) -> str:
    return f"{minutes} min read"


def stack_text(article: Article) -> str:
    """The article's 'stack:' labels as one line."""
    return " · ".join(article.stack)


def cards_markdown(articles: list[Article]) -> str:
    """The sphinx-design card idiom for *articles*: one card, one link each, the
    'stack:' labels under the summary, the reading time in its footer."""
    lines = ["::::{grid} 1 2 2 3", ":gutter: 3", ":class-container: case-studies", ""]
    for article in articles:
        title = escape_markdown(article.title)
        lines += [
            f":::{{grid-item-card}} {title}",
            f":link: /{article.docname}",
            ":link-type: doc",
            f":link-alt: {title}",
            ":class-card: case-study",
            f":footer: {reading_time(article.reading_minutes)}",
            ":class-footer: reading-time",
            "",
            escape_markdown(article.summary),
            *(["", "{.stack}", escape_markdown(stack_text(article))] if article.stack else []),
            ":::",
            "",
        ]
    lines.append("::::")
    return "\n".join(lines)


class HeroDirective(SphinxDirective):
    """The landing page's opening: role, headline, intro, the ways to reach the
    owner in one row, and the page's numbered contents under the "Scroll" cue."""

    has_content = True
    option_spec = {"scroll-to": str}

    def run(self) -> list[nodes.Node]:
        config = self.config
        hero = nodes.container(classes=["hero"])
        hero += nodes.paragraph("", config.portfolio_role, classes=["hero-role"])
        hero += nodes.paragraph("", config.portfolio_headline, classes=["hero-headline"])
        intro = nodes.container(classes=["hero-intro"])
        intro += self.parse_content_to_nodes()
        hero += intro
        hero += contact_row(config.portfolio_contact)
        target = self.options.get("scroll-to", "work")
        cue = nodes.paragraph(classes=["hero-scroll"])
        cue += nodes.reference("", "Scroll", refuri=f"#{target}", internal=True)
        hero += cue
        hero += self.contents_map()
        return [hero]

    def contents_map(self) -> nodes.Node:
        """The areas, numbered as below (from ``order``), then Contact, numbered next: the way down."""
        portfolio = self.env.portfolio
        note_card_page(self.env, self.env.docname, [area.slug for area in portfolio.areas])
        entries = [(portfolio.number(area), area.title, area.slug) for area in portfolio.areas]
        entries.append((f"{len(portfolio.areas) + 1:02d}", "Contact", "contact"))
        contents = nodes.bullet_list(classes=["hero-contents"])
        for number, title, slug in entries:
            link = nodes.reference("", "", refuri=f"#{slug}", internal=True)
            link += nodes.inline("", number, classes=["hero-contents-number"])
            link += nodes.Text(" ")
            link += nodes.inline("", title, classes=["hero-contents-title"])
            contents += nodes.list_item("", nodes.paragraph("", "", link))
        return contents


def contact_row(contact: list[dict]) -> nodes.Node:
    """The ways to reach the owner in one compact row: the first (the main
    address) written out, the others by their label."""
    row = nodes.bullet_list(classes=["contact-row"])
    for index, entry in enumerate(contact):
        text = entry["text"] if index == 0 else entry["label"]
        link = nodes.reference("", text, refuri=entry["url"])
        row += nodes.list_item("", nodes.paragraph("", "", link))
    return row


class WorkAreasDirective(SphinxDirective):
    """Every work area, numbered, with its tagline, paragraph and cards."""

    def run(self) -> list[nodes.Node]:
        portfolio = self.env.portfolio
        note_card_page(self.env, self.env.docname, [area.slug for area in portfolio.areas])
        if not portfolio.areas:
            raise self.error(f"no work areas: add a page under {AREAS_DIR}/ (README).")
        text = []
        for area in portfolio.areas:
            number = portfolio.number(area)
            text += [
                # The area's id set on its heading (attrs_block), not a '(slug)='
                # target: the sections this directive makes are lifted out of
                # its returned nodes, so the first target would be left behind
                # and mark the section after "Work" instead.
                f"{{#{area.slug}}}",
                f"### [{number}]{{.area-number}} {escape_markdown(area.title)}",
                "",
                "{.area-tagline}",
                escape_markdown(area.tagline),
                "",
                escape_markdown(area.summary),
                "",
                # An area without a piece yet has no cards (its line comes from pages.py).
                cards_markdown(portfolio.articles_in(area.slug)) if portfolio.articles_in(area.slug) else "",
                "",
                # The owner's words as he wrote them; the link's name adds the area, in
                # words a screen reader reads and nobody sees (portfolio.css; a MyST span
                # cannot sit inside a link's text). Spaced dash, not a colon: browsers
                # differ on a space before out-of-flow text; the name is the same.
                "{.read-more}",
                f'[Read the full piece<span class="read-more-area"> — '
                f"{escape(area.title, quote=False)}</span>](/{area.docname}.md)",
                "",
            ]
        text.insert(0, hidden_toctree([area.docname for area in portfolio.areas]))
        return self.parse_text_to_nodes("\n".join(text), allow_section_headings=True)


class CaseStudiesDirective(SphinxDirective):
    """The cards of one area's case studies (the current page's by default)."""

    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        portfolio = self.env.portfolio
        slug = self.arguments[0] if self.arguments else self.env.docname.rpartition("/")[2]
        if slug not in [area.slug for area in portfolio.areas]:
            known = ", ".join(area.slug for area in portfolio.areas)
            warn(f"case-studies: unknown area '{slug}'; use one of: {known}.", "directive",
                 location=(self.env.docname, self.lineno))
            return []
        note_card_page(self.env, self.env.docname, [slug])
        articles = portfolio.articles_in(slug)
        if not articles:
            return []
        text = hidden_toctree([article.docname for article in articles]) + "\n" + cards_markdown(articles)
        return self.parse_text_to_nodes(text)


class ContactDirective(SphinxDirective):
    """The ways to reach the owner, from ``portfolio_contact``."""

    def run(self) -> list[nodes.Node]:
        items = nodes.bullet_list(classes=["contact-links"])
        for entry in self.config.portfolio_contact:
            item = nodes.list_item()
            para = nodes.paragraph()
            # A label above its address, not a form's "Email:".
            para += nodes.inline("", entry["label"], classes=["contact-label"])
            para += nodes.Text(" ")
            para += nodes.reference("", entry["text"], refuri=entry["url"])
            item += para
            items += item
        return [nodes.container("", items, classes=["contact"])]


def _identity_substitutions(app, config) -> None:
    # Pages write {{ portfolio_name }} and friends; the values live in conf.py only.
    config.myst_substitutions = {
        **config.myst_substitutions,
        "portfolio_name": config.portfolio_name,
        "portfolio_role": config.portfolio_role,
        "portfolio_headline": config.portfolio_headline,
        "portfolio_closing_question": config.portfolio_closing_question,
    }


def setup_directives(app) -> None:
    app.connect("config-inited", _identity_substitutions)
    app.add_directive("hero", HeroDirective)
    app.add_directive("work-areas", WorkAreasDirective)
    app.add_directive("case-studies", CaseStudiesDirective)
    app.add_directive("contact", ContactDirective)
