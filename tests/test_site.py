"""The real site, built once per session (the ``site`` fixture), read as a visitor would.

The owner's text is kept beside the tests (``fixtures/portfolio.txt``, his page copy as
scraped); every sentence of it must reach the landing page. Those checks are his, not the
engine's: marked ``site_content`` (README, "Make it yours").
"""

from __future__ import annotations

import re
import runpy
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest
from portfolio.content import load_portfolio

from conftest import REPO

OWNERS_TEXT = Path(__file__).parent / "fixtures" / "portfolio.txt"
# "01Money-movement infrastructure": the source page glued an area's number to
# its title. The numbers are the site's to derive (CONTENT.md), the titles are his.
NUMBERED_TITLE = re.compile(r"^(\d\d)(\S.*)$")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
TYPOGRAPHY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u00a0": " ", "\u2026": "...",
})


def normalise(text: str) -> str:
    """Typographic quotes and dashes as typed, runs of white space as one space."""
    return " ".join(text.translate(TYPOGRAPHY).split())


def owners_lines() -> list[str]:
    return [line.strip() for line in OWNERS_TEXT.read_text(encoding="utf-8").splitlines() if line.strip()]


def owners_area_titles() -> list[str]:
    return [m[2] for line in owners_lines() if (m := NUMBERED_TITLE.match(line))]


def owners_sentences() -> list[tuple[str, bool]]:
    """Each sentence of the owner's text, and whether it is matched ignoring case.

    A run of lines in capitals ("BUILDING / INFRASTRUCTURE / THAT SHIPS.") is
    one sentence whose capitals are styling: the site writes it in sentence
    case and lets CSS set the capitals. Area lines give their titles only.
    """
    sentences: list[tuple[str, bool]] = []
    capitals: list[str] = []
    for line in owners_lines():
        if line.isupper():
            capitals.append(line)
            continue
        if capitals:
            sentences.append((" ".join(capitals), True))
            capitals = []
        if match := NUMBERED_TITLE.match(line):
            sentences.append((match[2], False))
        else:
            sentences += [(part, False) for part in SENTENCE_END.split(line) if part]
    if capitals:
        sentences.append((" ".join(capitals), True))
    return sentences


# Front matter as the extension reads it (a page it cannot read fails the
# zero-warnings test): the tests compare the site against the same fields.
PORTFOLIO = load_portfolio(REPO)
ARTICLES = {article.docname: article for article in PORTFOLIO.articles}
AREAS = {area.docname: area for area in PORTFOLIO.areas}


def main_text(site, page: str) -> str:
    """What a reader sees in the page's main column, without the heading anchors."""
    article = site.soup(page).select_one("[role=main]")
    for anchor in article.select("a.headerlink"):
        anchor.extract()
    return normalise(article.get_text(" "))


def cards(soup_or_tag) -> list[tuple[str, str]]:
    """(title, link) of each case-study card, in page order."""
    return [
        (normalise(card.select_one(".sd-card-title").get_text()),
         card.select_one("a.sd-stretched-link")["href"])
        for card in soup_or_tag.select(".sd-card")
    ]


def own_text(tag) -> str:
    """A heading's text without its number and anchor."""
    parts = [
        str(piece) for piece in tag.children
        if isinstance(piece, str) or not ({"area-number", "headerlink"} & set(piece.get("class", [])))
    ]
    return normalise("".join(parts))


def resolve(page: str, href: str) -> tuple[str, str]:
    """The built file and fragment an internal link on *page* points to."""
    url = urlsplit(href)
    if not url.path:
        return page, unquote(url.fragment)
    target = PurePosixPath(page).parent / unquote(url.path)
    parts: list[str] = []
    for part in target.parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    path = "/".join(parts)
    if href.endswith("/") or not PurePosixPath(path).suffix:
        path = f"{path}/index.html".lstrip("/")
    return path, unquote(url.fragment)


def is_other_origin(url: str, site=None) -> bool:
    """True for a URL on another host; the site's own base URL is not another origin."""
    if site is not None and url.strip().startswith(site.base_url):
        return False
    split = urlsplit(url.strip())
    return bool(split.netloc) or split.scheme not in ("", "data")


def relative_to_site(site, page: str, href: str) -> str:
    """An absolute link to the site itself, as a link relative to *page*."""
    base_path = urlsplit(site.base_url).path
    if href.startswith(site.base_url):
        rest = href[len(site.base_url):]
    elif href.startswith(base_path):  # root-relative, as on the 404 page
        rest = href[len(base_path):]
    else:
        return href
    return "../" * page.count("/") + (rest or "index.html")


# -- The build ----------------------------------------------------------------


def test_the_site_builds_without_a_single_warning(site):
    assert site.warnings == "", f"the site's build warned:\n{site.warnings}"


def test_building_the_site_changes_nothing_in_the_repository(site):
    assert site.source_changes == [], "the build wrote into the repository"


# -- The owner's words --------------------------------------------------------


@pytest.mark.site_content
@pytest.mark.parametrize(("sentence", "any_case"), owners_sentences(), ids=lambda v: str(v)[:40])
def test_every_sentence_of_the_owners_text_is_on_the_landing_page(site, sentence, any_case):
    text = main_text(site, "index.html")
    wanted = normalise(sentence)
    if any_case:
        assert wanted.casefold() in text.casefold(), f"the landing page lost: {sentence!r}"
    else:
        assert wanted in text, f"the landing page lost, or changed the words of: {sentence!r}"


def test_the_name_is_the_landing_page_title_and_the_headline_a_sentence(site):
    soup = site.soup("index.html")
    name = runpy.run_path(str(REPO / "conf.py"))["portfolio_name"]
    assert own_text(soup.select_one("article h1")).casefold() == name.casefold()
    headline = normalise(soup.select_one(".hero-headline").get_text())
    # Sentence case in the HTML, so screen readers read a sentence; CSS sets the capitals.
    assert headline[0].isupper() and not headline.isupper(), headline


# -- The work areas -----------------------------------------------------------


def test_the_work_areas_are_numbered_01_02_03_in_the_html(site):
    headings = site.soup("index.html").select("section h3:has(> .area-number)")
    shown = [(h.select_one(".area-number").get_text(strip=True), own_text(h)) for h in headings]
    # The numbers count the areas in their front matter's order: 01, 02, 03 for
    # the owner's three (the source's 04 is a gap), and on for any he adds.
    in_order = [area.title for area in sorted(AREAS.values(), key=lambda area: area.order)]
    expected = [(f"{number:02d}", title) for number, title in enumerate(in_order, start=1)]
    assert shown == expected, f"the landing page should show {expected}; it shows {shown}"


@pytest.mark.site_content
def test_the_owners_areas_come_in_his_order(site):
    headings = site.soup("index.html").select("section h3:has(> .area-number)")
    shown = [own_text(heading) for heading in headings]
    owners = owners_area_titles()
    assert [title for title in shown if title in owners] == owners, (
        f"the owner's areas, in his order: {owners} (tests/fixtures/portfolio.txt)"
    )


def test_each_area_on_the_landing_page_shows_its_own_case_studies_in_order(site):
    soup = site.soup("index.html")
    for area_doc, area in AREAS.items():
        section = soup.select_one(f"section#{area_doc.split('/')[1]}")
        assert section is not None, f"no section for {area.title} on the landing page"
        expected = [
            (meta.title, f"{doc}.html")
            for doc, meta in sorted(ARTICLES.items(), key=lambda item: item[1].order)
            if meta.area == area_doc.split("/")[1]
        ]
        assert cards(section) == expected, f"the cards under {area.title}"
        read_more = section.select_one(".read-more a")
        assert read_more["href"] == f"{area_doc}.html"


def test_read_the_full_piece_shows_the_owners_words_and_is_announced_with_its_area(site):
    """Seen: "Read the full piece", as the owner wrote it. Heard: the same words, then the area,
    so a list of links tells the three apart (the name starts with what is seen: WCAG 2.5.3)."""
    soup = site.soup("index.html")
    for area_doc, area in AREAS.items():
        read_more = soup.select_one(f"section#{area_doc.split('/')[1]} .read-more a")
        hidden = read_more.select(".read-more-area")
        assert len(hidden) == 1, f"{area.title}: its link names no area for screen readers"
        assert " ".join(read_more.get_text().split()) == f"Read the full piece — {area.title}"
        shown = read_more.get_text().replace(hidden[0].get_text(), "")
        assert normalise(shown) == "Read the full piece", f"{area.title}: the visible text changed"


def test_a_card_per_case_study_on_the_landing_page_each_one_link(site):
    soup = site.soup("index.html")
    found = soup.select(".sd-card")
    # The owner's seven case studies are held by title (every line of his text is on the
    # landing page); one the owner adds later gets its card too.
    assert len(found) == len(ARTICLES), (
        f"expected a card per case study ({len(ARTICLES)}), found {len(found)}"
    )
    for card in found:
        links = card.select("a[href]")
        assert len(links) == 1 and "sd-stretched-link" in links[0]["class"], (
            f"the card {card.select_one('.sd-card-title').get_text(strip=True)!r} "
            "should be one link, the whole card"
        )


@pytest.mark.parametrize("page", ["index.html", *(f"{doc}.html" for doc in AREAS)])
def test_every_card_links_to_its_article(site, page):
    for title, href in cards(site.soup(page)):
        target, _ = resolve(page, href)
        assert (site.outdir / target).is_file(), f"the card {title!r} on {page} leads nowhere"
        heading = own_text(site.soup(target).select_one("article h1"))
        assert heading == title, f"the card {title!r} on {page} opens {heading!r}"


@pytest.mark.parametrize("area_doc", sorted(AREAS))
def test_each_area_page_shows_exactly_its_own_case_studies(site, area_doc):
    slug = area_doc.split("/")[1]
    expected = [
        (meta.title, f"../{doc}.html")
        for doc, meta in sorted(ARTICLES.items(), key=lambda item: item[1].order)
        if meta.area == slug
    ]
    assert cards(site.soup(f"{area_doc}.html")) == expected


# -- Links and resources ------------------------------------------------------


def test_every_internal_link_and_fragment_resolves(site):
    broken = []
    for page in site.pages():
        for tag in site.soup(page).select("a[href], link[href]"):
            href = relative_to_site(site, page, tag["href"])
            if is_other_origin(href) or href.startswith("mailto:"):
                continue
            target, fragment = resolve(page, href)
            if not (site.outdir / target).is_file():
                broken.append(f"{page}: {href} (no file {target})")
            elif fragment and not site.soup(target).find(id=fragment):
                broken.append(f"{page}: {href} (no #{fragment} in {target})")
    assert broken == [], "links that lead nowhere:\n" + "\n".join(broken)


RESOURCE_ATTRIBUTES = [
    ("link[href]", "href"), ("script[src]", "src"), ("img[src]", "src"),
    ("img[srcset]", "srcset"), ("source[src]", "src"), ("source[srcset]", "srcset"),
    ("iframe[src]", "src"), ("video[src]", "src"), ("audio[src]", "src"),
    ("object[data]", "data"), ("embed[src]", "src"),
]
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""")


def test_no_page_loads_anything_from_another_origin(site):
    loads = []
    for page in site.pages():
        soup = site.soup(page)
        for selector, attribute in RESOURCE_ATTRIBUTES:
            for tag in soup.select(selector):
                for url in tag[attribute].split(","):
                    if is_other_origin(url.split()[0] if url.split() else url, site):
                        loads.append(f"{page}: <{tag.name} {attribute}={tag[attribute]!r}>")
        inline_css = [style.get_text() for style in soup.select("style")]
        inline_css += [tag["style"] for tag in soup.select("[style]")]
        for css in inline_css:
            loads += [f"{page}: {m[0] or m[1]}" for m in CSS_URL.findall(css)
                      if is_other_origin(m[0] or m[1], site)]
    for stylesheet in sorted(site.outdir.glob("_static/**/*.css")):
        css = stylesheet.read_text(encoding="utf-8")
        loads += [f"{stylesheet.name}: {m[0] or m[1]}" for m in CSS_URL.findall(css)
                  if is_other_origin(m[0] or m[1])]
    assert loads == [], "resources from another origin:\n" + "\n".join(loads)


# -- What search engines and link previews read -------------------------------


@pytest.mark.parametrize("doc", sorted(ARTICLES) + sorted(AREAS))
def test_each_page_describes_itself_with_its_summary(site, doc):
    meta = site.soup(f"{doc}.html").select('meta[name="description"]')
    summary = {**ARTICLES, **AREAS}[doc].summary
    assert [normalise(tag["content"]) for tag in meta] == [normalise(summary)], (
        f"{doc}.md: the page's description should be its summary"
    )


@pytest.mark.parametrize("doc", sorted(ARTICLES))
def test_each_article_opens_with_its_summary(site, doc):
    lead = site.soup(f"{doc}.html").select_one("article h1 ~ p.lead")
    assert lead is not None and normalise(lead.get_text()) == normalise(
        ARTICLES[doc].summary
    ), f"{doc}.md should open with its summary, word for word"


# -- For every reader: reading time, dates, llms.txt, concepts ----------------

MINUTES = re.compile(r"^(\d+) min read$")


def byline_parts(site, doc: str) -> list[str]:
    byline = site.soup(f"{doc}.html").select_one("article h1 ~ p.byline")
    assert byline is not None, f"{doc}.html has no byline under its title"
    return [normalise(part) for part in normalise(byline.get_text()).split(" · ")]


@pytest.mark.parametrize("doc", sorted(ARTICLES) + sorted(AREAS))
def test_every_piece_says_how_long_it_takes_to_read(site, doc):
    minutes = MINUTES.match(byline_parts(site, doc)[-1])
    assert minutes, f"{doc}.html: the byline should end with 'N min read'"
    # 500 to 1,500 words of prose (tests/test_content.py) at 230 words a minute.
    assert 2 <= int(minutes[1]) <= 7, f"{doc}.html: {minutes[0]!r} for a piece of its length"


@pytest.mark.parametrize("page", ["index.html", *(f"{doc}.html" for doc in AREAS)])
def test_every_card_shows_the_reading_time_its_piece_shows(site, page):
    for card in site.soup(page).select(".sd-card"):
        target, _ = resolve(page, card.select_one("a.sd-stretched-link")["href"])
        shown = normalise(card.select_one(".sd-card-footer").get_text())
        assert MINUTES.match(shown), f"{page}: a card's footer reads {shown!r}"
        assert shown == byline_parts(site, target.removesuffix(".html"))[-1], (
            f"{page}: the card for {target} and the piece disagree on its reading time"
        )


def feed_dates(site) -> dict[str, str]:
    """The day each piece was last updated, by its page, as the feed gives it."""
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.parse(site.outdir / "feed.xml").getroot()
    return {
        entry.find(f"{atom}link").get("href")[len(site.base_url):]: entry.find(f"{atom}updated").text[:10]
        for entry in root.iter(f"{atom}entry")
    }


@pytest.mark.parametrize("doc", sorted(ARTICLES) + sorted(AREAS))
def test_every_piece_says_when_it_last_changed_the_day_the_feed_gives(site, doc):
    # The site is built from this git checkout: every committed piece has a date.
    time = site.soup(f"{doc}.html").select_one("article h1 ~ p.byline time")
    assert time is not None, f"{doc}.html: no 'Updated <date>' under its title"
    assert f"Updated {normalise(time.get_text())}" in byline_parts(site, doc)
    assert time["datetime"] == feed_dates(site)[f"{doc}.html"], (
        f"{doc}.html: the page and the feed disagree on when it last changed"
    )


def llms_links(text: str) -> list[tuple[str, str]]:
    return re.findall(r"\[([^\]]+)\]\(([^)\s]+)\)", text)


def test_llms_txt_names_the_owner_and_lists_every_area_and_piece_with_its_summary(site):
    conf = {}
    exec((REPO / "conf.py").read_text(encoding="utf-8"), {"__file__": str(REPO / "conf.py")}, conf)
    text = (site.outdir / "llms.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == f"# {conf['portfolio_name']}"
    assert f"> {conf['portfolio_role']}. {conf['portfolio_headline']}" in lines
    listed = dict((title, url) for title, url in llms_links(text))
    for doc, piece in {**AREAS, **ARTICLES}.items():
        url = site.base_url + f"{doc}.html"
        assert listed.get(piece.title) == url, f"llms.txt should link {piece.title!r} at {url}"
        # An area's note opens with its tagline (a section holds only links: test_publishing.py).
        assert any(normalise(line).startswith(f"- [{piece.title}]({url}): ")
                   and normalise(line).endswith(normalise(piece.summary)) for line in lines), (
            f"llms.txt should give {piece.title!r} its summary"
        )
    for area in AREAS.values():
        assert any(line.startswith("## ") and line.endswith(area.title) for line in lines), area.title


def test_llms_full_txt_holds_every_piece_in_full(site):
    text = normalise((site.outdir / "llms-full.txt").read_text(encoding="utf-8"))
    for doc, piece in {**AREAS, **ARTICLES}.items():
        assert f"# {piece.title} Address: {site.base_url}{doc}.html" in text, doc
        for heading in site.soup(f"{doc}.html").select("article section > h2"):
            assert own_text(heading) in text, f"llms-full.txt lacks {doc}'s section {own_text(heading)!r}"


@pytest.mark.parametrize("name", ["llms.txt", "llms-full.txt"])
def test_every_link_in_the_llms_files_resolves_on_the_published_site(site, name):
    from urllib.error import HTTPError
    from urllib.request import urlopen

    text = (site.outdir / name).read_text(encoding="utf-8")
    urls = {url for _, url in llms_links(text)} | set(re.findall(r"Address: (\S+)", text))
    urls |= set(re.findall(r"Home page: (\S+)", text))
    assert urls, f"{name} links nothing"
    broken = []
    for url in sorted(urls):
        assert url.startswith(site.base_url), f"{name}: {url} is not on the site ({site.base_url})"
        try:
            with urlopen(url, timeout=10) as response:
                status = response.status
        except HTTPError as error:
            status = error.code
        if status != 200:
            broken.append(f"{url}: {status}")
    assert broken == [], f"{name} links pages the site does not serve:\n" + "\n".join(broken)


PIECE_PAGES = {f"{doc}.html" for doc in {**AREAS, **ARTICLES}}


def test_the_concepts_page_is_in_the_navigation(site):
    links = [a["href"] for a in site.soup("index.html").select(".sidebar-tree a")]
    assert "concepts.html" in links, "the site navigation should list the Concepts page"


def test_every_concept_links_to_at_least_two_pieces_and_every_link_resolves(site):
    page = "concepts.html"
    entries = site.soup(page).select("dl.glossary > dd")
    assert len(entries) >= 10, "the Concepts page should define the recurring ideas"
    for entry in entries:
        term = normalise(entry.find_previous_sibling("dt").get_text()).rstrip("¶ ")
        pieces = set()
        for link in entry.select(".discussed-in a[href]"):
            target, fragment = resolve(page, link["href"])
            assert (site.outdir / target).is_file(), f"{term!r} links {link['href']}, which is no page"
            assert not fragment or site.soup(target).find(id=fragment), f"{term!r}: no #{fragment} in {target}"
            # The piece links back: the place named discusses the concept.
            back = [a for a in site.soup(target).select("[role=main] a[href*='concepts.html#']")
                    if (site.outdir / resolve(target, a["href"])[0]) == site.outdir / page]
            assert back, f"{target} is listed under {term!r} but links no concept"
            pieces.add(target)
        assert len(pieces & PIECE_PAGES) >= 2, f"{term!r} should link to at least two pieces"


def test_every_concept_link_in_a_piece_lands_on_its_definition(site):
    concepts = site.soup("concepts.html")
    for doc in PIECE_PAGES:
        for link in site.soup(doc).select("[role=main] a[href*='concepts.html#']"):
            target, fragment = resolve(doc, link["href"])
            assert target == "concepts.html" and concepts.find(id=fragment) is not None, (
                f"{doc}: {link['href']} leads to no definition"
            )
            assert concepts.find(id=fragment).name == "dt", f"{doc}: {link['href']} is not a concept"


def test_every_piece_and_area_ends_with_the_closing_question_and_the_ways_to_reach_the_owner(site):
    settings = runpy.run_path(str(REPO / "conf.py"))
    for page in site.pages():
        soup = site.soup(page)
        closing = soup.select_one(".closing")
        if not page.startswith(("articles/", "work/")):
            assert closing is None, f"{page} closes with the call to contact, which is for pieces"
            continue
        # Right after the piece's last section: first in the footer that follows its article.
        assert closing is not None, f"{page} does not end with the call to contact"
        footer = closing.parent
        assert footer.name == "footer" and footer.find(True) is closing, f"{page}: the call to contact is not first"
        assert footer.find_previous_sibling(True).select_one("article[role=main]") or (
            footer.find_previous_sibling("article")), f"{page}: the call to contact does not follow the article"
        assert closing.h2.get_text() == settings["portfolio_closing_question"], page
        assert [a["href"] for a in closing.select("a")] == [e["url"] for e in settings["portfolio_contact"]], page
