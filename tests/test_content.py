"""The full pieces keep CONTENT.md's promises.

Each piece opens with the owner's own paragraph, is long enough to be worth
reading and short enough to finish, has a diagram with a text alternative,
links back to its area and across to related pieces, and states no figure or
name the owner's text does not have. The last check is mechanical: it flags
digits and capitalised words outside an allow-list (README, "Writing a piece").
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portfolio.content import load_portfolio

REPO = Path(__file__).resolve().parent.parent
SEED = (Path(__file__).parent / "fixtures" / "portfolio.txt").read_text(encoding="utf-8")
PORTFOLIO = load_portfolio(REPO)
AREAS = {area.docname: area for area in PORTFOLIO.areas}
ARTICLES = {article.docname: article for article in PORTFOLIO.articles}

WORDS_PER_ARTICLE = (700, 1500)
WORDS_PER_AREA_ESSAY = (500, 1200)

# Capitalised words a piece may use mid-sentence: the seed's own, plus generic
# protocol and data terms that name no product, company or person. Anything
# else (a client, an employer, a product stated as the owner's) needs a human
# decision first: see README, "Writing a piece".
GENERIC_TERMS = {"API", "CDN", "HTTP", "ID", "JSON", "SQL", "TCP", "I"}
SEED_NAMES = set(re.findall(r"\b[A-Z][A-Za-z]*[A-Z][A-Za-z]*\b|\b[A-Z][a-z]+\b", SEED))
ALLOWED_CAPITALISED = GENERIC_TERMS | {
    name for name in SEED_NAMES if not name.isupper() or len(name) <= 4
}
# The seed's headline is in capitals; only its genuine acronyms count as names.
ALLOWED_CAPITALISED -= {"BUILDING", "INFRASTRUCTURE", "THAT", "SHIPS", "IFEANYI"}


def normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2014", "-").replace("\u2013", "-")
    return " ".join(text.split())


def body_of(docname: str) -> str:
    text = (REPO / f"{docname}.md").read_text(encoding="utf-8")
    return text.split("\n---", 1)[1].split("\n", 1)[1]


def prose_blocks(markdown: str) -> list[str]:
    """The words a reader reads: paragraphs, headings, captions, alt texts, diagram labels."""
    lines: list[str] = []
    in_code = in_diagram = False
    for line in markdown.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            in_code = not in_code
            lines.append("")
        elif in_code:
            lines.append("")
        elif stripped.startswith(":::{diagram}"):
            in_diagram = True
            lines += [stripped.partition("}")[2], ""]
        elif in_diagram:
            if stripped == ":::":
                in_diagram = False
            elif stripped.startswith(":alt:"):
                lines.append(stripped[len(":alt:"):])
            elif not stripped.startswith(":"):
                # Graph labels, and the text of sequence messages and notes.
                lines += re.findall(r'label="([^"]*)"', stripped)
                if ":" in stripped and not re.search(r"[{};=]", stripped):
                    lines.append(stripped.partition(":")[2])
            lines.append("")
        elif stripped.startswith(":::") or re.fullmatch(r"\(.*\)=", stripped):
            lines.append("")
        else:
            lines.append(line)
    blocks = re.split(r"\n\s*\n", "\n".join(lines))
    cleaned = []
    for block in blocks:
        block = re.sub(r"\{doc\}`[^`]*`", "link", block)
        block = re.sub(r"`[^`]*`", "code", block)
        block = re.sub(r"^\s*(#+|[-*]|\d+\.)\s+", "", block, flags=re.M)
        block = " ".join(block.replace("*", "").split())
        if block:
            cleaned.append(block)
    return cleaned


def word_count(docname: str) -> int:
    return sum(len(re.findall(r"[A-Za-z0-9][\w'’-]*", block)) for block in prose_blocks(body_of(docname)))


@pytest.mark.parametrize("docname", sorted(ARTICLES))
def test_every_case_study_is_a_full_piece(docname):
    low, high = WORDS_PER_ARTICLE
    words = word_count(docname)
    assert low <= words <= high, f"{docname}.md has {words} words of body; a piece runs {low} to {high}"


@pytest.mark.parametrize("docname", sorted(AREAS))
def test_every_area_has_its_essay(docname):
    low, high = WORDS_PER_AREA_ESSAY
    words = word_count(docname)
    assert low <= words <= high, f"{docname}.md has {words} words of essay; an area runs {low} to {high}"


@pytest.mark.parametrize("docname", sorted({**AREAS, **ARTICLES}))
def test_every_piece_opens_with_the_owners_paragraph(site, docname):
    item = {**AREAS, **ARTICLES}[docname]
    assert normalise(item.summary) in normalise(SEED), (
        f"{docname}.md: the summary is no longer the owner's paragraph word for word"
    )
    article = site.soup(f"{docname}.html").select_one("article[role=main]")
    first = [p for p in article.select("section > p") if "byline" not in p.get("class", [])
             and "area-kicker" not in p.get("class", []) and "area-tagline" not in p.get("class", [])][0]
    assert normalise(first.get_text()) == normalise(item.summary), (
        f"{docname}: the page does not open with its seed paragraph"
    )


@pytest.mark.parametrize("docname", sorted({**AREAS, **ARTICLES}))
def test_every_piece_has_a_diagram_with_a_text_alternative(site, docname):
    article = site.soup(f"{docname}.html").select_one("article[role=main]")
    diagrams = article.select("figure.diagram svg")
    assert diagrams, f"{docname}: no diagram"
    for svg in diagrams:
        assert svg.get("role") == "img", f"{docname}: a diagram is not announced as an image"
        title = svg.find("title")
        assert title is not None and len(title.get_text(strip=True)) > 40, (
            f"{docname}: a diagram has no real text alternative"
        )


def links_in_body(site, docname: str) -> set[str]:
    """Pages the piece's own text links to (not the byline, cards or navigation)."""
    article = site.soup(f"{docname}.html").select_one("article[role=main]")
    base = docname.rpartition("/")[0]
    targets = set()
    for link in article.select("a.reference.internal[href]"):
        if link.find_parent(class_="byline") or link.find_parent(class_="sd-card"):
            continue
        href = link["href"].split("#")[0]
        if not href or href.startswith("#"):
            continue
        path = Path(base, href).as_posix()
        parts: list[str] = []
        for part in path.split("/"):
            if part == "..":
                parts.pop()
            elif part not in ("", "."):
                parts.append(part)
        targets.add("/".join(parts).removesuffix(".html"))
    return targets


@pytest.mark.parametrize("docname", sorted(ARTICLES))
def test_every_piece_links_back_to_its_area(site, docname):
    area = AREAS[f"work/{ARTICLES[docname].area}"]
    assert area.docname in links_in_body(site, docname), (
        f"{docname}: the text never links back to {area.docname}"
    )


@pytest.mark.parametrize("docname", sorted(AREAS))
def test_every_area_essay_links_to_its_case_studies(site, docname):
    expected = {a.docname for a in PORTFOLIO.articles_in(AREAS[docname].slug)}
    missing = expected - links_in_body(site, docname)
    assert not missing, f"{docname}: the essay never mentions {sorted(missing)}"


FOREX_PIECES = sorted(d for d in ARTICLES if "forex" in d)


@pytest.mark.parametrize("docname", FOREX_PIECES)
def test_the_forex_pieces_link_to_one_another(site, docname):
    missing = set(FOREX_PIECES) - {docname} - links_in_body(site, docname)
    assert not missing, f"{docname}: no link to {sorted(missing)}"


def flagged(markdown: str) -> list[str]:
    """Digits anywhere, and capitalised words mid-sentence outside the allow-list."""
    found = []
    for block in prose_blocks(markdown):
        for sentence in re.split(r"(?<=[.!?:;])\s+", block):
            words = re.findall(r"[A-Za-z0-9][\w'’-]*", sentence)
            found += [f"figure {w!r} in: {sentence[:80]}" for w in words if re.search(r"\d", w)]
            found += [
                f"name {w!r} in: {sentence[:80]}"
                for w in words[1:]
                if w[0].isupper() and w not in ALLOWED_CAPITALISED
            ]
    # Code sketches may not smuggle figures in either.
    for code in re.findall(r"```.*?```", markdown, flags=re.S):
        found += [f"figure {d!r} in a code sketch" for d in re.findall(r"\b\d+\b", code)]
    return found


@pytest.mark.parametrize("docname", sorted({**AREAS, **ARTICLES}))
def test_no_piece_states_a_figure_or_name_the_seed_lacks(docname):
    found = flagged(body_of(docname))
    assert not found, f"{docname}.md:\n  " + "\n  ".join(found)


def test_the_figure_and_name_check_catches_invented_facts():
    text = (
        "## Scale\n\nThe platform served clients of Acme Bank, moving money daily.\n\n"
        ":::{diagram} Flow\n:alt: It ran on Kafka.\n:kind: graph\n\n"
        'digraph { a [label="forty a second"]; }\n:::\n\n'
        "```python\nRETRIES = 3\n```\n\nIt reconciled 40 accounts. Redis and the API stayed.\n"
    )
    found = " ".join(flagged(text))
    for invented in ("'Acme'", "'Bank'", "'Kafka'", "'40'", "'3'"):
        assert invented in found, f"the check missed {invented}"
    for allowed in ("'Redis'", "'API'", "'Scale'", "'It'", "'The'"):
        assert allowed not in found, f"the check flagged {allowed}, which is allowed"
