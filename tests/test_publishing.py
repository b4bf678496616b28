"""Publishing: the site works under a sub-path, is found, is shared well, and deploys.

The real site is built once for ``http://127.0.0.1:<port>/portfolio/`` and served
there (conftest: ``site``, ``site_host``); these tests read it over HTTP like a
visitor, a crawler or a link preview would. Tiny roots show single behaviours.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import runpy
import shutil
import struct
import subprocess
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from defusedxml import ElementTree

from browser import require_command
from conftest import REPO, copy_root, front_matter, problem_lines
from portfolio.sharing import og_locale

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# Generated pages nobody should land on from a search, and the 404 page.
NOT_CONTENT = {"search.html", "genindex.html", "py-modindex.html", "404.html"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""")
RFC3339_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|\+00:00)")
FEED_SIZE = 20


def moment(text: str) -> dt.datetime:
    """An Atom date (RFC 3339) as a time, so '...Z' and '...+00:00' compare equal."""
    assert RFC3339_UTC.fullmatch(text), f"not an RFC 3339 time in UTC: {text!r}"
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def utc(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)

# Straight to 127.0.0.1, whatever proxy the environment names.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes


def fetch(url: str) -> Response:
    try:
        with _opener.open(url, timeout=20) as response:
            return Response(response.status, response.headers.get_content_type(), response.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers.get_content_type(), error.read())


def soup_of(body: bytes) -> BeautifulSoup:
    return BeautifulSoup(body.decode("utf-8"), "html.parser")


def references(soup: BeautifulSoup) -> list[str]:
    """Every URL a page links to or loads: links, stylesheets, scripts, images, icons."""
    found = []
    for tag, attribute in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
                           ("source", "src"), ("use", "href"), ("form", "action")):
        found += [element[attribute] for element in soup.find_all(tag) if element.get(attribute)]
    for element in soup.find_all(["img", "source"], srcset=True):
        found += [part.split()[0] for part in element["srcset"].split(",") if part.strip()]
    return found


def has_anchor(soup: BeautifulSoup, fragment: str) -> bool:
    return soup.find(id=fragment) is not None or soup.find(attrs={"name": fragment}) is not None


@dataclass
class Crawl:
    """What a crawler starting at the home page found."""

    pages: dict[str, BeautifulSoup] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def crawl(site) -> Crawl:
    origin = urlsplit(site.base_url).netloc
    result = Crawl()
    queue = deque([(site.base_url, "(start)")])
    seen = {site.base_url}
    fragments: list[tuple[str, str, str]] = []
    while queue:
        url, referrer = queue.popleft()
        response = fetch(url)
        if response.status != 200:
            result.broken.append(f"{url} (linked from {referrer}): HTTP {response.status}")
            continue
        if response.content_type == "text/html":
            soup = soup_of(response.body)
            result.pages[url] = soup
            targets = references(soup)
        elif response.content_type == "text/css":
            targets = [t for t in CSS_URL.findall(response.body.decode("utf-8")) if not t.startswith("data:")]
        else:
            continue
        for target in targets:
            absolute, fragment = urldefrag(urljoin(url, target))
            if urlsplit(absolute).scheme not in ("http", "https") or urlsplit(absolute).netloc != origin:
                continue  # another site, or mailto: -- never fetched by the tests
            if fragment:
                fragments.append((url, absolute, fragment))
            if absolute not in seen:
                seen.add(absolute)
                queue.append((absolute, url))
    for referrer, page, fragment in fragments:
        if page in result.pages and not has_anchor(result.pages[page], fragment):
            result.broken.append(f"{page}#{fragment} (linked from {referrer}): no such anchor")
    return result


def expected_page_urls(site) -> set[str]:
    """Every content page in the output, at the URL it is published at."""
    urls = set()
    for page in site.pages():
        if page in NOT_CONTENT:
            continue
        urls.add(site.base_url if page == "index.html" else site.base_url + page)
    return urls


def page_soup(crawl: Crawl, url: str) -> BeautifulSoup:
    assert url in crawl.pages, f"{url} is not reachable by following links from the home page"
    return crawl.pages[url]


def meta(soup: BeautifulSoup, key: str) -> list[str]:
    return [tag.get("content", "") for tag in soup.find_all("meta", attrs={"property": key})] + [
        tag.get("content", "") for tag in soup.find_all("meta", attrs={"name": key})
    ]


def png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", body[16:24])


# -- The site under a sub-path ----------------------------------------------


def test_every_link_asset_and_fragment_resolves(site, crawl):
    assert crawl.broken == []
    assert expected_page_urls(site) <= set(crawl.pages), "some pages are not linked from anywhere"


@pytest.mark.parametrize("missing", ["a/b/c/missing", "missing.html", "articles/gone.html"])
def test_the_404_page_works_from_any_missing_url(site, missing):
    url = site.base_url + missing
    response = fetch(url)
    assert response.status == 404
    soup = soup_of(response.body)
    assert soup.find("h1").get_text(strip=True) == "Page not found"
    assert soup.find("meta", attrs={"name": "robots", "content": "noindex"}) is not None
    assert soup.find("link", rel="canonical") is None, "a missing page has no canonical address"
    origin = urlsplit(site.base_url).netloc
    stylesheets = [urljoin(url, link["href"]) for link in soup.find_all("link", rel="stylesheet")]
    assert any("/_static/styles/furo.css" in sheet for sheet in stylesheets), "the 404 page lost the site's look"
    broken = []
    for target in references(soup):
        absolute = urldefrag(urljoin(url, target))[0]
        if urlsplit(absolute).netloc != origin or absolute == urldefrag(url)[0]:
            continue
        status = fetch(absolute).status
        if status != 200:
            broken.append(f"{target} -> {absolute}: HTTP {status}")
    assert broken == []
    ways_back = [urljoin(url, a["href"]) for a in soup.select(".not-found-links a")]
    assert site.base_url in ways_back, "the 404 page does not link home"
    # The work areas, numbered and titled as the home page has them, each linked to its page.
    home_areas = [" ".join(h3.get_text(" ").replace("¶", "").split())
                  for h3 in site.soup("index.html").select("section#work > section > h3")]
    assert [a.get_text(" ", strip=True) for a in soup.select(".not-found-areas a")] == home_areas


# -- Found: sitemap and robots.txt -------------------------------------------


def sitemap_locations(site) -> list[str]:
    response = fetch(site.base_url + "sitemap.xml")
    assert response.status == 200
    root = ElementTree.fromstring(response.body)
    assert root.tag == f"{SITEMAP}urlset"
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def test_the_sitemap_lists_exactly_the_pages_the_site_has(site, crawl):
    locations = sitemap_locations(site)
    assert len(locations) == len(set(locations)), "a page is listed twice"
    assert set(locations) == expected_page_urls(site)
    for location in locations:
        assert location in crawl.pages, f"{location} is in the sitemap but does not load"


def test_robots_txt_points_at_the_sitemap(site):
    response = fetch(site.base_url + "robots.txt")
    assert response.status == 200
    lines = response.body.decode().splitlines()
    assert f"Sitemap: {site.base_url}sitemap.xml" in lines
    assert "Disallow: /" not in lines


# -- Shared well: per-page head tags -----------------------------------------


def test_every_page_has_canonical_description_and_sharing_tags(site, crawl):
    problems = []
    for url in sorted(expected_page_urls(site)):
        soup = page_soup(crawl, url)
        canonical = [link["href"] for link in soup.find_all("link", rel="canonical")]
        descriptions = meta(soup, "description")
        expected = {
            "canonical": ([url], canonical),
            "one meta description": (1, len(descriptions)),
            "og:url": ([url], meta(soup, "og:url")),
            "og:description": (descriptions[:1], meta(soup, "og:description")),
            "twitter:card": (["summary_large_image"], meta(soup, "twitter:card")),
        }
        for what, (want, got) in expected.items():
            if want != got:
                problems.append(f"{url}: {what}: expected {want!r}, found {got!r}")
        for key in ("og:title", "og:image", "og:image:alt", "og:type", "og:site_name"):
            values = meta(soup, key)
            if len(values) != 1 or not values[0].strip():
                problems.append(f"{url}: {key}: expected one non-empty tag, found {values!r}")
        if not all(d.strip() for d in descriptions):
            problems.append(f"{url}: empty meta description")
        for image in meta(soup, "og:image"):
            if not image.startswith(site.base_url):
                problems.append(f"{url}: og:image {image!r} is not an absolute URL under the base URL")
    assert problems == []


def share_image_of(site, soup: BeautifulSoup) -> Path:
    """The file in the built site that a page's og:image names."""
    url = meta(soup, "og:image")[0]
    assert url.startswith(site.base_url), url
    return site.outdir / url[len(site.base_url):]


def test_every_page_shares_its_own_1200_by_630_picture(site, crawl):
    images = {}
    for url in sorted(expected_page_urls(site)):
        soup = page_soup(crawl, url)
        image = fetch(meta(soup, "og:image")[0])
        assert (image.status, image.content_type) == (200, "image/png"), url
        assert png_size(image.body) == (1200, 630), url
        assert meta(soup, "og:image:width") == ["1200"] and meta(soup, "og:image:height") == ["630"], url
        assert meta(soup, "twitter:image:alt") == meta(soup, "og:image:alt"), url
        images[url] = share_image_of(site, soup)
    # Drawn for that page: no two pages share one, and it is named after its page.
    assert len(set(images.values())) == len(images), "pages share an image"
    for url, path in images.items():
        page = "index" if url == site.base_url else url[len(site.base_url):].removesuffix(".html")
        assert path.relative_to(site.outdir / "_static" / "share").as_posix().startswith(f"{page}."), (url, path)


def test_each_case_study_shares_a_picture_of_its_own_title(site, crawl):
    settings = runpy.run_path(str(REPO / "conf.py"))
    owner = f"{settings['portfolio_name']}, {settings['portfolio_role']}"
    pictures = {}
    for doc, piece in front_matter().items():
        soup = page_soup(crawl, f"{site.base_url}{doc}.html")
        assert meta(soup, "og:image:alt") == [f"{owner}: {piece['title']}"], doc
        pictures[doc] = share_image_of(site, soup).read_bytes()
    assert len(set(pictures.values())) == len(pictures), "pieces share a picture"


def test_titles_and_descriptions_are_unique(site, crawl):
    pages = sorted(expected_page_urls(site))
    titles = {url: page_soup(crawl, url).title.get_text(strip=True) for url in pages}
    descriptions = {url: meta(page_soup(crawl, url), "description")[0] for url in pages}
    for name, values in (("title", titles), ("description", descriptions)):
        shared = {v for v in values.values() if list(values.values()).count(v) > 1}
        assert not shared, f"pages share a {name}: " + "; ".join(
            f"{v!r} on {[u for u in pages if values[u] == v]}" for v in shared
        )


def test_every_page_has_icons_theme_colours_and_the_feed(site, crawl):
    problems = []
    for url, soup in sorted(crawl.pages.items()):
        icon = soup.find("link", rel="icon")
        touch = soup.find("link", rel="apple-touch-icon")
        feed = soup.find("link", rel="alternate", type="application/atom+xml")
        colours = {tag.get("media"): tag.get("content") for tag in soup.find_all("meta", attrs={"name": "theme-color"})}
        if icon is None or fetch(urljoin(url, icon["href"])).content_type != "image/svg+xml":
            problems.append(f"{url}: no SVG favicon")
        if touch is None or png_size(fetch(urljoin(url, touch["href"])).body) != (180, 180):
            problems.append(f"{url}: no 180x180 touch icon")
        if feed is None or feed["href"] != site.base_url + "feed.xml":
            problems.append(f"{url}: the feed is not advertised at its absolute URL")
        if set(colours) != {"(prefers-color-scheme: light)", "(prefers-color-scheme: dark)"}:
            problems.append(f"{url}: theme-color for light and dark: found {colours!r}")
    assert problems == []


def test_every_page_has_exactly_one_viewport_tag(site):
    counts = {
        page: len(site.soup(page).find_all("meta", attrs={"name": "viewport"}))
        for page in site.pages()
    }
    assert {page: count for page, count in counts.items() if count != 1} == {}, (
        "a page should tell phones its width once"
    )


@pytest.mark.parametrize("page", ["search.html", "404.html"])
def test_the_search_and_404_pages_describe_themselves_in_one_line(site, page):
    descriptions = meta(site.soup(page), "description")
    assert len(descriptions) == 1, f"{page}: expected one meta description, found {descriptions!r}"
    assert descriptions[0].strip() and "\n" not in descriptions[0]


def test_no_page_links_to_an_empty_index(site):
    assert not (site.outdir / "genindex.html").exists(), "the site has a general index with nothing in it"
    linking = [page for page in site.pages() if site.soup(page).find(href=re.compile(r"(^|/)genindex"))]
    assert linking == [], f"pages that link to the general index: {linking}"


def structured_data(soup) -> list[dict]:
    return [json.loads(script.string) for script in soup.find_all("script", type="application/ld+json")]


def test_the_home_page_says_who_the_site_is_about(site, crawl):
    home = page_soup(crawl, site.base_url)
    [data] = structured_data(home)
    graph = {node["@type"]: node for node in data["@graph"]}
    person, website = graph["Person"], graph["WebSite"]
    owner = runpy.run_path(str(REPO / "conf.py"))
    assert (person["name"], person["jobTitle"], person["url"]) == (
        owner["portfolio_name"], owner["portfolio_role"], site.base_url
    )
    assert website["url"] == site.base_url
    assert website["author"] == {"@id": person["@id"]}


def test_every_piece_and_area_page_describes_itself_as_an_article_by_the_home_pages_person(site, crawl):
    [home] = structured_data(page_soup(crawl, site.base_url))
    person = next(node for node in home["@graph"] if node["@type"] == "Person")
    items = front_matter()
    assert items, "the site has no pieces"
    for doc, item in items.items():
        url = site.base_url + doc + ".html"
        soup = page_soup(crawl, url)
        [article] = structured_data(soup)
        og = {tag["property"]: tag["content"] for tag in soup.find_all("meta", property=True)}
        updated = soup.select_one(".byline time")
        assert article["@type"] == "Article", url
        assert article["headline"] == item["title"] and meta(soup, "og:title") == [item["title"]], url
        summary = " ".join(item["summary"].split())
        assert article["description"] == summary and meta(soup, "description") == [summary], url
        assert meta(soup, "og:type") == ["article"], url
        assert article["author"] == {"@id": person["@id"]}, url
        assert article["url"] == url == soup.find("link", rel="canonical")["href"]
        assert article["image"] == og["og:image"], url
        assert updated is not None, f"{url}: no Updated date under the title"
        assert article["dateModified"][:10] == updated["datetime"][:10], url
    others = [url for url, soup in crawl.pages.items() if structured_data(soup)
              and not any(url == site.base_url + doc + ".html" for doc in items)
              and soup.find("link", rel="canonical", href=site.base_url) is None]
    assert others == [], "structured data on a page that is not the home page, a piece or an area"


def test_every_page_says_its_locale(site):
    language = runpy.run_path(str(REPO / "conf.py"))["language"]
    for page in site.pages():
        locale = site.soup(page).find("meta", property="og:locale")
        if site.soup(page).find("meta", property="og:title") is None:
            continue  # search and 404: not pages to share
        assert locale is not None and locale["content"] == og_locale(language), page


@pytest.mark.parametrize(("language", "locale"), [("en", "en_US"), ("en-GB", "en_GB"), ("pt_BR", "pt_BR"),
                                                  ("fr", "fr_FR"), ("zh_Hans", "zh_CN")])
def test_the_locale_is_open_graphs_language_and_territory_from_sphinxs_language(language, locale):
    assert og_locale(language) == locale


def parse_llms_txt(text: str) -> dict:
    """llms.txt read by its format's rules (llmstxt.org, as its reference parser reads it): an H1,
    an optional '>' summary, text without headings, then '##' sections of '- [name](url): notes'
    lines only. An AssertionError names what breaks them."""
    head, *sections = re.split(r"^##\s*(.*?)$", text, flags=re.MULTILINE)
    top = re.fullmatch(r"#\s*(?P<title>.+?)\n+(?:>\s*(?P<summary>.+?)\n+)?(?P<info>.*)", head.strip() + "\n", re.S)
    assert top and not re.search(r"^#", top["info"], re.MULTILINE), "llms.txt: no '# ' title first"
    parsed = {}
    for name, body in zip(sections[::2], sections[1::2]):
        links = [line for line in body.strip().splitlines() if line.strip()]
        for line in links:
            assert re.fullmatch(r"-\s*\[[^\]]+\]\([^)]+\)(?::\s*.*)?", line), f"## {name}: {line!r} is not a link"
        parsed[name] = links
    return {**top.groupdict(), "sections": parsed}


def test_llms_txt_follows_the_format_taglines_in_the_links_notes(make_app, rootdir, tmp_path):
    app = make_app("html", srcdir=copy_root(rootdir, "publishing", tmp_path), builddir=tmp_path / "build")
    app.build()
    parsed = parse_llms_txt((app.outdir / "llms.txt").read_text(encoding="utf-8"))
    assert (parsed["title"], parsed["summary"]) == ("Ada", "Engineer. Things that hold.")
    area, *pieces = parsed["sections"]["01 First area"]
    assert area.startswith("- [First area](https://ada.example.com/portfolio/work/first.html): The first promise. ")
    assert [piece.split("]")[0] for piece in pieces] == ["- [A dated piece", "- [An undated piece"]


def test_an_article_is_published_on_its_date_else_its_file_s_first_commit(make_app, publishing_repo, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    app = make_app("html", srcdir=publishing_repo, builddir=publishing_repo.parent / "build")
    app.build()
    published = {page: (data["datePublished"][:10], data["dateModified"][:10]) for page in
                 ["articles/dated.html", "articles/undated.html", "work/first.html"]
                 for [data] in [structured_data(BeautifulSoup((app.outdir / page).read_text("utf-8"), "html.parser"))]}
    assert published == {
        "articles/dated.html": ("2024-03-01", "2024-03-01"),
        "articles/undated.html": (f"{utc(FIRST_COMMIT):%Y-%m-%d}", f"{utc(FIRST_COMMIT):%Y-%m-%d}"),
        "work/first.html": (f"{utc(FIRST_COMMIT):%Y-%m-%d}", f"{utc(SECOND_COMMIT):%Y-%m-%d}"),
    }


# -- The feed ----------------------------------------------------------------


def test_the_feed_is_atom_and_lists_the_newest_pieces(site):
    response = fetch(site.base_url + "feed.xml")
    assert response.status == 200
    feed = ElementTree.fromstring(response.body)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == site.base_url
    assert RFC3339_UTC.fullmatch(feed.findtext(f"{ATOM}updated"))
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == runpy.run_path(str(REPO / "conf.py"))["portfolio_name"]
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"self": site.base_url + "feed.xml", "alternate": site.base_url}

    pieces = {f"{site.base_url}{doc}.html": piece for doc, piece in front_matter().items()}
    entries = feed.findall(f"{ATOM}entry")
    listed = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert len(listed) == min(len(pieces), FEED_SIZE) and set(listed) <= set(pieces)
    updated = [moment(entry.findtext(f"{ATOM}updated")) for entry in entries]
    assert updated == sorted(updated, reverse=True), "the newest piece comes first"
    assert moment(feed.findtext(f"{ATOM}updated")) == updated[0]
    for entry, url in zip(entries, listed):
        piece = pieces[url]
        assert entry.findtext(f"{ATOM}id") == url
        assert entry.findtext(f"{ATOM}title") == piece["title"]
        assert entry.findtext(f"{ATOM}summary") == " ".join(piece["summary"].split())
        assert fetch(url).status == 200


def heading_texts(tag) -> list[str]:
    """The text of each h2 and h3 under *tag*, without the pilcrow anchors."""
    texts = []
    for heading in tag.find_all(["h2", "h3"]):
        words = [text for text in heading.find_all(string=True) if text.parent.get("class") != ["headerlink"]]
        texts.append(" ".join("".join(words).split()))
    return texts


def test_the_feed_carries_each_piece_in_full_with_absolute_links(site):
    feed = ElementTree.fromstring(fetch(site.base_url + "feed.xml").body)
    origin = urlsplit(site.base_url).netloc
    problems = []
    for entry in feed.findall(f"{ATOM}entry"):
        url = entry.find(f"{ATOM}link").get("href")
        content = entry.find(f"{ATOM}content")
        if content is None or content.get("type") != "html" or not (content.text or "").strip():
            problems.append(f"{url}: the entry does not carry the piece")
            continue
        body = BeautifulSoup(content.text, "html.parser")
        page = site.soup(url[len(site.base_url):])
        expected = heading_texts(page.select_one("article[role=main]"))
        if not expected or heading_texts(body) != expected:
            problems.append(f"{url}: headings in the feed {heading_texts(body)!r}, on the page {expected!r}")
        if body.find("script") is not None:
            problems.append(f"{url}: the entry carries a script")
        for tag in body.find_all(True):
            for attribute in ("href", "src", "xlink:href"):
                target = tag.get(attribute)
                if target is None:
                    continue
                parts = urlsplit(target)
                if not parts.scheme:
                    problems.append(f"{url}: {attribute}={target!r} is not absolute")
                elif parts.netloc == origin and not target.startswith(site.base_url):
                    problems.append(f"{url}: {attribute}={target!r} is not under the base URL")
    assert problems == []


@pytest.mark.sphinx("html", testroot="publishing", freshenv=True)
def test_the_feed_makes_relative_and_fragment_links_absolute(app):
    app.build()
    feed = ElementTree.parse(app.outdir / "feed.xml").getroot()
    entries = {e.findtext(f"{ATOM}title"): e for e in feed.findall(f"{ATOM}entry")}
    body = BeautifulSoup(entries["An undated piece"].findtext(f"{ATOM}content"), "html.parser")
    links = {a.get_text(): a["href"] for a in body.find_all("a")}
    piece = "https://ada.example.com/portfolio/articles/undated.html"
    assert links["its own details"] == f"{piece}#details"
    assert links["the dated piece"] == "https://ada.example.com/portfolio/articles/dated.html"
    assert links["First area"] == "https://ada.example.com/portfolio/work/first.html"
    assert heading_texts(body) == ["Details"]
    assert body.find("h1") is None, "the entry's title is its own element"


@pytest.mark.sphinx("html", testroot="publishing", freshenv=True)
def test_feed_dates_come_from_front_matter_or_source_date_epoch(app, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    app.build()
    feed = ElementTree.parse(app.outdir / "feed.xml").getroot()
    entries = {e.findtext(f"{ATOM}title"): e for e in feed.findall(f"{ATOM}entry")}
    dated, undated = entries["A dated piece"], entries["An undated piece"]
    assert moment(dated.findtext(f"{ATOM}published")) == dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
    assert moment(dated.findtext(f"{ATOM}updated")) == dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
    # Outside git and without a date in the front matter: no published date is made
    # up, and updated is the build's time.
    assert undated.find(f"{ATOM}published") is None
    assert moment(undated.findtext(f"{ATOM}updated")) == utc(1700000000)
    # The feed as a whole was last updated when its newest entry was.
    assert moment(feed.findtext(f"{ATOM}updated")) == dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)


@pytest.mark.sphinx("html", testroot="publishing", freshenv=True)
def test_the_feed_is_identical_on_a_second_build(app, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    app.build()
    first = (app.outdir / "feed.xml").read_bytes()
    app.build(force_all=True)
    assert (app.outdir / "feed.xml").read_bytes() == first


def rebuild(make_app, app, srcdir: Path, builddir: Path):
    """A second build of *srcdir* into the same output and doctree cache, as `make html` keeps them."""
    app.cleanup()  # a second app in one process: forget the first one's node classes
    app = make_app("html", srcdir=srcdir, builddir=builddir)
    app.build()
    return app


def test_a_rebuild_puts_an_edited_piece_s_new_text_in_the_feed_and_llms_full_txt_and_keeps_the_others(
    make_app, rootdir, tmp_path,
):
    srcdir = copy_root(rootdir, "publishing", tmp_path)
    builddir = tmp_path / "build"
    app = make_app("html", srcdir=srcdir, builddir=builddir)
    app.build()
    article = srcdir / "articles" / "dated.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    app = rebuild(make_app, app, srcdir, builddir)
    assert app.warning.getvalue() == ""
    feed = ElementTree.parse(app.outdir / "feed.xml").getroot()
    contents = {e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}content") or "" for e in feed.findall(f"{ATOM}entry")}
    assert "One more sentence." in contents["A dated piece"]
    # Pieces the edit did not touch are not rewritten, and keep their text in the feed.
    assert "More of the body." in contents["An undated piece"]
    assert "The area" in contents["First area"]
    # llms-full.txt is written whole from every piece, the ones this build did not read too.
    full = (app.outdir / "llms-full.txt").read_text(encoding="utf-8")
    assert "One more sentence." in full
    assert "More of the body." in full


def test_the_feed_holds_the_newest_pieces_only(make_app, rootdir, tmp_path, monkeypatch):
    # Outside git, the undated pieces take SOURCE_DATE_EPOCH (2025): newer than any dated one.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    srcdir = copy_root(rootdir, "publishing", tmp_path)
    for number in range(FEED_SIZE + 1):
        (srcdir / "articles" / f"dated-{number:02d}.md").write_text(
            f"---\ntitle: Piece {number:02d}\narea: first\norder: {number + 3}\nsummary: Piece {number}.\n"
            f"date: 2020-01-{number + 1:02d}\n---\n\nThe body.\n", encoding="utf-8",
        )
    app = make_app("html", srcdir=srcdir, builddir=tmp_path / "build")
    app.build()
    feed = ElementTree.parse(app.outdir / "feed.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    newest_dated = [f"Piece {number:02d}" for number in range(FEED_SIZE, 3, -1)]
    assert titles == ["An undated piece", "First area", "A dated piece", *newest_dated]


FIRST_COMMIT, SECOND_COMMIT = 1600000000, 1650000000


def commit(repo: Path, when: int, message: str) -> None:
    """Commit everything in *repo* as of the Unix time *when*."""
    git = ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.com"]
    env = {"GIT_COMMITTER_DATE": f"@{when} +0000", "GIT_AUTHOR_DATE": f"@{when} +0000",
           "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(repo)}
    subprocess.run([*git, "add", "--all"], check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", message], check=True, env=env)


@pytest.fixture
def publishing_repo(rootdir, tmp_path) -> Path:
    """The tiny publishing root in a git repository: all of it committed, then only the area edited."""
    srcdir = copy_root(rootdir, "publishing", tmp_path)
    require_command("git", "apt-get install -y git")
    subprocess.run(["git", "init", "-q", str(srcdir)], check=True)
    commit(srcdir, FIRST_COMMIT, "pages")
    area = srcdir / "work" / "first.md"
    area.write_text(area.read_text(encoding="utf-8").replace(
        "The area's own piece.", "The area's own piece, edited."), encoding="utf-8")
    commit(srcdir, SECOND_COMMIT, "edit the area")
    return srcdir


def feed_updated(app) -> dict[str, dt.datetime]:
    feed = ElementTree.parse(app.outdir / "feed.xml").getroot()
    return {e.findtext(f"{ATOM}title"): moment(e.findtext(f"{ATOM}updated")) for e in feed.findall(f"{ATOM}entry")}


def test_an_undated_piece_is_updated_when_its_own_file_last_changed(make_app, publishing_repo, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    app = make_app("html", srcdir=publishing_repo, builddir=publishing_repo.parent / "build")
    app.build()
    assert app.warning.getvalue() == ""
    assert feed_updated(app) == {
        # Untouched by the second commit: still the time of the first.
        "An undated piece": utc(FIRST_COMMIT),
        "First area": utc(SECOND_COMMIT),
        "A dated piece": dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc),
    }
    # A piece git does not know yet takes the build's time: the last commit's.
    (publishing_repo / "articles" / "new.md").write_text(
        "---\ntitle: A new piece\narea: first\norder: 3\nsummary: Not committed yet.\n---\n\nText.\n",
        encoding="utf-8")
    app = rebuild(make_app, app, publishing_repo, publishing_repo.parent / "build")
    assert feed_updated(app)["A new piece"] == utc(SECOND_COMMIT)


def test_a_plain_rebuild_after_replacing_pages_or_a_commit_keeps_nothing_stale(make_app, publishing_repo, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    builddir = publishing_repo.parent / "build"
    app = make_app("html", srcdir=publishing_repo, builddir=builddir)
    app.build()
    assert "detail" in (app.outdir / "searchindex.js").read_text(encoding="utf-8")
    # A new owner's piece replaces the old one, written but not committed yet: no date to show.
    (publishing_repo / "articles" / "undated.md").unlink()
    (publishing_repo / "articles" / "new.md").write_text(
        "---\ntitle: A new piece\narea: first\norder: 3\nsummary: Hers.\n---\n\nText.\n", encoding="utf-8")
    app = rebuild(make_app, app, publishing_repo, builddir)
    assert app.warning.getvalue() == ""
    index = (app.outdir / "searchindex.js").read_text(encoding="utf-8")
    assert "detail" not in index, "searchindex.js still holds the words of a removed page"
    assert "Updated" not in (app.outdir / "articles" / "new.html").read_text(encoding="utf-8")
    commit(publishing_repo, SECOND_COMMIT + 86400, "her piece")
    app = rebuild(make_app, app, publishing_repo, builddir)
    assert '<time datetime="2022-04-16">' in (app.outdir / "articles" / "new.html").read_text(encoding="utf-8"), (
        "a piece committed after it was built shows no Updated date until make clean"
    )


@pytest.mark.parametrize(("preview", "publishing", "shown"), [
    (False, False, False),  # make html, the tests
    (True, False, True),  # make livehtml
    (True, True, False),  # a publishing build leaves drafts out whatever it is told
])
def test_a_draft_shows_in_the_preview_only(make_app, rootdir, tmp_path, monkeypatch, preview, publishing, shown):
    monkeypatch.delenv("READTHEDOCS", raising=False)
    monkeypatch.setenv("PORTFOLIO_PUBLISH", "1" if publishing else "0")
    srcdir = copy_root(rootdir, "publishing", tmp_path)
    (srcdir / "articles" / "quokka.md").write_text(
        "---\ntitle: Quokka notes\narea: first\norder: 3\nsummary: Unfinished quokka.\ndraft: true\n---\n\n"
        "Zebrafish.\n", encoding="utf-8")
    app = make_app("html", srcdir=srcdir, builddir=tmp_path / "build", confoverrides={
        "html_context": {"portfolio_preview": "1"} if preview else {},
        "portfolio_contact": [{"label": "Email", "url": "mailto:ada@ada.dev", "text": "ada@ada.dev"}]})
    app.build()
    assert app.warning.getvalue() == ""
    assert (app.outdir / "articles" / "quokka.html").exists() is shown
    for output in ["index.html", "work/first.html", "sitemap.xml", "feed.xml", "llms.txt", "llms-full.txt",
                   "searchindex.js"]:
        text = (app.outdir / output).read_text(encoding="utf-8").lower()
        assert ("quokka" in text) is shown, f"{output}: the draft is {'missing' if shown else 'there'}"


def test_source_date_epoch_is_an_upper_bound_on_a_pieces_commit_time(make_app, publishing_repo, monkeypatch):
    between = (FIRST_COMMIT + SECOND_COMMIT) // 2
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(between))
    app = make_app("html", srcdir=publishing_repo, builddir=publishing_repo.parent / "build")
    app.build()
    updated = feed_updated(app)
    assert updated["First area"] == utc(between), "a piece is stamped later than SOURCE_DATE_EPOCH"
    assert updated["An undated piece"] == utc(FIRST_COMMIT)


@pytest.mark.parametrize(("epoch", "year"), [("86400", "1970"), (None, "2022")])
def test_the_copyright_year_is_the_build_s_time_never_the_clock(make_app, publishing_repo, monkeypatch, epoch, year):
    # SOURCE_DATE_EPOCH when set, else the time of the last commit (SECOND_COMMIT, in 2022).
    if epoch is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    app = make_app("html", srcdir=publishing_repo, builddir=publishing_repo.parent / "build",
                   confoverrides={"copyright": "%Y, Ada"})
    app.build()
    assert f"Copyright {year}, Ada" in (app.outdir / "index.html").read_text(encoding="utf-8")



# -- Configuration -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("https://user.github.io/portfolio", "does not end with '/'"),
        ("/portfolio/", "is not an absolute http(s) URL"),
        ("ftp://user.example.com/", "is not an absolute http(s) URL"),
        ("https://user.github.io/portfolio/?x=1", "has a query or a fragment"),
    ],
)
def test_a_bad_base_url_is_reported_in_one_clear_line(make_app, rootdir, value, problem, tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-publishing", srcdir)
    app = make_app("html", srcdir=srcdir, confoverrides={"html_baseurl": value})
    app.build()
    lines = problem_lines(app.warning.getvalue())
    assert len(lines) == 1, lines
    assert lines[0].startswith("WARNING: conf.py: setting 'html_baseurl'") and problem in lines[0]


READ_THE_DOCS_URL = "https://ada.readthedocs.io/en/latest/"
PAGES_URL = "https://ada.github.io/portfolio/"


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"READTHEDOCS_CANONICAL_URL": READ_THE_DOCS_URL}, READ_THE_DOCS_URL),
        ({"PORTFOLIO_BASE_URL": PAGES_URL}, PAGES_URL),
        ({"READTHEDOCS_CANONICAL_URL": READ_THE_DOCS_URL, "PORTFOLIO_BASE_URL": PAGES_URL}, READ_THE_DOCS_URL),
    ],
    ids=["read-the-docs", "pages", "both"],
)
def test_the_site_conf_takes_its_base_url_from_the_host(
    make_app, rootdir, tmp_path, monkeypatch, environment, expected
):
    for name in ("READTHEDOCS_CANONICAL_URL", "PORTFOLIO_BASE_URL", "READTHEDOCS", "PORTFOLIO_PUBLISH"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    srcdir = copy_root(rootdir, "publishing", tmp_path)
    # The site's own conf.py, and the files it names, in place of the tiny root's.
    shutil.copy(REPO / "conf.py", srcdir / "conf.py")
    for folder in ("_static", "_templates"):
        shutil.copytree(REPO / folder, srcdir / folder)
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert app.warning.getvalue() == ""
    for page, url in (("index.html", expected), ("articles/dated.html", f"{expected}articles/dated.html")):
        soup = BeautifulSoup((app.outdir / page).read_text(encoding="utf-8"), "html.parser")
        assert [link["href"] for link in soup.find_all("link", rel="canonical")] == [url], page


def test_a_removed_page_leaves_the_site_and_the_sitemap_on_the_next_build(make_app, rootdir, tmp_path):
    srcdir = copy_root(rootdir, "publishing", tmp_path)
    builddir = tmp_path / "build"
    app = make_app("html", srcdir=srcdir, builddir=builddir)
    app.build()
    assert (app.outdir / "articles" / "undated.html").is_file()

    (srcdir / "articles" / "undated.md").unlink()
    # The same output folder and doctree cache, as `make html` keeps them.
    app.cleanup()  # a second app in one process: forget the first one's node classes
    app = make_app("html", srcdir=srcdir, builddir=builddir)
    app.build()
    assert app.warning.getvalue() == ""
    assert not (app.outdir / "articles" / "undated.html").exists(), "the removed piece is still published"
    base = app.config.html_baseurl
    published = {
        base if page == "index.html" else base + page
        for page in (p.relative_to(app.outdir).as_posix() for p in app.outdir.rglob("*.html"))
        if page not in NOT_CONTENT and not page.startswith("_")
    }
    sitemap = ElementTree.parse(app.outdir / "sitemap.xml").getroot()
    assert {loc.text for loc in sitemap.iter(f"{SITEMAP}loc")} == published
    for generated in ("search.html", "404.html"):
        assert (app.outdir / generated).is_file(), f"{generated} was removed with the stale page"


@pytest.mark.sphinx("html", testroot="publishing", freshenv=True)
def test_the_404_page_links_under_the_base_urls_path(app):
    app.build()
    soup = BeautifulSoup((app.outdir / "404.html").read_text(encoding="utf-8"), "html.parser")
    local = [ref for ref in references(soup) if not ref.startswith(("#", "http://", "https://", "mailto:"))]
    assert local, "the 404 page links nowhere"
    assert [ref for ref in local if not ref.startswith("/portfolio/")] == []


# -- Hosts -------------------------------------------------------------------


def load_workflow(name: str) -> dict:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as the boolean true.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


@pytest.mark.parametrize(("configured", "owner", "repo", "address"), [
    ("", "Ada", "portfolio", "https://ada.github.io/portfolio/"),
    ("", "ada", "Ada.github.io", "https://ada.github.io/"),
    ("https://ada.example.com/", "ada", "portfolio", "https://ada.example.com/"),
])
def test_the_pages_workflow_finds_the_address_github_serves(tmp_path, configured, owner, repo, address):
    # The step's own script, run as the workflow runs it.
    build = load_workflow("pages.yml")["jobs"]["build"]
    step = next(step for step in build["steps"] if step.get("id") == "pages")
    output = tmp_path / "output"
    subprocess.run(
        ["bash", "-e", "-c", step["run"]], check=True,
        env={"PATH": os.environ["PATH"], "CONFIGURED": configured, "OWNER": owner, "REPO": repo,
             "GITHUB_OUTPUT": str(output)},
    )
    assert output.read_text(encoding="utf-8") == f"base_url={address}\n"
    assert set(step["env"]) == {"CONFIGURED", "OWNER", "REPO"}


@pytest.mark.parametrize(("built_for", "served_at", "warned"), [
    ("https://ada.github.io/portfolio/", "https://ada.github.io/portfolio/", False),
    ("https://ada.github.io/portfolio/", "https://ada.github.io/portfolio", False),
    ("https://ada.github.io/portfolio/", "https://ada.example.com/", True),
])
def test_the_pages_workflow_warns_when_the_site_is_served_elsewhere(built_for, served_at, warned):
    deploy = load_workflow("pages.yml")["jobs"]["deploy"]
    step = next(step for step in deploy["steps"] if "BUILT_FOR" in step.get("env", {}))
    result = subprocess.run(
        ["bash", "-e", "-c", step["run"]], check=True, capture_output=True, text=True,
        env={"PATH": os.environ["PATH"], "BUILT_FOR": built_for, "SERVED_AT": served_at},
    )
    assert ("::warning" in result.stdout) is warned, result.stdout
    if warned:
        assert "set the repository variable PORTFOLIO_BASE_URL" in result.stdout


