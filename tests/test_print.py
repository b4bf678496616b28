"""A page on paper: what Chromium prints to PDF, read back as text.

Each test prints the real site (built once per session and served on 127.0.0.1, see
``browser.py``) with ``page.pdf``, as a visitor's "Print" or "Save as PDF" would, then reads
the PDF's text with pypdf. Text is compared without spaces, case or ligatures: a PDF spells
letter-spaced capitals "I F E A N Y I" and "fi" as one glyph, and lines break anywhere.
"""

from __future__ import annotations

import copy
import io
import re
import unicodedata

import pytest
from browser import themed_context

pytestmark = pytest.mark.browser

# The paper sizes a visitor prints on: the rest of the world's, and North America's.
PAPER = ["A4", "Letter"]


def squeeze(text: str) -> str:
    """*text* as compared with a PDF's: no spaces, soft hyphens or ligatures, one case."""
    return re.sub(r"[\s\u00ad]+", "", unicodedata.normalize("NFKC", text)).casefold()


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page of *pdf*, squeezed."""
    from pypdf import PdfReader

    return [squeeze(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _pieces(site) -> list[str]:
    return [p for p in site.pages() if p.startswith(("articles/", "work/"))]


@pytest.fixture(scope="module")
def printed(site_address, browser):
    """Each page as printed on A4 (or *paper*), as a list of its pages' text; printed once."""
    # The visitor has the dark theme on screen: paper is printed light all the same.
    context = themed_context(browser, site_address, "dark")
    page = context.new_page()
    cache: dict[tuple[str, str], list[str]] = {}

    def pdf_of(name: str, paper: str = "A4") -> list[str]:
        if (name, paper) not in cache:
            page.goto(site_address.url(name), wait_until="load")
            cache[name, paper] = pdf_pages(page.pdf(format=paper))
        return cache[name, paper]

    yield pdf_of
    context.close()


def _text_of(element) -> str:
    """What *element* says on paper: its text, each link off the site followed by its address."""
    # The contact links read as their addresses already.
    annotated = [not link.find_parent(class_="contact-links") for link in element.select("a[href^='http']")]
    element = copy.copy(element)  # the session's parsed pages stay as built
    for link, annotate in zip(element.select("a[href^='http']"), annotated, strict=True):
        if annotate:
            link.append(f" ({link['href']})")
    for anchor in element.select(".headerlink"):
        anchor.decompose()
    return element.get_text(" ")


def test_a_printed_piece_is_its_title_area_lead_and_full_text(site, printed):
    missing = {}
    for name in _pieces(site):
        article = site.soup(name).select_one("article[role=main]")
        printed_text = "".join(printed(name))
        blocks = article.select("h1, h2, h3, h4, p, li, pre, figcaption, dt, dd, th, td")
        assert article.select_one("h1") and article.select_one(".lead"), f"{name}: no title or lead"
        if "articles/" in name:
            assert article.select_one(".byline"), f"{name}: no byline naming its area"
        lost = [
            _text_of(block).strip()[:70] for block in blocks
            if squeeze(_text_of(block)) not in printed_text
        ]
        if lost:
            missing[name] = lost
    assert not missing, "printed pieces lack text the page shows:\n" + "\n".join(
        f"{name}: {lost}" for name, lost in missing.items())


# What surrounds a piece on screen: the site's navigation and search, the page's contents, the
# theme toggle, the skip link, the back-to-top button and the theme's credits.
_SITE_CHROME = [
    ".sidebar-drawer", ".sidebar-search-container", ".toc-drawer", ".theme-toggle",
    ".skip-to-content", ".back-to-top", ".mobile-header", ".related-pages", ".bottom-of-page",
]
_SHOWN_IN_PRINT_JS = """(selectors) => selectors.filter(selector =>
  [...document.querySelectorAll(selector)].some(el => el.checkVisibility()))"""


def test_a_printed_piece_leaves_out_the_site_around_it(site, site_address, theme_contexts, printed):
    name = _pieces(site)[0]
    soup = site.soup(name)
    words = {
        "the skip link": soup.select_one(".skip-to-content").get_text(),
        "the site's name in its navigation": soup.select_one(".sidebar-brand-text").get_text(),
        "the contents' title": soup.select_one(".toc-title").get_text(),
        "the back-to-top button": soup.select_one(".back-to-top").get_text(),
        "the theme's credits": "Made with",
    }
    printed_text = "".join(printed(name))
    found = [f"{what} ({text.strip()!r})" for what, text in words.items() if squeeze(text) in printed_text]
    page = theme_contexts["light"].new_page()
    try:
        page.goto(site_address.url(name))
        page.emulate_media(media="print")
        shown = page.evaluate(_SHOWN_IN_PRINT_JS, _SITE_CHROME)
    finally:
        page.close()
    assert not found, f"{name} printed with " + ", ".join(found)
    assert not shown, f"{name}: in print, these still show: {shown}"


def test_links_off_the_site_print_their_address_and_links_on_it_do_not(site, site_address, browser):
    name = next(p for p in _pieces(site) if p.startswith("articles/"))
    area_link = site.soup(name).select_one(".byline a")["href"]
    context = themed_context(browser, site_address, "light")
    page = context.new_page()
    try:
        page.goto(site_address.url(name))
        # A link to a source, as a piece would cite one.
        page.evaluate("""() => document.querySelector('article .lead').insertAdjacentHTML('beforeend',
          ' See <a class="reference external" href="https://example.org/feeds/sequence-numbers">the spec</a>.')""")
        printed_text = "".join(pdf_pages(page.pdf(format="A4")))
    finally:
        context.close()
    assert squeeze("the spec (https://example.org/feeds/sequence-numbers)") in printed_text, (
        f"{name}: a link off the site prints without its address")
    assert squeeze(f"({area_link})") not in printed_text, (
        f"{name}: the link to its area prints its relative address {area_link!r}")


def test_cards_code_blocks_and_diagrams_are_never_split_across_pages(site, printed):
    """A card, a code block or a diagram is on one page of the paper, whole."""
    checked, split = 0, {}
    for name in site.pages():
        soup = site.soup(name)
        wholes = {
            # A card's title and its text (its link's name is the title again, not printed).
            **{f"card {card.select_one('.sd-card-title').get_text().strip()!r}":
               [_text_of(card.select_one(".sd-card-body"))]
               for card in soup.select("article .sd-card")},
            **{f"code block {i + 1}": [_text_of(pre)]
               for i, pre in enumerate(soup.select("article .highlight pre"))},
            # A diagram's words, each, and its caption: all on one page.
            **{f"diagram {figure.figcaption.get_text().strip()!r}":
               [_text_of(figure.figcaption)] + [text.get_text() for text in figure.select("svg text")]
               for figure in soup.select("article figure.diagram") if figure.figcaption},
        }
        if not wholes:
            continue
        pages = printed(name)
        for what, parts in wholes.items():
            checked += 1
            if not any(all(squeeze(part) in text for part in parts) for text in pages):
                split.setdefault(name, []).append(what)
    assert checked, "no card, code block or diagram found: the check looked at nothing"
    assert not split, "split across two printed pages:\n" + "\n".join(
        f"{name}: {whats}" for name, whats in split.items())


@pytest.mark.parametrize("paper", PAPER)
def test_the_home_page_prints_as_a_one_page_summary(site, printed, paper):
    soup = site.soup("index.html")
    article = soup.select_one("article[role=main]")
    expected = {
        "the name": article.select_one("h1"),
        "the role": article.select_one(".hero-role"),
        "the headline": article.select_one(".hero-headline"),
        "the introduction": article.select_one(".hero-intro"),
        **{f"area {area.h3.get_text(' ').strip()!r}": area.h3 for area in article.select("section#work > section")},
        **{f"the tagline {tag.get_text().strip()!r}": tag for tag in article.select(".area-tagline")},
        **{f"the card {card.select_one('.sd-card-title').get_text().strip()!r}": card.select_one(".sd-card-body")
           for card in article.select(".sd-card")},
        **{f"the contact {item.get_text(' ').strip()!r}": item for item in article.select(".contact-links li")},
    }
    assert article.select(".sd-card") and article.select(".contact-links li"), (
        "the home page shows no cards or no contacts: the check would prove little")
    pages = printed("index.html", paper)
    assert len(pages) == 1, f"the home page prints on {len(pages)} pages of {paper}, not one"
    missing = [what for what, element in expected.items() if squeeze(_text_of(element)) not in pages[0]]
    assert not missing, f"the home page printed on {paper} lacks " + ", ".join(missing)
    assert "(http" not in pages[0], "a contact link prints its address twice"


# -- Diagrams in black on white -----------------------------------------------------------------

# Every colour a diagram paints with, in print: each shape's fill and stroke, each word's fill.
_DIAGRAM_PAINT_JS = """() => [...document.querySelectorAll('figure.diagram svg')].flatMap(svg =>
  [...svg.querySelectorAll('path, line, polyline, polygon, rect, circle, ellipse, text')].map(el => {
    const style = getComputedStyle(el);
    return {element: el.tagName + (el.getAttribute('class') ? '.' + el.getAttribute('class') : '')
                     + ' in ' + (el.parentElement.getAttribute('class') || 'svg'),
            fill: style.fill, stroke: style.stroke};
  }))"""
_BLACK, _WHITE = "rgb(0, 0, 0)", "rgb(255, 255, 255)"


def test_diagrams_print_black_on_white(urls_showing, theme_contexts):
    # On screen the visitor reads in the dark theme; the paper is white all the same.
    page = theme_contexts["dark"].new_page()
    coloured = {}
    try:
        page.emulate_media(media="print")
        for name in urls_showing("figure.diagram svg"):
            page.goto(name)
            paints = page.evaluate(_DIAGRAM_PAINT_JS)
            wrong = [
                f"{paint['element']}: fill {paint['fill']}, stroke {paint['stroke']}" for paint in paints
                if not {paint["fill"], paint["stroke"]} <= {"none", _BLACK, _WHITE}
                or (paint["element"].startswith("text") and paint["fill"] != _BLACK)
            ]
            if wrong:
                coloured[name] = sorted(set(wrong))[:6]
    finally:
        page.close()
    assert not coloured, "diagrams print in colour or grey, not black on white:\n" + "\n".join(
        f"{name}: {wrong}" for name, wrong in coloured.items())
