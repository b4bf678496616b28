"""Read the portfolio's structure from the pages' front matter.

Input: the source folder. Output: the work areas (``work/<area>.md``) and the
case studies (``articles/<case-study>.md``), validated, in their display order,
and one line (file, field, fix) per page with a problem, which is left out.
Read before any page is, since the cards and the navigation of every page need
every piece's fields; MyST reads the same front matter for its own keys and
Sphinx's, and nothing of ours reads MyST's copy.
Problems are kept for the extension to log: Sphinx 9 prints any exception that
escapes a build as a crash report with a traceback.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

from .front_matter import PortfolioError, check_fields, read_front_matter, shown

AREAS_DIR = "work"
ARTICLES_DIR = "articles"

AREA_FIELDS = {"title": str, "order": int, "tagline": str, "summary": str}
ARTICLE_FIELDS = {"title": str, "area": str, "order": int, "summary": str}
# Read by other parts of the site (the date line, the feed); checked here too
# so that a typo fails in one place with one message.
ARTICLE_OPTIONAL_FIELDS = {"date": dt.date, "stack": list, "draft": bool}


@dataclasses.dataclass(frozen=True)
class Area:
    """A work area: one page under ``work/``."""

    docname: str
    slug: str
    title: str
    order: int
    tagline: str
    summary: str


@dataclasses.dataclass(frozen=True)
class Article:
    """A case study: one full piece under ``articles/``."""

    docname: str
    slug: str
    title: str
    area: str
    order: int
    summary: str
    date: dt.date | None = None
    # The 'stack:' labels, shown on the card and under the title.
    stack: tuple[str, ...] = ()
    draft: bool = False


@dataclasses.dataclass(frozen=True)
class Problem:
    """What is wrong with one page, in one line: file, field, fix."""

    docname: str
    message: str
    # Whether the page is left out of the portfolio for it, and how many lines its
    # front matter takes (both '---' lines included), so it can be read without it.
    left_out: bool = False
    front_matter_lines: int = 0


@dataclasses.dataclass(frozen=True)
class Portfolio:
    """The areas in order, each area's case studies in order, and the problems found."""

    areas: tuple[Area, ...]
    articles: tuple[Article, ...]
    problems: tuple[Problem, ...] = ()
    # What each page's front matter gave, keyed by its text, so that a rebuild
    # parses only the pages that changed.
    read: dict = dataclasses.field(default_factory=dict, compare=False, repr=False)
    # Pieces marked 'draft: true', in a build that leaves drafts out.
    drafts_left_out: tuple[Article, ...] = ()

    @property
    def reported_docnames(self) -> set[str]:
        """The pages with a problem: left out of the portfolio, their problem already reported."""
        return {problem.docname for problem in self.problems}

    def area(self, slug: str) -> Area:
        return next(area for area in self.areas if area.slug == slug)

    def articles_in(self, area_slug: str) -> list[Article]:
        return [a for a in self.articles if a.area == area_slug]

    def by_docname(self, docname: str) -> Area | Article | None:
        return next((i for i in (*self.areas, *self.articles) if i.docname == docname), None)

    def number(self, area: Area) -> str:
        """The area's number, 01, 02, ..., from its place in the order."""
        return f"{self.areas.index(area) + 1:02d}"


def _one_line(text: str) -> str:
    """*text* with every run of whitespace (a block scalar's newlines too) as one space."""
    return " ".join(text.split())


def load_portfolio(srcdir: str | Path, previous: Portfolio | None = None, *, drafts: bool = False) -> Portfolio:
    """Read and validate every area and article under *srcdir*; a piece marked
    ``draft: true`` only with *drafts* (the preview's). The front matter of pages
    whose text is as in *previous* is not parsed again."""
    cache = {} if previous is None else previous.read
    used: set = set()
    problems: list[Problem] = []
    areas = [
        Area(
            docname=f"{AREAS_DIR}/{path.stem}",
            slug=path.stem,
            title=_one_line(data["title"]),
            order=data["order"],
            tagline=_one_line(data["tagline"]),
            summary=_one_line(data["summary"]),
        )
        for path, data in _valid_pages(srcdir, AREAS_DIR, AREA_FIELDS, problems, cache, used)
    ]
    problems += _repeated_orders(areas)
    areas.sort(key=lambda area: area.order)
    known = [area.slug for area in areas]
    articles = [
        Article(
            docname=f"{ARTICLES_DIR}/{path.stem}",
            slug=path.stem,
            title=_one_line(data["title"]),
            area=data["area"].strip(),
            order=data["order"],
            summary=_one_line(data["summary"]),
            date=data.get("date"),
            stack=tuple(_one_line(item) for item in data.get("stack") or ()),
            draft=bool(data.get("draft")),
        )
        for path, data in _valid_pages(
            srcdir, ARTICLES_DIR, ARTICLE_FIELDS, problems, cache, used,
            optional=ARTICLE_OPTIONAL_FIELDS, areas=known,
        )
    ]
    left_out = tuple(a for a in articles if a.draft and not drafts)
    articles = [a for a in articles if a not in left_out]
    for area in areas:
        problems += _repeated_orders([a for a in articles if a.area == area.slug])
    articles.sort(key=lambda a: (known.index(a.area), a.order))
    read = {key: cache[key] for key in used}
    return Portfolio(areas=tuple(areas), articles=tuple(articles), problems=tuple(problems), read=read,
                     drafts_left_out=left_out)


def _valid_pages(
    srcdir: str | Path, folder: str, fields: dict, problems: list[Problem], cache: dict,
    used: set, *, optional: dict | None = None, areas: list[str] | None = None,
) -> Iterator[tuple[Path, dict]]:
    """Each page under *folder* whose front matter passes (its 'area' one of *areas*, if
    given); the others' problems go to *problems*."""
    for path in sorted((Path(srcdir) / folder).glob("*.md")):
        relpath = f"{folder}/{path.name}"
        raw = path.read_bytes()
        key = (relpath, hashlib.blake2b(raw, digest_size=16).digest())
        if key not in cache:
            cache[key] = _read_page(raw, relpath, fields, optional)
        used.add(key)
        data, lines, error = cache[key]
        if error is None and areas is not None and data["area"].strip() not in areas:
            choices = ", ".join(areas) if areas else f"none yet: add a page under {AREAS_DIR}/"
            error = (f"{relpath}: front matter field 'area': unknown area "
                     f"{shown(data['area'].strip())}; use one of: {choices}.")
        if error is not None:
            problems.append(Problem(f"{folder}/{path.stem}", error, left_out=True,
                                    front_matter_lines=lines))
            continue
        yield path, data


def _read_page(raw: bytes, relpath: str, fields: dict, optional: dict | None) -> tuple:
    """What one page's text gives: its fields, the lines its front matter takes,
    and the problem's message (None when there is none)."""
    lines = 0
    try:
        data, lines = read_front_matter(raw, relpath)
        check_fields(relpath, data, fields, optional)
    except PortfolioError as problem:
        return None, lines or problem.front_matter_lines, str(problem)
    return data, lines, None


def _repeated_orders(items: list[Area] | list[Article]) -> list[Problem]:
    """One problem per page whose order repeats an earlier page's (both pages stay)."""
    problems = []
    first: dict[int, Area | Article] = {}
    for item in items:
        earlier = first.setdefault(item.order, item)
        if earlier is not item:
            scope = f" in area '{item.area}'" if isinstance(item, Article) else ""
            problems.append(Problem(
                item.docname,
                f"{item.docname}.md: front matter field 'order': {item.order} is also the "
                f"order of {earlier.docname}.md{scope}; give one of the two pages another "
                "number (each page's order is its own).",
            ))
    return problems
