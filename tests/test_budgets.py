"""Performance budgets that do not depend on the machine's speed.

What a visitor downloads (requests and gzip-6 bytes, measured the way
``make bench`` measures them), what each page is spared, and how many pages an
edit rewrites. Timings are for ``make bench``, not for tests.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from page_weight import measure  # noqa: E402

HOME = "index.html"
SEARCH = "search.html"



def _loads(site, page: str) -> list[str]:
    return [resource.path for resource in measure(site.outdir, page).resources]


def pieces(site) -> list[str]:
    """Every piece's page: the case studies and the area essays."""
    return [page for page in site.pages() if page.startswith(("articles/", "work/"))]


def heaviest_piece(site) -> str:
    """The piece a visitor pays most for (the longest, with code and diagrams, as a rule)."""
    return max(pieces(site), key=lambda page: (measure(site.outdir, page).gzip, page))


# (requests, gzip-6 bytes) at most, for the home page and for any piece: what the
# same pages of the stock twin weigh (`make bench`: its home page, its heaviest piece).
HOME_BUDGET = (10, int(35.8 * 1024))
ARTICLE_BUDGET = (10, int(39.2 * 1024))
FURO_STYLESHEET = "_static/styles/furo.css"


@pytest.mark.parametrize(("page", "budget"), [(HOME, HOME_BUDGET), ("the heaviest piece", ARTICLE_BUDGET)])
def test_page_stays_within_its_weight_budget(site, page, budget):
    if page == "the heaviest piece":
        page = heaviest_piece(site)
    max_requests, max_gzip = budget
    weight = measure(site.outdir, page)
    listing = ", ".join(f"{r.path} {r.gzip} B" for r in weight.resources)
    assert weight.requests <= max_requests, f"{page} makes {weight.requests} requests: {listing}"
    assert weight.gzip <= max_gzip, f"{page} weighs {weight.gzip} B compressed: {listing}"


def test_every_piece_stays_within_the_article_budget(site):
    # The heaviest piece is held above with its listing; this holds every other piece,
    # case study and area essay alike, so a heavier new one cannot slip through.
    from conftest import front_matter

    assert len(pieces(site)) == len(front_matter()), pieces(site)
    max_requests, max_gzip = ARTICLE_BUDGET
    over = []
    for page in pieces(site):
        weight = measure(site.outdir, page)
        if weight.requests > max_requests or weight.gzip > max_gzip:
            over.append(f"{page}: {weight.requests} requests, {weight.gzip} B compressed")
    assert not over, (
        f"over the article budget ({max_requests} requests, {max_gzip // 1024} KB):\n" + "\n".join(over)
    )


def test_pages_without_code_ship_no_highlighting_styles(site):
    for page in site.pages():
        has_code = site.soup(page).select_one("div.highlight") is not None
        stylesheets = [path for path in _loads(site, page) if path.endswith(".css")]
        highlighting = any(Path(path).name == "pygments.css" for path in stylesheets)
        assert highlighting == has_code, (
            f"{page}: {'has' if has_code else 'has no'} code but loads {stylesheets}"
        )


def test_every_page_ships_the_search_term_highlighting_and_cards_ship_sphinx_designs_stylesheet(site):
    """Sphinx's scripts on every page, as a stock site ships them (the page a search result
    opens highlights the words searched for); sphinx-design's stylesheet whole wherever its
    components are, and no copy of its rules in the site's own."""
    import sphinx_design

    shipped = Path(sphinx_design.__file__).parent / "static" / "sphinx-design.min.css"
    assert (site.outdir / "_static" / "sphinx-design.min.css").read_bytes() == shipped.read_bytes()
    for page in site.pages():
        loads = [Path(path).name for path in _loads(site, page)]
        assert {"documentation_options.js", "doctools.js", "sphinx_highlight.js"} <= set(loads), (page, loads)
        assert ("searchtools.js" in loads) == (page == SEARCH), (page, loads)
        if site.soup(page).select(".sd-card"):
            assert "sphinx-design.min.css" in loads, f"{page} shows cards without sphinx-design's stylesheet"
    own = (REPO / "_static" / "portfolio.css").read_text(encoding="utf-8")
    assert not re.search(r"^\.sd-[\w-]+\s*[,{]", own, re.MULTILINE), (
        "portfolio.css copies sphinx-design's layout rules")


def _assets_of(outdir: Path, page: str) -> tuple[list[str], list[str]]:
    """The stylesheets and scripts *page* links, as file names under ``_static``."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((outdir / page).read_text(encoding="utf-8"), "html.parser")
    strip = lambda url: url.split("?", 1)[0]  # noqa: E731
    return ([strip(link["href"]) for link in soup.select('link[rel="stylesheet"]')],
            [strip(script["src"]) for script in soup.select("script[src]")])


# With the site's templates, which leave out what portfolio_unused_assets names.
@pytest.mark.sphinx("html", testroot="tabs", freshenv=True,
                    confoverrides={"templates_path": [str(REPO / "_templates")]})
def test_tab_scripts_and_styles_ship_only_with_tabs(app):
    app.build()
    assert not app.warning.getvalue(), app.warning.getvalue()
    outdir = Path(app.outdir)
    tab_css, tab_js = "_static/sphinx-design.min.css", "_static/design-tabs.js"

    stylesheets, scripts = _assets_of(outdir, "tabbed.html")
    assert tab_js in scripts, f"the page with tabs does not load sphinx-design's tab script: {scripts}"
    assert tab_css in stylesheets, f"the page with tabs does not load the tabs' styles: {stylesheets}"
    # The styles that page loads are the ones that lay the tabs out (the labels in a row,
    # only the checked tab's content shown).
    shipped = "".join((outdir / path).read_text(encoding="utf-8") for path in stylesheets)
    assert ".sd-tab-set>input:checked+label" in shipped.replace(" ", ""), "no rule shows the chosen tab"
    assert (outdir / tab_js).is_file()

    stylesheets, scripts = _assets_of(outdir, "plain.html")
    assert tab_js not in scripts, f"a page without tabs loads the tab script: {scripts}"
    assert tab_css not in stylesheets, f"a page without tabs loads sphinx-design's styles: {stylesheets}"
    assert not [path for path in stylesheets if "furo-extensions" in path], stylesheets


def test_every_page_links_furos_stylesheet_as_furo_ships_it(site):
    """Furo's stylesheet whole and unmodified, where Furo puts it: Read the Docs'
    addons recognise a Furo site by this path."""
    import furo

    shipped = Path(furo.__file__).parent / "theme" / "furo" / "static" / "styles" / "furo.css"
    assert (site.outdir / FURO_STYLESHEET).read_bytes() == shipped.read_bytes(), (
        "the site's furo.css differs from the one Furo ships"
    )
    for page in site.pages():  # the 404 page too
        stylesheets = [path for path in _loads(site, page) if path.endswith(".css")]
        assert FURO_STYLESHEET in stylesheets, f"{page} does not link Furo's stylesheet: {stylesheets}"
        # The site's own rules come after Furo's, so they win where both set a property.
        assert stylesheets.index(FURO_STYLESHEET) < stylesheets.index("_static/portfolio.css"), stylesheets


def test_the_theme_toggle_and_mobile_menu_keep_their_script(site):
    for page in (HOME, heaviest_piece(site)):
        assert any(path.endswith("scripts/furo.js") for path in _loads(site, page)), page
        soup = site.soup(page)
        assert soup.select_one("button.theme-toggle"), f"{page}: no theme toggle"
        assert soup.select_one("input#__navigation"), f"{page}: no mobile menu"


def test_no_web_fonts_and_every_image_has_its_size(site):
    for page in site.pages():
        assert not [p for p in _loads(site, page) if p.endswith((".woff", ".woff2", ".ttf", ".otf"))]
        for image in site.soup(page).select("img"):
            assert image.get("width") and image.get("height"), f"{page}: {image} has no intrinsic size"
        for svg in site.soup(page).select("article svg"):
            sized = svg.get("viewBox") or svg.get("viewbox") or (svg.get("width") and svg.get("height"))
            assert sized, f"{page}: an inline SVG has neither a viewBox nor a size"


# -- Incremental builds: which pages an edit rewrites --------------------------


def _written_pages(app, before: dict[str, int]) -> set[str]:
    """The pages of documents whose HTML was written since *before*.

    Pages generated on every build (index, search, 404) are not documents.
    """
    documents = {f"{docname}.html" for docname in app.env.found_docs}
    return {
        page for page, mtime in _mtimes(Path(app.outdir)).items()
        if page in documents and before.get(page) != mtime
    }


def _mtimes(outdir: Path) -> dict[str, int]:
    return {
        str(path.relative_to(outdir)): path.stat().st_mtime_ns
        for path in outdir.rglob("*.html")
    }


def test_a_rebuild_of_the_site_without_changes_reads_and_writes_no_page(site):
    """A second ``make html`` with nothing changed keeps the saved environment and every page.

    Sphinx may still print "The configuration has changed" for html_css_files,
    html_static_path and pygments_dark_style: Sphinx, sphinx-design and Furo fill
    those in when the builder starts, after the saved configuration is compared.
    None of them is read into the doctrees, so no page is read again.
    """
    from sphinx.testing.util import SphinxTestApp

    before = _mtimes(Path(site.outdir))
    again = SphinxTestApp(
        "html", srcdir=REPO, builddir=site.outdir.parent,
        confoverrides={"html_baseurl": site.base_url},
    )
    try:
        again.build()
    finally:
        again.cleanup()
    status = again.status.getvalue()
    assert "0 added, 0 changed, 0 removed" in status, status
    rewritten = sorted(_written_pages(again, before))
    assert not rewritten, f"a rebuild with nothing changed rewrote {rewritten}"
