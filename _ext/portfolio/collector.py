"""What each page gives when it is read, kept in one record per page.

Input: the portfolio read from front matter before any page is read
(``content``), and each page's doctree as it is read. Output:
```env.portfolio_pages``, docname -> ``Page``: the page's title as read, its
one-line description, when it last changed (a piece's or an area's, once
every page is read), the words a reader reads, its text as Markdown (for
llms-full.txt), the areas whose cards it shows, the glossary terms it links
to, and whether a problem was reported while reading it. The feed, the llms
files, the link previews, the bylines, the cards and the pictures read these
records; nothing reads a page twice.

The one ``EnvironmentCollector`` keeps the records parallel-safe (cleared
when a page is read again, merged from ``-j`` processes) and says which pages
an edit makes stale: before reading, the pages whose cards show changed front
matter and those with a problem; after reading, the pages whose cards show a
reading time that changed, and the glossary when the pages' term links changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re

from docutils import nodes
from sphinx import addnodes
from sphinx.environment.collectors import EnvironmentCollector

from .checks import warn
from .content import ARTICLES_DIR, Area, Article, load_portfolio
from .diagrams import diagram
from .drafts import includes_drafts
from .publishing import first_published, last_updated

# A common reading speed for prose on a screen; code and diagrams are looked at,
# not read at that pace, so they do not count.
WORDS_PER_MINUTE = 230
_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")
# The byline, the area's number and the stack labels are not read; code and diagrams are looked at.
_NOT_READ = (nodes.literal_block, nodes.raw, nodes.comment, nodes.title, diagram, addnodes.toctree)
_NOT_READ_CLASSES = {"byline", "area-kicker", "stack"}
# What a directive leaves in env.current_document while its page is read.
SHOWS, PROBLEM = "portfolio_shows", "portfolio_problem"


@dataclasses.dataclass(frozen=True)
class Page:
    """What one page gave when it was last read."""

    title: str
    description: str
    words: int
    markdown: tuple[str, ...]
    item: Area | Article | None = None  # its front matter, if it is an area or a piece
    shows: frozenset[str] = frozenset()  # the areas whose cards it shows
    lists: tuple[str, ...] = ()  # the pages its toctrees list, in order
    term_links: tuple = ()  # (term, (section id, section title)), the first link to each
    problem: bool = False
    updated: dt.datetime | None = None  # a piece's or an area's, once every page is read
    published: dt.datetime | None = None

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.words / WORDS_PER_MINUTE))


def page(env, docname: str) -> Page | None:
    return env.portfolio_pages.get(docname)


def words_read(node: nodes.Node) -> int:
    """The words of *node* a reader reads as prose: not code, diagrams or the byline."""
    if isinstance(node, nodes.Text):
        return len(_WORD.findall(node))
    if isinstance(node, _NOT_READ) or _NOT_READ_CLASSES & set(node.get("classes", ())):
        return 0
    return sum(words_read(child) for child in node.children)


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def first_paragraph(doctree) -> str:
    for para in doctree.findall(nodes.paragraph):
        text = " ".join(para.astext().split())
        if len(text) > 60:
            return text
    return ""


def _term_links(doctree) -> tuple:
    links = {}
    for xref in doctree.findall(addnodes.pending_xref):
        if xref.get("reftype") == "term":
            section = next((n for n in _ancestors(xref) if isinstance(n, nodes.section)), None)
            place = (section["ids"][0], section[0].astext()) if section is not None else ("", "")
            links.setdefault(xref["reftarget"].lower(), place)
    return tuple(sorted(links.items()))


def _cards(portfolio, slug: str) -> tuple:
    """What a page shows of area *slug*: its own fields and its case studies' cards."""
    area = next((area for area in portfolio.areas if area.slug == slug), None)
    return (area, portfolio.number(area) if area else None,
            tuple((a.docname, a.title, a.order, a.summary, a.stack) for a in portfolio.articles_in(slug)))


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


class PortfolioCollector(EnvironmentCollector):
    """One record per page (``Page``), and the pages an edit makes stale."""

    def __init__(self) -> None:
        super().__init__()
        self.minutes_before: dict[str, int] = {}
        self.terms_before: tuple = ()

    def get_outdated_docs(self, app, env, added, changed, removed) -> list[str]:
        if not hasattr(env, "portfolio_pages"):  # a new environment
            env.portfolio_pages = {}
        previous = getattr(env, "portfolio", None)
        env.portfolio = load_portfolio(app.srcdir, previous, drafts=includes_drafts(app.config))
        for problem in env.portfolio.problems:
            warn(problem.message.removeprefix(f"{problem.docname}.md: "), "front_matter",
                 location=problem.docname)
        _report_empty_areas(env.portfolio)
        pages = env.portfolio_pages
        self.minutes_before = {docname: record.minutes for docname, record in pages.items()}
        self.terms_before = self._term_links(env)
        # A page with a problem is read again until the problem is gone.
        stale = {docname for docname, record in pages.items() if record.problem}
        if previous is not None:
            titles = [(i.docname, i.title) for i in (*previous.areas, *previous.articles)]
            if titles != [(i.docname, i.title) for i in (*env.portfolio.areas, *env.portfolio.articles)]:
                return sorted(env.found_docs)  # every page's navigation shows the titles
            areas = {area.slug for area in (*previous.areas, *env.portfolio.areas)}
            changed_areas = {slug for slug in areas if _cards(previous, slug) != _cards(env.portfolio, slug)}
            # Only the pages that show a changed area: editing a money-movement card
            # leaves the other areas' pages alone.
            stale |= {docname for docname, record in pages.items() if record.shows & changed_areas}
        return sorted(stale & env.found_docs)

    def clear_doc(self, app, env, docname: str) -> None:
        env.portfolio_pages.pop(docname, None)

    def merge_other(self, app, env, docnames, other) -> None:
        for docname in docnames:
            if docname in other.portfolio_pages:
                env.portfolio_pages[docname] = other.portfolio_pages[docname]

    def process_doc(self, app, doctree) -> None:
        from .llms import markdown  # llms reads these records too

        env = app.env
        docname = env.docname
        item = env.portfolio.by_docname(docname)
        if any(p.docname == docname and p.left_out for p in env.portfolio.problems):
            # Left out of the portfolio for a problem reported already: not listing it
            # is a consequence, not a second problem (as sphinx-notfound-page marks its page).
            env.metadata[docname]["orphan"] = True
        section = next(iter(doctree.findall(nodes.section)), None)
        title = " ".join(section[0].astext().split()) if section is not None else ""
        env.portfolio_pages[docname] = Page(
            title=title,
            description=item.summary if item else first_paragraph(doctree),
            words=words_read(doctree),
            markdown=tuple(markdown(doctree)),
            item=item,
            shows=frozenset(env.current_document.get(SHOWS, ())),
            lists=tuple(d for toctree in doctree.findall(addnodes.toctree) for d in toctree["includefiles"]),
            term_links=_term_links(doctree),
            problem=bool(env.current_document.get(PROBLEM)),
        )

    def get_updated_docs(self, app, env) -> list[str]:
        pages = env.portfolio_pages
        retimed = {d for d, record in pages.items() if self.minutes_before.get(d, record.minutes) != record.minutes}
        areas = {record.item.area for d, record in pages.items() if d in retimed and isinstance(record.item, Article)}
        updated = {docname for docname, record in pages.items() if record.shows & areas}
        terms = self._term_links(env)
        if terms != self.terms_before:
            self.terms_before = terms
            updated |= _glossary_pages(env)
        return sorted(updated & env.found_docs)

    @staticmethod
    def _term_links(env) -> tuple:
        return tuple((d, r.term_links) for d, r in sorted(env.portfolio_pages.items()) if r.term_links)


def _glossary_pages(env) -> set[str]:
    """The pages that define terms (the std domain records where each term is)."""
    return {docname for (kind, _), (docname, _) in env.domains.standard_domain.objects.items() if kind == "term"}


def _date_pieces(app, env) -> None:
    """Each piece's and area's dates, in its record: sphinx-last-updated-by-git reads the
    dates once every page is read (its own env-updated handler, at the default priority)."""
    for docname, record in env.portfolio_pages.items():
        if record.item is not None:
            env.portfolio_pages[docname] = dataclasses.replace(
                record, updated=last_updated(app, record.item), published=first_published(app, record.item))


def setup_collector(app) -> None:
    app.add_env_collector(PortfolioCollector)
    app.connect("env-updated", _date_pieces, priority=600)
