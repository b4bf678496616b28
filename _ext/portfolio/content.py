"""Read the portfolio's structure from the pages' front matter.

Input: the source folder. Output: the work areas (``work/<area>.md``) and the
case studies (``articles/<case-study>.md``), validated, in their display order,
each with its reading time, and one line (file, field, fix) per page with a
problem, which is left out.
Problems are kept for the extension to log: Sphinx 9 prints any exception that
escapes a build as a crash report with a traceback.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import math
import re
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

# A common reading speed for prose on a screen; code and diagrams are looked at,
# not read at that pace, so they do not count.
WORDS_PER_MINUTE = 230


@dataclasses.dataclass(frozen=True)
class Area:
    """A work area: one page under ``work/``."""

    docname: str
    slug: str
    title: str
    order: int
    tagline: str
    summary: str
    reading_minutes: int = 1


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
    reading_minutes: int = 1
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


def load_portfolio(srcdir: str | Path, pages_read: dict | None = None, *, drafts: bool = False) -> Portfolio:
    """Read and validate every area and article under *srcdir*; a piece marked
    ``draft: true`` only with *drafts* (the preview's).

    *pages_read*, kept by the caller between builds, holds what each page's text
    gave last time (keyed by the text), so that a rebuild parses and counts only
    the pages that changed; entries for text no longer there are dropped.
    """
    cache = {} if pages_read is None else pages_read
    used: set = set()
    problems: list[Problem] = []
    areas = [
        Area(
            docname=f"{AREAS_DIR}/{path.stem}",
            slug=path.stem,
            title=_one_line(data["title"]),
            order=data["order"],
            tagline=_one_line(data["tagline"]),
            summary=data["summary"].strip(),
            reading_minutes=_minutes(data["summary"], body_words),
        )
        for path, data, body_words in _valid_pages(srcdir, AREAS_DIR, AREA_FIELDS, problems, cache, used)
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
            summary=data["summary"].strip(),
            date=data.get("date"),
            reading_minutes=_minutes(data["summary"], body_words),
            stack=tuple(_one_line(item) for item in data.get("stack") or ()),
            draft=bool(data.get("draft")),
        )
        for path, data, body_words in _valid_pages(
            srcdir, ARTICLES_DIR, ARTICLE_FIELDS, problems, cache, used,
            optional=ARTICLE_OPTIONAL_FIELDS, areas=known,
        )
    ]
    left_out = tuple(a for a in articles if a.draft and not drafts)
    articles = [a for a in articles if a not in left_out]
    for area in areas:
        problems += _repeated_orders([a for a in articles if a.area == area.slug])
    articles.sort(key=lambda a: (known.index(a.area), a.order))
    for gone in cache.keys() - used:
        del cache[gone]
    return Portfolio(areas=tuple(areas), articles=tuple(articles), problems=tuple(problems),
                     drafts_left_out=left_out)


def _valid_pages(
    srcdir: str | Path, folder: str, fields: dict, problems: list[Problem], cache: dict,
    used: set, *, optional: dict | None = None, areas: list[str] | None = None,
) -> Iterator[tuple[Path, dict, int]]:
    """Each page under *folder* whose front matter passes (its 'area' one of *areas*, if
    given), with the words its body is read by; the others' problems go to *problems*."""
    for path in sorted((Path(srcdir) / folder).glob("*.md")):
        relpath = f"{folder}/{path.name}"
        raw = path.read_bytes()
        key = (relpath, hashlib.blake2b(raw, digest_size=16).digest())
        if key not in cache:
            cache[key] = _read_page(raw, relpath, fields, optional)
        used.add(key)
        data, lines, body_words, error = cache[key]
        if error is None and areas is not None and data["area"].strip() not in areas:
            choices = ", ".join(areas) if areas else f"none yet: add a page under {AREAS_DIR}/"
            error = (f"{relpath}: front matter field 'area': unknown area "
                     f"{shown(data['area'].strip())}; use one of: {choices}.")
        if error is not None:
            problems.append(Problem(f"{folder}/{path.stem}", error, left_out=True,
                                    front_matter_lines=lines))
            continue
        yield path, data, body_words


def _read_page(raw: bytes, relpath: str, fields: dict, optional: dict | None) -> tuple:
    """What one page's text gives: its fields, the lines its front matter takes, the
    words its body is read by, and the problem's message (None when there is none)."""
    lines = 0
    try:
        data, lines = read_front_matter(raw, relpath)
        check_fields(relpath, data, fields, optional)
    except PortfolioError as problem:
        return None, lines or problem.front_matter_lines, 0, str(problem)
    body = raw.decode("utf-8").removeprefix("\ufeff").splitlines()[lines:]
    return data, lines, words_read("\n".join(body)), None


# What a reader does not read at prose speed, line by line: fences of code and
# of diagrams (everything between them skipped), and directive lines, targets
# and attribute lines, which show nothing.
_FENCE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})(\{[\w-]+\})?")
_MARKUP_LINE = re.compile(r"^\s*(:[\w-]+:.*|\(.*\)=|\{[^}]*\})\s*$")
_ROLE = re.compile(r"\{[\w:-]+\}`([^`<]*?)\s*(<[^`]*>)?`")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")
_SKIPPED_BLOCKS = {"diagram", "code-block", "code", "graphviz", "mermaid"}


def words_read(markdown: str) -> int:
    """The words of *markdown* a reader reads as prose: not code, not diagrams."""
    prose, skipping = [], None
    for line in markdown.splitlines():
        fence = _FENCE.match(line)
        if skipping:
            if fence and fence.group(1) == skipping and not fence.group(2):
                skipping = None
            continue
        if fence:
            name = (fence.group(2) or "{}")[1:-1]
            # Backtick and tilde fences hold code, unless they open a directive
            # that holds prose (a note); a colon fence holds prose unless it is a diagram.
            if (fence.group(1)[0] != ":" and not name) or name in _SKIPPED_BLOCKS:
                skipping = fence.group(1)
            continue
        if _MARKUP_LINE.match(line):
            continue
        line = _ROLE.sub(r"\1", line)
        line = _LINK_TARGET.sub("]", line)
        prose.append(line)
    return len(_WORD.findall("\n".join(prose)))


def reading_minutes(summary: str, body: str) -> int:
    """Whole minutes to read a page: its summary (shown as its lead) and its body."""
    return _minutes(summary, words_read(body))


def _minutes(summary: str, body_words: int) -> int:
    return max(1, math.ceil((len(_WORD.findall(summary)) + body_words) / WORDS_PER_MINUTE))


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
