"""The full pieces keep CONTENT.md's promises.

Each piece opens with the owner's own paragraph, is long enough to be worth
reading and short enough to finish, has a diagram with a text alternative,
links back to its area and across to related pieces, and states no figure or
name the owner's text does not have. The last check is mechanical: it flags
digits, number words and capitalised words outside allow-lists (README,
"Writing a piece"). Every failure says how to fix it, with an example.

These are the owner's rules for his own pages, checked against his text
(``tests/fixtures/portfolio.txt``): marked ``site_content``, so a fork points them
at its own text or leaves them out (README, "Make it yours"). The walk through the
pieces and the diagrams' size hold for any site and are not marked.
"""

from __future__ import annotations

import posixpath
import re
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import copy_site, sphinx_build
from portfolio.content import load_portfolio

REPO = Path(__file__).resolve().parent.parent
OWNERS_TEXT = (Path(__file__).parent / "fixtures" / "portfolio.txt").read_text(encoding="utf-8")
PORTFOLIO = load_portfolio(REPO)
AREAS = {area.docname: area for area in PORTFOLIO.areas}
ARTICLES = {article.docname: article for article in PORTFOLIO.articles}

# Words of prose, headings included; code and diagrams are not counted (CONTENT.md).
WORDS_PER_ARTICLE = (600, 1000)
WORDS_PER_AREA_ESSAY = (450, 800)

# Capitalised words a piece may use anywhere: generic protocol and data terms
# that name no product, company or person. Keep it to terms a piece uses.
GENERIC_TERMS = {"BFT", "HTTP", "SQL", "TCP"}
# The owner writes in the first person ("I've built"), and "I" is always a capital.
FIRST_PERSON = {"I"}
# Names the owner has confirmed for use in a piece (a client, a product, a
# technology he worked with) that his own text does not carry. Empty until he
# confirms one: a name goes here only with his word, never to make the check pass.
OWNER_CONFIRMED: set[str] = set()


def owners_names(text: str) -> set[str]:
    """The capitalised words of the owner's text, from lines that are prose.

    The headline and the name are set in capitals on lines of their own
    ("BUILDING", "THAT SHIPS."): styling, not names. Only lines with lowercase
    letters count, so their real acronyms (GPS, EVM, API) do and the headline does not.
    """
    prose = "\n".join(line for line in text.splitlines() if re.search(r"[a-z]", line))
    return set(re.findall(r"\b[A-Z][A-Za-z]*\b", prose))


ALLOWED_CAPITALISED = owners_names(OWNERS_TEXT) | GENERIC_TERMS | FIRST_PERSON | OWNER_CONFIRMED

# Number words read as figures ("ten thousand users", "eighteen months"). "one"
# and "two" are not on the list: as counting words ("one owner", "two writes")
# they state nothing about the owner's work. Any other number word is flagged
# unless it sits in a phrase of the owner's own ("a few hundred", "five years"):
# a word pair of the piece that his text also has.
NUMBER_WORDS = {
    "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "thousand", "million", "billion", "dozen",
}
WORD = r"[A-Za-z0-9][\w'’-]*"


def word_pairs(text: str) -> set[tuple[str, str]]:
    words = re.findall(WORD, text.lower())
    return set(zip(words, words[1:]))


OWNERS_WORD_PAIRS = word_pairs(OWNERS_TEXT)


def normalize(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2014", "-").replace("\u2013", "-")
    return " ".join(text.split())


def body_of(docname: str) -> str:
    text = (REPO / f"{docname}.md").read_text(encoding="utf-8")
    return text.split("\n---", 1)[1].split("\n", 1)[1]


DOT_KEYWORDS = {"digraph", "graph", "subgraph", "node", "edge", "strict"}


def diagram_text(kind: str, line: str, identifiers: bool) -> list[str]:
    """What one line of a diagram puts on the page (and, for the fact check, its ids)."""
    if kind == "sequence":
        if line.startswith("participant "):
            ident, _, label = line[len("participant "):].partition(" as ")
            return [label or ident] + ([ident] if identifiers and label else [])
        text = [line.partition(":")[2]] if ":" in line else []
        if identifiers:
            # The ends of a message, or the participants a note sits over.
            head = line.partition(":")[0].removeprefix("note over ")
            text += re.split(r"\s*(?:==>|=>|-->|->|~>|-x(?=\s)|,)\s*", head.strip())
        return text
    # Graphviz DOT: every quoted string but a class is a label; node ids count for the check.
    text = re.findall(r'(?<!class=)"([^"]*)"', line)
    if identifiers:
        bare = re.sub(r'"[^"]*"', " ", line)
        bare = re.sub(r"\w+\s*=\s*\w+", " ", bare)  # attributes: rankdir=TB, shape=box
        bare = re.sub(r":\w+", " ", bare)  # compass ports: node:e
        text += [
            ident.replace("_", " ")
            for ident in re.findall(r"[A-Za-z_]\w*", bare)
            if ident not in DOT_KEYWORDS
        ]
    return [item.replace("\\n", " ") for item in text]


def prose_blocks(markdown: str, identifiers: bool = False, diagrams: bool = True) -> list[str]:
    """The words a reader reads: paragraphs, headings, captions, alt texts, diagram labels.

    Headings and list items are blocks of their own, so their first word starts a
    sentence. With ``identifiers``, diagrams' participant and node ids count too:
    the fact check reads them, the word count does not; without ``diagrams``, a
    diagram's caption, alt text and labels are left out (the length check).
    """
    lines: list[str] = []
    in_code = in_diagram = False
    kind = ""
    for line in markdown.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            in_code = not in_code
            lines.append("")
        elif in_code:
            lines.append("")
        elif stripped.startswith(":::{diagram}"):
            in_diagram, kind = True, ""
            lines += [stripped.partition("}")[2] if diagrams else "", ""]
        elif in_diagram:
            if stripped == ":::":
                in_diagram = False
            elif not diagrams:
                pass
            elif stripped.startswith(":alt:"):
                lines.append(stripped[len(":alt:"):])
            elif stripped.startswith(":kind:"):
                kind = stripped[len(":kind:"):].strip()
            elif stripped:
                for text in diagram_text(kind, stripped, identifiers):
                    lines += [text, ""]
            lines.append("")
        elif stripped.startswith(":::") or re.fullmatch(r"\(.*\)=", stripped):
            lines.append("")
        elif re.match(r"(#+|[-*]|\d+\.)\s+", stripped):
            lines += ["", re.sub(r"^(#+|[-*]|\d+\.)\s+", "", stripped)]
        else:
            lines.append(line)
    blocks = re.split(r"\n\s*\n", "\n".join(lines))
    cleaned = []
    for block in blocks:
        block = re.sub(r"\{(?:doc|term)\}`([^`<]*?)\s*<[^`]*>`", r"\1", block)  # a link's own text
        block = re.sub(r"\{term\}`([^`]*)`", r"\1", block)  # a concept's link: its own words
        block = re.sub(r"\{doc\}`[^`]*`", "link", block)
        block = re.sub(r"`[^`]*`", "code", block)
        block = " ".join(block.replace("*", "").split())
        if block:
            cleaned.append(block)
    return cleaned


def length_problems(docname: str, markdown: str, bounds: tuple[int, int], kind: str) -> list[str]:
    """Too short or too long, and by how many words."""
    low, high = bounds
    words = sum(len(re.findall(WORD, block)) for block in prose_blocks(markdown, diagrams=False))
    if words < low:
        return [f"{docname}.md has {words} words of {kind}; write {low - words} more "
                f"(a {kind} runs {low} to {high} words; README, Writing a piece)."]
    if words > high:
        return [f"{docname}.md has {words} words of {kind}; cut {words - high} "
                f"(a {kind} runs {low} to {high} words; README, Writing a piece)."]
    return []


@pytest.mark.site_content
@pytest.mark.parametrize("docname", sorted(ARTICLES))
def test_every_case_study_is_a_full_piece(docname):
    problems = length_problems(docname, body_of(docname), WORDS_PER_ARTICLE, "case study")
    assert not problems, problems[0]


@pytest.mark.site_content
@pytest.mark.parametrize("docname", sorted(AREAS))
def test_every_area_has_its_essay(docname):
    problems = length_problems(docname, body_of(docname), WORDS_PER_AREA_ESSAY, "area essay")
    assert not problems, problems[0]


def owners_paragraphs(text: str) -> dict[str, str]:
    """Each heading of the owner's text -> the paragraph the owner wrote under it.

    His text is one paragraph a line. A case study is its title, then its
    paragraph; an area is its number and title ("01Money-movement
    infrastructure"), its tagline, then its paragraph.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    paragraphs = {}
    for index, line in enumerate(lines[:-1]):
        area = re.fullmatch(r"\d+(\D.*)", line)
        if area and index + 2 < len(lines):
            paragraphs[area[1]] = lines[index + 2]
        else:
            paragraphs.setdefault(line, lines[index + 1])
    return paragraphs


OWNERS_PARAGRAPHS = owners_paragraphs(OWNERS_TEXT)


def owners_sections(text: str) -> list[str]:
    """The titles of the owner's areas and case studies, as his text has them.

    An area is its number glued to its title; a case study is a line between
    its area's paragraph and the area's "Read the full piece".
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    titles = []
    for index, line in enumerate(lines):
        if area := re.fullmatch(r"\d+(\D.*)", line):
            titles.append(area[1])
            end = lines.index("Read the full piece", index)
            titles += lines[index + 3:end:2]  # title, paragraph, title, paragraph...
    return titles


OWNERS_SECTIONS = owners_sections(OWNERS_TEXT)


@pytest.mark.site_content
def test_every_area_and_case_study_of_the_owners_text_has_its_piece():
    # Found by title: a piece renamed away from the owner's title shows up here.
    titles = {item.title for item in (*AREAS.values(), *ARTICLES.values())}
    missing = [title for title in OWNERS_SECTIONS if title not in titles]
    assert not missing, (
        f"no piece is titled {missing} (tests/fixtures/portfolio.txt); give the piece that title "
        f"in its front matter, for example: title: {missing[0]}"
    )
    assert len(OWNERS_SECTIONS) == 10 and "Velt" in OWNERS_SECTIONS, OWNERS_SECTIONS


@pytest.mark.site_content
@pytest.mark.parametrize("docname", sorted({**AREAS, **ARTICLES}))
def test_every_piece_opens_with_the_owners_paragraph(site, docname):
    item = {**AREAS, **ARTICLES}[docname]
    # A piece the owner's text has opens with his paragraph word for word; one
    # he adds later opens with the summary he writes for it.
    if item.title in OWNERS_SECTIONS:
        assert normalize(item.summary) == normalize(OWNERS_PARAGRAPHS[item.title]), (
            f"{docname}.md: the summary is not the owner's paragraph for {item.title!r}; set the "
            f"front matter's summary to it, word for word: {OWNERS_PARAGRAPHS[item.title]!r} "
            "(tests/fixtures/portfolio.txt)"
        )
    article = site.soup(f"{docname}.html").select_one("article[role=main]")
    first = [p for p in article.select("section > p") if "byline" not in p.get("class", [])
             and not {"area-kicker", "area-tagline", "stack"} & set(p.get("class", []))][0]
    assert normalize(first.get_text()) == normalize(item.summary), (
        f"{docname}: the page does not open with its summary"
    )


@pytest.mark.site_content
def test_the_owners_paragraphs_are_read_per_title():
    # A summary swapped with another piece's, or cut short, no longer matches.
    assert OWNERS_PARAGRAPHS["Velt"].startswith("My own project")
    assert OWNERS_PARAGRAPHS["Money-movement infrastructure"].startswith("I've built payments")
    assert normalize(ARTICLES["articles/velt"].summary) != normalize(OWNERS_PARAGRAPHS["Voucher marketplace"])


def reading_order() -> list[str]:
    """Each area, then its case studies, area after area, as their front matter orders them."""
    order = []
    for area in sorted(PORTFOLIO.areas, key=lambda area: area.order):
        order.append(area.docname)
        articles = sorted(PORTFOLIO.articles_in(area.slug), key=lambda article: article.order)
        order += [article.docname for article in articles]
    return order


def docname_of(page_docname: str, href: str) -> str:
    """The docname a relative link on *page_docname*'s page leads to."""
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page_docname), href.split("#")[0]))
    return path.removesuffix(".html")


def related_page(site, docname: str, direction: str) -> str | None:
    """Where the page's previous or next link leads, as a docname."""
    link = site.soup(f"{docname}.html").select_one(f".related-pages a.{direction}-page[href]")
    if link is None:
        return None
    return docname_of(docname, link["href"])


@pytest.mark.parametrize("position", range(len(reading_order()) - 1))
def test_previous_and_next_walk_the_pieces_in_order(site, position):
    here, after = reading_order()[position: position + 2]
    assert related_page(site, here, "next") == after, (
        f"{here}: next should lead to {after} (the walk follows the areas' and pieces' order fields)"
    )
    assert related_page(site, after, "prev") == here, f"{after}: previous should lead to {here}"


def main_column(site, docname: str):
    return site.soup(f"{docname}.html").select_one("article[role=main]")


DIAGRAM_EXAMPLE = """\
    :::{diagram} What the picture shows
    :alt: The same in words, step by step, for someone who cannot see it.
    :kind: sequence

    participant Client
    participant API
    Client -> API: a request
    API --> Client: the answer
    :::"""
SHORTEST_ALT = 40


def diagram_problems(docname: str, article) -> list[str]:
    """No diagram, or one whose text alternative says too little."""
    diagrams = article.select("figure.diagram svg")
    if not diagrams:
        return [f"{docname}.md has no diagram; add one where it explains the most, for example:\n"
                f"{DIAGRAM_EXAMPLE}\n(`:kind: graph` takes Graphviz DOT; README, Writing a piece)."]
    problems = []
    for svg in diagrams:
        title = svg.find("title")
        alt = title.get_text(strip=True) if title is not None else ""
        if svg.get("role") != "img" or len(alt) <= SHORTEST_ALT:
            problems.append(
                f"{docname}.md: the diagram {alt[:40]!r} has {len(alt)} characters of text "
                f"alternative; write more than {SHORTEST_ALT} in its `:alt:` line, what the "
                "picture shows step by step, for example: "
                "`:alt: The client sends a request with a key; the API stores the result once.`"
            )
    return problems


@pytest.mark.site_content
@pytest.mark.parametrize("docname", sorted({**AREAS, **ARTICLES}))
def test_every_piece_has_a_diagram_with_a_text_alternative(site, docname):
    problems = diagram_problems(docname, main_column(site, docname))
    assert not problems, "\n".join(problems)


def links_in_body(article, docname: str) -> set[str]:
    """Pages the piece's own text links to (not the byline, cards or navigation)."""
    targets = set()
    for link in article.select("a.reference.internal[href]"):
        if link.find_parent(class_="byline") or link.find_parent(class_="sd-card"):
            continue
        href = link["href"].split("#")[0]
        if not href or href.startswith("#"):
            continue
        targets.add(docname_of(docname, href))
    return targets


def doc_link(item) -> str:
    """The MyST link to a piece, as a piece writes it (in lower case, unless it is a name)."""
    title = item.title
    if forms(title.split()[0]) & ORDINARY_FORMS:
        title = title[0].lower() + title[1:]
    return f"{{doc}}`{title} </{item.docname}>`"


def link_problems(portfolio, docname: str, article) -> list[str]:
    """The links a piece owes its readers: back to its area and on to a related piece,
    or, for an area essay, to each of its case studies."""
    links = links_in_body(article, docname)
    item = portfolio.by_docname(docname)
    problems = []
    if docname.startswith("work/"):
        for missing in portfolio.articles_in(item.slug):
            if missing.docname not in links:
                problems.append(
                    f"{docname}.md never links to {missing.docname}; mention it in the essay, "
                    f"for example: The {doc_link(missing)} shows this from its own side."
                )
        return problems
    area = portfolio.area(item.area)
    if area.docname not in links:
        problems.append(
            f"{docname}.md never links back to its area; end the piece with a line that does, "
            f"for example: More on this in {doc_link(area)}."
        )
    others = [a for a in portfolio.articles if a.docname != docname]
    if others and not links & {a.docname for a in others}:
        nearest = next((a for a in others if a.area == item.area), others[0])
        problems.append(
            f"{docname}.md links to no other case study; point the reader on to a related one, "
            f"for example: The {doc_link(nearest)} meets the same problem from another side."
        )
    return problems


@pytest.mark.site_content
@pytest.mark.parametrize("docname", sorted(ARTICLES))
def test_every_piece_links_back_to_its_area_and_on_to_a_related_one(site, docname):
    problems = link_problems(PORTFOLIO, docname, main_column(site, docname))
    assert not problems, "\n".join(problems)


@pytest.mark.site_content
@pytest.mark.parametrize("docname", sorted(AREAS))
def test_every_area_essay_links_to_its_case_studies(site, docname):
    problems = link_problems(PORTFOLIO, docname, main_column(site, docname))
    assert not problems, "\n".join(problems)


FOREX_PIECES = sorted(d for d in ARTICLES if "forex" in d)


@pytest.mark.site_content
@pytest.mark.parametrize("docname", FOREX_PIECES)
def test_the_forex_pieces_link_to_one_another(site, docname):
    missing = set(FOREX_PIECES) - {docname} - links_in_body(main_column(site, docname), docname)
    examples = " ".join(f"The {doc_link(ARTICLES[doc])} ..." for doc in sorted(missing))
    assert not missing, f"{docname}.md: no link to {sorted(missing)}; add one, for example: {examples}"


ENDINGS = ("ing", "ies", "ied", "es", "ed", "s", "e", "ness")


def forms(word: str) -> set[str]:
    """The word and its likely stems: "Speeding", "speed" and "speeds" share "speed"."""
    word = word.lower()
    stems = {word}
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stems |= {word[: -len(ending)], word[: -len(ending)] + "e", word[: -len(ending)] + "y"}
    return stems


def lowercase_forms(*texts: str) -> set[str]:
    return {form for text in texts for word in re.findall(WORD, text) if word.islower() for form in forms(word)}


# Closed-class words (pronouns, determiners, conjunctions, prepositions, auxiliaries) are
# never names, whether or not a piece happens to write them in lower case ("We", "Our").
FUNCTION_WORDS = {
    "i", "we", "you", "he", "she", "it", "they", "me", "us", "him", "her", "them", "my", "our",
    "your", "his", "its", "their", "this", "that", "these", "those", "a", "an", "the", "some",
    "any", "no", "each", "every", "all", "both", "either", "neither", "and", "but", "or", "nor",
    "so", "yet", "if", "when", "while", "where", "because", "since", "after", "before", "until",
    "once", "then", "here", "there", "what", "which", "who", "why", "how", "in", "on", "at",
    "by", "for", "from", "with", "without", "into", "onto", "of", "to", "over", "under",
    "between", "through", "is", "are", "was", "were", "be", "been", "do", "does", "did", "not",
    "can", "could", "will", "would", "should", "may", "might", "must", "let", "let's",
}
# The README's and handbook's own prose is the project's plain English ("caption", "summary"): a word it
# writes in lower case is ordinary, unless it also writes it capitalised mid-sentence (a
# tool or a product: "Furo", "Chromium").
README_TEXT = re.sub(  # its prose only: no code blocks, inline code or link addresses
    r"```.*?```|`[^`\n]*`|\((?:https?:|[\w./-]+\.md)[^)]*\)", " ",
    "\n".join(path.read_text("utf-8") for path in [REPO / "README.md", *sorted(REPO.glob("handbook/*.md"))]),
    flags=re.S,
)
README_NAMES = {word.lower() for word in re.findall(r"(?<=[a-z,] )[A-Z][a-z]+", README_TEXT)}


# Words written in lower case somewhere in the pieces, the owner's text or the README (in any
# of their usual forms), or closed-class words: a capitalised word that starts a sentence is
# an ordinary word when it is one of these ("The", "We", "Speeding"), and a name when it is
# not ("Kafka", "Stripe"). A name that is also an ordinary word the pieces use in lower case
# would pass at the start of a sentence; mid-sentence it is still flagged.
ORDINARY_FORMS = lowercase_forms(
    OWNERS_TEXT, *("\n".join(prose_blocks(body_of(docname))) for docname in sorted({**AREAS, **ARTICLES}))
) | FUNCTION_WORDS | {
    form for word in re.findall(WORD, README_TEXT) if word.islower() and word not in README_NAMES
    for form in forms(word)
}


FIGURE_FIX = ("the owner's text states no such figure: leave it out, or say it as his text does "
              "(\"a few hundred\", \"for a week\")")
NUMBER_FIX = ("the owner's text has no such number: leave it out, or say it as his text does "
              "(\"a few hundred\", \"five years\")")
NAME_FIX = ("the owner's text never names it: leave it out or say what it is (\"a message queue\"); "
            "once the owner confirms the name, add it to OWNER_CONFIRMED in tests/test_content.py")
CODE_FIX = "name the value instead of writing it (`RETRIES`, `TIMEOUT`), as the owner's text gives none"


def flagged(markdown: str) -> list[str]:
    """Figures and names a piece states that the owner's text does not have.

    Flagged: any digit (prose, diagrams, inline code and code sketches); a
    number word other than "one" and "two" outside a word pair the owner's text also
    has; and any capitalised word that is not on the allow-list, unless it
    starts a sentence (or a heading, a list item, or a clause after ":" or
    ";") and is an ordinary word in lower case elsewhere.
    """
    found = []
    for block in prose_blocks(markdown, identifiers=True):
        for sentence in re.split(r"(?<=[.!?:;])\s+", block):
            words = re.findall(WORD, sentence)
            where = f"in: {sentence[:80]}"
            found += [f"figure {w!r} {where}; {FIGURE_FIX}" for w in words if re.search(r"\d", w)]
            pairs = list(zip([""] + words, words, words[1:] + [""]))
            for before, word, after in pairs:
                for part in word.lower().split("-"):
                    if part.rstrip("s") in NUMBER_WORDS and not (
                        (before.lower(), word.lower()) in OWNERS_WORD_PAIRS
                        or (word.lower(), after.lower()) in OWNERS_WORD_PAIRS
                    ):
                        found.append(f"number {word!r} {where}; {NUMBER_FIX}")
            for position, word in enumerate(words):
                parts = re.split(r"[-_]", re.split(r"['’]", word)[0])
                for index, part in enumerate(parts):
                    if not part or not part[0].isupper() or part in ALLOWED_CAPITALISED:
                        continue
                    starts_sentence = position == 0 and index == 0
                    if starts_sentence and forms(part) & ORDINARY_FORMS:
                        continue
                    found.append(f"name {part!r} {where}; {NAME_FIX}")
    # Code may not smuggle figures in either.
    code = re.findall(r"```.*?```", markdown, flags=re.S)
    inline = re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", markdown, flags=re.S))
    found += [f"figure {d!r} in a code sketch; {CODE_FIX}" for block in code for d in re.findall(r"\b\d+\b", block)]
    found += [f"figure {d!r} in inline code; {CODE_FIX}" for span in inline for d in re.findall(r"\d+", span)]
    return found


@pytest.mark.site_content
@pytest.mark.parametrize("docname", sorted({**AREAS, **ARTICLES}))
def test_no_piece_states_a_figure_or_name_the_owners_text_lacks(docname):
    found = flagged(body_of(docname))
    assert not found, f"{docname}.md (README, Writing a piece: No invented facts):\n  " + "\n  ".join(found)


INVENTED = {
    "The platform served clients of Acme Bank, moving money daily.": ("'Acme'", "'Bank'"),
    "Kafka carries every order.": ("'Kafka'",),
    "- Stripe handled cards.": ("'Stripe'",),
    "## Stripe webhooks": ("'Stripe'",),
    "Payments: Adyen took the cards; Plaid linked banks.": ("'Adyen'", "'Plaid'"),
    "It reconciled 40 accounts.": ("'40'",),
    "It served ten thousand viewers.": ("'ten'", "'thousand'"),
    "The rebuild took eighteen months.": ("'eighteen'",),
    "A team of five engineers ran it.": ("'five'",),
    "Over a dozen providers, for twenty-four hours.": ("'dozen'", "'twenty-four'"),
    "Set `RETRIES=3` first.": ("'3'",),
    ":::{diagram} Flow\n:alt: It ran on Kafka.\n:kind: graph\n\n"
    'digraph { Postgres -> Snowflake; a [label="forty a second"]; }\n:::': (
        "'Kafka'", "'Postgres'", "'Snowflake'", "'forty'",
    ),
    ":::{diagram}\n:alt: A sequence of calls.\n:kind: sequence\n\n"
    "participant Twilio\nparticipant gw as Braintree gateway\n"
    "Twilio -> gw: send {amount=5; currency=EUR}\n:::": ("'Twilio'", "'Braintree'", "'5'", "'EUR'"),
    "```python\nRETRIES = 3\n```": ("'3'",),
}
ALLOWED = {
    "## Signals\n\nThe platform moved money. Every order got one score. It held.": (
        "'Signals'", "'The'", "'Every'", "'It'", "'one'",
    ),
    "Redis and the API stayed up: Velt clears in seconds, on an EVM chain.": (
        "'Redis'", "'API'", "'Velt'", "'EVM'", "'seconds'",
    ),
    "A few hundred people connect at once, two database writes apart.": ("'hundred'", "'two'"),
    "For the last five years, I've kept one owner per record.": ("'five'", "'I'", "'one'"),
    "- Stop the damage first; Understand the code.": ("'Stop'", "'Understand'"),
    "We kept one owner per record. Our retries stop.": ("'We'", "'Our'"),
    ":::{diagram} Caption under the diagram\n:alt: What the picture shows.\n:kind: sequence\n\n"
    "participant Client\nparticipant API\nClient -> API: a request\n:::": ("'Caption'", "'Client'"),
}


@pytest.mark.site_content
@pytest.mark.parametrize("text", sorted(INVENTED))
def test_the_figure_and_name_check_catches_invented_facts(text):
    found = " ".join(flagged(text))
    for invented in INVENTED[text]:
        assert invented in found, f"the check missed {invented} in {text!r}"


@pytest.mark.site_content
@pytest.mark.parametrize("text", sorted(ALLOWED))
def test_the_figure_and_name_check_lets_the_owners_own_words_pass(text):
    found = flagged(text)
    assert not found, f"the check flagged allowed words in {text!r}: {found}"


def readme_example_piece() -> str:
    """The piece the README's "Writing a piece" tells a newcomer to start from."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Writing a piece\n", 1)[1]  # its first Markdown block
    block = re.search(r"^ *```markdown\n(.*?)^ *```", section, re.S | re.M)[1]
    return textwrap.dedent(block)


# A message says how to fix when it shows the fix (an example to copy) or counts it.
SAYS_HOW_TO_FIX = re.compile(r"for example|write \d+ more|cut \d+")


@pytest.mark.site_content
def test_the_readme_example_piece_gets_only_messages_that_say_how_to_fix(tmp_path):
    source = copy_site(tmp_path)
    piece = readme_example_piece()
    (source / "articles" / "readme-example.md").write_text(piece, encoding="utf-8")
    result = sphinx_build(source, tmp_path / "out")
    # A valid start: the strict build takes it as it is.
    assert result.returncode == 0, result.stdout + result.stderr
    docname = "articles/readme-example"
    portfolio = load_portfolio(source)
    area = portfolio.area(portfolio.by_docname(docname).area).docname

    def article(doc: str):
        html = (tmp_path / "out" / f"{doc}.html").read_text(encoding="utf-8")
        return BeautifulSoup(html, "html.parser").select_one("article[role=main]")

    markdown = piece.split("\n---", 1)[1].split("\n", 1)[1]
    assert flagged(markdown) == [], "the README's own example trips the fact check"
    messages = (
        length_problems(docname, markdown, WORDS_PER_ARTICLE, "case study")
        + diagram_problems(docname, article(docname))
        + link_problems(portfolio, docname, article(docname))
        + link_problems(portfolio, area, article(area))
    )
    # It is only a start: the checks say what it still needs, each with its fix.
    assert len(messages) >= 4, messages
    vague = [message for message in messages if not SAYS_HOW_TO_FIX.search(message)]
    assert vague == [], "messages that do not say how to fix:\n" + "\n".join(vague)
    assert any("{doc}`" in message for message in messages), "no message shows the link syntax"
    assert any(":::{diagram}" in message for message in messages), "no message shows a diagram"
