"""The owner's own pages: his text word for word, and the rules he set for his pieces.

His text is his page copy as scraped (``portfolio.txt`` beside this file): every sentence
reaches the landing page, each piece opens with his paragraph, is long enough to be worth
reading and short enough to finish, has a diagram with a text alternative, links back to its
area and across to related pieces, and states no figure or name his text does not have. The
last check is mechanical: it flags digits, number words and capitalised words outside
allow-lists (README, "Writing a piece"). Every failure says how to fix it, with an example.

None of this is the engine's: a fork deletes this folder, text and tests together
(README, "Make it yours"), or leaves them out with ``make test OWNER_TESTS=0``.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

from conftest import REPO, front_matter

pytestmark = pytest.mark.site_content

OWNERS_TEXT = (Path(__file__).parent / "portfolio.txt").read_text(encoding="utf-8")
PAGES = front_matter()
AREAS = {doc: fields for doc, fields in PAGES.items() if doc.startswith("work/")}
ARTICLES = {doc: fields for doc, fields in PAGES.items() if doc.startswith("articles/")}

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
    text = text.replace("\u2014", "-").replace("\u2013", "-").replace("\u2011", "-")
    return " ".join(text.replace("\u2026", "...").split())


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


@pytest.mark.parametrize("docname", sorted(ARTICLES))
def test_every_case_study_is_a_full_piece(docname):
    problems = length_problems(docname, body_of(docname), WORDS_PER_ARTICLE, "case study")
    assert not problems, problems[0]


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


def test_every_area_and_case_study_of_the_owners_text_has_its_piece():
    # Found by title: a piece renamed away from the owner's title shows up here.
    titles = {fields["title"] for fields in PAGES.values()}
    missing = [title for title in OWNERS_SECTIONS if title not in titles]
    assert not missing, (
        f"no piece is titled {missing} (tests/owner/portfolio.txt); give the piece that title "
        f"in its front matter, for example: title: {missing[0]}"
    )
    assert len(OWNERS_SECTIONS) == 10 and "Velt" in OWNERS_SECTIONS, OWNERS_SECTIONS


@pytest.mark.parametrize("docname", sorted({**AREAS, **ARTICLES}))
def test_every_piece_opens_with_the_owners_paragraph(site, docname):
    item = PAGES[docname]
    # A piece the owner's text has opens with his paragraph word for word; one
    # he adds later opens with the summary he writes for it.
    if item["title"] in OWNERS_SECTIONS:
        assert normalize(item["summary"]) == normalize(OWNERS_PARAGRAPHS[item["title"]]), (
            f"{docname}.md: the summary is not the owner's paragraph for {item['title']!r}; set the "
            f"front matter's summary to it, word for word: {OWNERS_PARAGRAPHS[item['title']]!r} "
            "(tests/owner/portfolio.txt)"
        )
    article = site.soup(f"{docname}.html").select_one("article[role=main]")
    first = [p for p in article.select("section > p") if "byline" not in p.get("class", [])
             and not {"area-kicker", "area-tagline", "stack"} & set(p.get("class", []))][0]
    assert normalize(first.get_text()) == normalize(item["summary"]), (
        f"{docname}: the page does not open with its summary"
    )


def docname_of(page_docname: str, href: str) -> str:
    """The docname a relative link on *page_docname*'s page leads to."""
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page_docname), href.split("#")[0]))
    return path.removesuffix(".html")


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
    docname, title = item
    if forms(title.split()[0]) & ORDINARY_FORMS:
        title = title[0].lower() + title[1:]
    return f"{{doc}}`{title} </{docname}>`"


def link_problems(pages: dict[str, dict], docname: str, article) -> list[str]:
    """The links a piece owes its readers: back to its area and on to a related piece,
    or, for an area essay, to each of its case studies."""
    links = links_in_body(article, docname)
    titled = lambda doc: (doc, pages[doc]["title"])  # noqa: E731
    articles = [doc for doc in pages if doc.startswith("articles/")]
    problems = []
    if docname.startswith("work/"):
        for missing in articles:
            if pages[missing].get("area") == docname[5:] and missing not in links:
                problems.append(
                    f"{docname}.md never links to {missing}; mention it in the essay, "
                    f"for example: The {doc_link(titled(missing))} shows this from its own side."
                )
        return problems
    area = f"work/{pages[docname]['area']}"
    if area not in links:
        problems.append(
            f"{docname}.md never links back to its area; end the piece with a line that does, "
            f"for example: More on this in {doc_link(titled(area))}."
        )
    others = [doc for doc in articles if doc != docname]
    if others and not links & set(others):
        nearest = next((doc for doc in others if pages[doc]["area"] == pages[docname]["area"]), others[0])
        problems.append(
            f"{docname}.md links to no other case study; point the reader on to a related one, "
            f"for example: The {doc_link(titled(nearest))} meets the same problem from another side."
        )
    return problems


@pytest.mark.parametrize("docname", sorted(ARTICLES))
def test_every_piece_links_back_to_its_area_and_on_to_a_related_one(site, docname):
    problems = link_problems(PAGES, docname, main_column(site, docname))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("docname", sorted(AREAS))
def test_every_area_essay_links_to_its_case_studies(site, docname):
    problems = link_problems(PAGES, docname, main_column(site, docname))
    assert not problems, "\n".join(problems)


FOREX_PIECES = sorted(d for d in ARTICLES if "forex" in d)


@pytest.mark.parametrize("docname", FOREX_PIECES)
def test_the_forex_pieces_link_to_one_another(site, docname):
    missing = set(FOREX_PIECES) - {docname} - links_in_body(main_column(site, docname), docname)
    examples = " ".join(f"The {doc_link((doc, ARTICLES[doc]['title']))} ..." for doc in sorted(missing))
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
            "once the owner confirms the name, add it to OWNER_CONFIRMED in tests/owner/test_owners_pages.py")
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


@pytest.mark.parametrize("docname", sorted({**AREAS, **ARTICLES}))
def test_no_piece_states_a_figure_or_name_the_owners_text_lacks(docname):
    found = flagged(body_of(docname))
    assert not found, f"{docname}.md (README, Writing a piece: No invented facts):\n  " + "\n  ".join(found)


# -- His text on the landing page, and his glossary ------------------------------------------

# "01Money-movement infrastructure": the source page glued an area's number to its title.
NUMBERED_TITLE = re.compile(r"^(\d\d)(\S.*)$")


def owners_sentences() -> list[tuple[str, bool]]:
    """Each sentence of the owner's text, and whether it is matched ignoring case.

    A run of lines in capitals ("BUILDING / INFRASTRUCTURE / THAT SHIPS.") is one sentence
    whose capitals are styling: the site writes it in sentence case and lets CSS set the
    capitals. Area lines give their titles only.
    """
    sentences: list[tuple[str, bool]] = []
    capitals: list[str] = []
    for line in (line.strip() for line in OWNERS_TEXT.splitlines() if line.strip()):
        if line.isupper():
            capitals.append(line)
            continue
        if capitals:
            sentences.append((" ".join(capitals), True))
            capitals = []
        if match := NUMBERED_TITLE.match(line):
            sentences.append((match[2], False))
        else:
            sentences += [(part, False) for part in re.split(r"(?<=[.!?])\s+", line) if part]
    return sentences + ([(" ".join(capitals), True)] if capitals else [])


@pytest.mark.parametrize(("sentence", "any_case"), owners_sentences(), ids=lambda v: str(v)[:40])
def test_every_sentence_of_the_owners_text_is_on_the_landing_page(site, sentence, any_case):
    article = site.soup("index.html").select_one("[role=main]")
    text = normalize(" ".join(t for t in article.find_all(string=True)
                              if "headerlink" not in (t.parent.get("class") or [])))
    if any_case:
        assert normalize(sentence).casefold() in text.casefold(), f"the landing page lost: {sentence!r}"
    else:
        assert normalize(sentence) in text, f"the landing page lost, or changed the words of: {sentence!r}"


def test_the_owners_areas_come_in_his_order(site):
    headings = site.soup("index.html").select("section h3:has(> .area-number)")
    shown = [normalize(h.get_text()).removesuffix("¶").strip()[2:].strip() for h in headings]
    owners = [m[2] for line in OWNERS_TEXT.splitlines() if (m := NUMBERED_TITLE.match(line.strip()))]
    assert [title for title in shown if title in owners] == owners, (
        f"the owner's areas, in his order: {owners} (tests/owner/portfolio.txt)")


def test_his_concepts_page_is_in_the_navigation(site):
    links = [a["href"] for a in site.soup("index.html").select(".sidebar-tree a")]
    assert "concepts.html" in links, "the site navigation should list the Concepts page"


def test_his_glossary_defines_the_recurring_ideas_each_discussed_in_two_pieces(site):
    entries = site.soup("concepts.html").select("dl.glossary > dd")
    assert len(entries) >= 10, "the Concepts page should define the recurring ideas"
    for entry in entries:
        term = normalize(entry.find_previous_sibling("dt").get_text()).rstrip("¶ ")
        pieces = {docname_of("concepts", a["href"]) for a in entry.select(".discussed-in a[href]")}
        assert len(pieces & set(PAGES)) >= 2, f"{term!r} should link to at least two pieces"
