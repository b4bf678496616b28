"""The real site, built once per session (the ``site`` fixture), read as a visitor would.

What each page must show comes from the pages' own front matter (``conftest.front_matter``)
and conf.py, never from the extension under test; nothing here assumes the shipped owner's
pages: one area or many, one piece or many, any length (his own text: tests/owner/).
"""

from __future__ import annotations

import re
import runpy
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from conftest import REPO, front_matter

PAGES = front_matter()
AREAS = sorted((doc for doc in PAGES if doc.startswith("work/")), key=lambda doc: PAGES[doc]["order"])


def articles_in(area_doc: str) -> list[str]:
    """The case studies of an area, in their front matter's order."""
    docs = [doc for doc, fields in PAGES.items() if fields.get("area") == area_doc.removeprefix("work/")]
    return sorted(docs, key=lambda doc: PAGES[doc]["order"])


def reading_order() -> list[str]:
    """Each area, then its case studies, area after area, as their front matter orders them."""
    return [doc for area in AREAS for doc in (area, *articles_in(area))]


# Sphinx sets quotes and dashes typographically; front matter is typed plainly.
TYPOGRAPHY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                            "\u2013": "-", "\u2014": "-", "\u00a0": " ", "\u2026": "..."})


def normalise(text: str) -> str:
    return " ".join(text.translate(TYPOGRAPHY).split())


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


def resolve(page: str, href: str) -> str:
    """The built file an internal link on *page* points to."""
    target = PurePosixPath(page).parent / unquote(urlsplit(href).path)
    parts: list[str] = []
    for part in target.parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def byline_parts(site, doc: str) -> list[str]:
    byline = site.soup(f"{doc}.html").select_one("article h1 ~ p.byline")
    assert byline is not None, f"{doc}.html has no byline under its title"
    return normalise(byline.get_text()).split(" · ")


# -- The build ----------------------------------------------------------------


def test_the_site_builds_without_a_single_warning(site):
    assert site.warnings == "", f"the site's build warned:\n{site.warnings}"


def test_building_the_site_changes_nothing_in_the_repository(site):
    assert site.source_changes == [], "the build wrote into the repository"


# -- The landing page and the areas -------------------------------------------


def test_the_name_is_the_landing_page_title_and_the_headline_a_sentence(site):
    soup = site.soup("index.html")
    name = runpy.run_path(str(REPO / "conf.py"))["portfolio_name"]
    assert own_text(soup.select_one("article h1")).casefold() == name.casefold()
    headline = normalise(soup.select_one(".hero-headline").get_text())
    # Sentence case in the HTML, so screen readers read a sentence; CSS sets the capitals.
    assert headline[0].isupper() and not headline.isupper(), headline


def test_the_work_areas_are_numbered_01_02_03_in_their_front_matters_order(site):
    headings = site.soup("index.html").select("section h3:has(> .area-number)")
    shown = [(h.select_one(".area-number").get_text(strip=True), own_text(h)) for h in headings]
    expected = [(f"{n:02d}", PAGES[doc]["title"]) for n, doc in enumerate(AREAS, start=1)]
    assert shown == expected, f"the landing page should show {expected}; it shows {shown}"


def test_each_area_shows_its_own_case_studies_in_order_each_card_opening_its_piece(site):
    home = site.soup("index.html")
    assert len(home.select(".sd-card")) == len(PAGES) - len(AREAS), "a card per case study"
    for area in AREAS:
        section = home.select_one(f"section#{area.removeprefix('work/')}")
        assert section is not None, f"no section for {area} on the landing page"
        assert section.select_one(".read-more a")["href"] == f"{area}.html"
        expected = [(normalise(PAGES[doc]["title"]), f"{doc}.html") for doc in articles_in(area)]
        on_area_page = [(title, resolve(f"{area}.html", href)) for title, href in cards(site.soup(f"{area}.html"))]
        assert cards(section) == expected, f"the cards under {area} on the landing page"
        assert on_area_page == expected, f"the cards on {area}.html"
        for title, page in expected:
            heading = own_text(site.soup(page).select_one("article h1"))
            assert heading == title, f"the card {title!r} opens {heading!r}"


def test_each_article_opens_with_its_summary(site):
    for doc in PAGES:
        lead = site.soup(f"{doc}.html").select_one("article h1 ~ p.lead")
        assert lead is not None and normalise(lead.get_text()) == normalise(PAGES[doc]["summary"]), (
            f"{doc}.md should open with its summary, word for word")


def test_previous_and_next_walk_the_pieces_in_order(site):
    order = reading_order()
    for here, after in zip(order, order[1:]):
        following = site.soup(f"{here}.html").select_one(".related-pages a.next-page[href]")
        previous = site.soup(f"{after}.html").select_one(".related-pages a.prev-page[href]")
        assert following and resolve(f"{here}.html", following["href"]) == f"{after}.html", (
            f"{here}: next should lead to {after} (the walk follows the order fields)")
        assert previous and resolve(f"{after}.html", previous["href"]) == f"{here}.html", (
            f"{after}: previous should lead to {here}")


# -- For every reader: reading time, dates, llms.txt --------------------------

MINUTES = re.compile(r"^(\d+) min read$")


def test_every_piece_and_its_card_say_how_long_it_takes_to_read(site):
    shown = {}
    for doc in PAGES:
        minutes = MINUTES.match(byline_parts(site, doc)[-1])
        assert minutes and int(minutes[1]) >= 1, f"{doc}.html: the byline should end with 'N min read'"
        shown[f"{doc}.html"] = minutes[0]
    for page in ["index.html", *(f"{doc}.html" for doc in AREAS)]:
        for card in site.soup(page).select(".sd-card"):
            target = resolve(page, card.select_one("a.sd-stretched-link")["href"])
            footer = normalise(card.select_one(".sd-card-footer").get_text())
            assert footer == shown[target], f"{page}: the card for {target} reads {footer!r}"


def feed_dates(site) -> dict[str, str]:
    """The day each piece was last updated, by its page, as the feed gives it."""
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.parse(site.outdir / "feed.xml").getroot()
    return {
        entry.find(f"{atom}link").get("href")[len(site.base_url):]: entry.find(f"{atom}updated").text[:10]
        for entry in root.iter(f"{atom}entry")
    }


def test_every_piece_says_when_it_last_changed_the_day_the_feed_gives(site):
    # The site is built from a git checkout: every committed piece has a date.
    dates = feed_dates(site)
    for doc in PAGES:
        time = site.soup(f"{doc}.html").select_one("article h1 ~ p.byline time")
        assert time is not None, f"{doc}.html: no 'Updated <date>' under its title"
        assert f"Updated {normalise(time.get_text())}" in byline_parts(site, doc)
        assert time["datetime"] == dates[f"{doc}.html"], f"{doc}.html: the page and the feed disagree"


def llms_links(text: str) -> list[tuple[str, str]]:
    return re.findall(r"\[([^\]]+)\]\(([^)\s]+)\)", text)


def test_llms_txt_names_the_owner_and_lists_every_area_and_piece_with_its_summary(site):
    conf = runpy.run_path(str(REPO / "conf.py"))
    text = (site.outdir / "llms.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == f"# {conf['portfolio_name']}"
    assert f"> {conf['portfolio_role']}. {conf['portfolio_headline']}" in lines
    listed = dict(llms_links(text))
    for doc, fields in PAGES.items():
        url = site.base_url + f"{doc}.html"
        assert listed.get(fields["title"]) == url, f"llms.txt should link {fields['title']!r} at {url}"
        # An area's note opens with its tagline (a section holds only links: test_publishing.py).
        assert any(normalise(line).startswith(f"- [{fields['title']}]({url}): ")
                   and normalise(line).endswith(normalise(fields["summary"])) for line in lines), (
            f"llms.txt should give {fields['title']!r} its summary")
    for area in AREAS:
        assert any(line.startswith("## ") and line.endswith(PAGES[area]["title"]) for line in lines), area


def test_llms_full_txt_holds_every_piece_in_full(site):
    text = normalise((site.outdir / "llms-full.txt").read_text(encoding="utf-8"))
    for doc, fields in PAGES.items():
        assert f"# {normalise(fields['title'])} Address: {site.base_url}{doc}.html" in text, doc
        for heading in site.soup(f"{doc}.html").select("article section > h2"):
            assert own_text(heading) in text, f"llms-full.txt lacks {doc}'s section {own_text(heading)!r}"


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
