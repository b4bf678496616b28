"""The portfolio extension, one behaviour per test, on the tiny root ``tests/roots/test-portfolio``.

Its pages: areas ``work/first.md`` (01) and ``work/second.md`` (02); case studies
``articles/alpha.md`` and ``articles/beta.md`` (first area) and ``articles/gamma.md``
(second area). A test that edits the root edits a private copy (``copy_root``).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from portfolio.content import reading_minutes, words_read
from portfolio.new_piece import new_piece

from conftest import copy_root, problem_lines, sphinx_build
from source_tree import changes as snapshot_changes
from source_tree import snapshot as source_tree_snapshot

SNAPSHOTS = Path(__file__).parent / "snapshots"


def soup(app, page: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / page).read_text(encoding="utf-8"), "html.parser")


def texts(app, page: str, selector: str) -> list[str]:
    """The text of each match of *selector* in the page's main column (not its sidebars)."""
    main = soup(app, page).select_one("[role=main]")
    return [" ".join(tag.get_text(" ").split()) for tag in main.select(selector)]


def build_copy(make_app, source: Path, builddir: Path):
    app = make_app("html", srcdir=source, builddir=builddir)
    app.build()
    return app


# -- What the directives render from front matter ------------------------------

RENDERED = [
    ("index.html", ".area-number", ["01", "02"]),
    ("index.html", "section#first > h3", ["01 First area ¶"]),
    ("index.html", "section#second > h3", ["02 Second area ¶"]),
    ("index.html", "section#first .area-tagline", ["A promise."]),
    ("index.html", "section#first .sd-card-title", ["Alpha", "Beta"]),
    ("index.html", "section#first .sd-card-body .sd-card-text",
     ["Alpha\u2019s summary, which the cards show.", "Beta\u2019s summary."]),
    ("index.html", "section#first .sd-card-footer", ["1 min read", "1 min read"]),
    ("index.html", "section#second .sd-card-title", ["Gamma"]),
    ("index.html", "section#first .read-more a .read-more-area", ["— First area"]),
    ("index.html", ".hero-role", ["Engineer"]),
    ("index.html", ".hero-headline", ["Things that hold."]),
    ("index.html", ".contact-label", ["Email"]),
    # The hero's contents: the areas by their numbers (from `order`), then Contact, numbered next.
    ("index.html", ".hero-contents a", ["01 First area", "02 Second area", "03 Contact"]),
    # The number above the title (outside its section); "Work area" only for screen readers.
    ("work/first.html", ":scope > .area-kicker + section > h1", ["First area ¶"]),
    ("work/first.html", ".area-kicker .kicker-words", ["Work area"]),
    ("work/first.html", "h1 + .area-tagline", ["A promise."]),
    ("work/first.html", ".lead", ["What the first area is about."]),
    ("work/first.html", ".sd-card-title", ["Alpha", "Beta"]),
    ("work/second.html", ".sd-card-title", ["Gamma"]),
    ("work/first.html", ".byline", ["1 min read"]),
    ("articles/alpha.html", "h1 ~ .byline", ["Part of First area · 1 min read"]),
    ("articles/alpha.html", "h1 ~ .lead", ["Alpha\u2019s summary, which the cards show."]),
    # 'stack:' on the card (landing page and area page) and under the title; none without it.
    ("index.html", "section#second .sd-card .stack", ["WebSocket · tests"]),
    ("work/second.html", ".sd-card .stack", ["WebSocket · tests"]),
    ("articles/gamma.html", "h1 ~ .stack", ["WebSocket · tests"]),
    ("articles/alpha.html", ".stack", []),
]


@pytest.mark.sphinx("html", testroot="portfolio")
def test_cards_and_numbers_render_from_front_matter(app):
    app.build()
    assert problem_lines(app.warning.getvalue()) == []
    for page, selector, expected in RENDERED:
        assert texts(app, page, selector) == expected, f"{page} {selector}"


LINKS = [
    ("index.html", "section#first a.sd-stretched-link", ["articles/alpha.html", "articles/beta.html"]),
    ("index.html", "section#first .read-more a", ["work/first.html"]),
    ("index.html", ".hero-contents a", ["#first", "#second", "#contact"]),
    ("work/first.html", "a.sd-stretched-link", ["../articles/alpha.html", "../articles/beta.html"]),
    ("articles/gamma.html", ".byline a", ["../work/second.html"]),
]


@pytest.mark.sphinx("html", testroot="portfolio")
def test_the_search_page_suggests_words_from_the_pieces_own_titles(app):
    from portfolio.search_page import search_suggestions

    app.build()
    # The root's titles: First area, Second area, Alpha, Beta, Gamma (five letters or more).
    assert search_suggestions(app.env.portfolio) == ["first", "second", "alpha", "gamma"]


@pytest.mark.sphinx("html", testroot="portfolio")
def test_every_card_is_one_link_to_its_article(app):
    app.build()
    for page, selector, expected in LINKS:
        assert [a["href"] for a in soup(app, page).select(selector)] == expected, page
    for card in soup(app, "index.html").select(".sd-card"):
        assert len(card.select("a")) == 1, "a card is one link, the whole card"


def test_code_and_diagrams_do_not_count_toward_reading_time():
    prose = " ".join(["word"] * 230)
    code = "```python\n" + "x = y\n" * 500 + "```\n"
    diagram = ":::{diagram} A caption\n:alt: An alt text\n:kind: sequence\n\n" + "a -> b: go\n" * 500 + ":::\n"
    assert words_read(f"{prose}\n\n{code}\n{diagram}") == 230
    assert reading_minutes("", prose) == 1
    assert reading_minutes("One more word.", prose) == 2


def test_a_concept_link_counts_as_its_own_words():
    assert words_read("Use an {term}`idempotency key` and {doc}`the piece </articles/alpha>`.") == 7


def test_a_date_in_the_front_matter_is_the_piece_s_updated_date(make_app, rootdir, tmp_path):
    source = copy_root(rootdir, "portfolio", tmp_path)
    beta = source / "articles" / "beta.md"
    beta.write_text(beta.read_text(encoding="utf-8").replace("order: 2\n", "order: 2\ndate: 2024-03-01\n"),
                    encoding="utf-8")
    app = build_copy(make_app, source, tmp_path / "build")
    assert problem_lines(app.warning.getvalue()) == []
    byline = soup(app, "articles/beta.html").select_one("h1 ~ .byline")
    assert " ".join(byline.get_text().split()) == "Part of First area · Updated 1 March 2024 · 1 min read"
    assert byline.select_one("time")["datetime"] == "2024-03-01"


# -- Snapshot of what the directives emit --------------------------------------
# To accept a deliberate change of output, refresh the snapshot and read its diff:
#     UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_portfolio_extension.py
# then commit tests/snapshots/ with the change that caused it.


@pytest.mark.sphinx("html", testroot="portfolio")
def test_the_index_doctree_matches_its_snapshot(app):
    app.build()
    doctree = app.env.get_doctree("index").pformat()
    doctree = doctree.replace(str(app.srcdir), "<srcdir>")
    snapshot = SNAPSHOTS / "test-portfolio-index.txt"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        snapshot.write_text(doctree, encoding="utf-8")
    assert snapshot.is_file(), "no snapshot yet: run once with UPDATE_SNAPSHOTS=1"
    assert doctree == snapshot.read_text(encoding="utf-8"), (
        "the index's doctree changed; if that is intended, refresh the snapshot "
        "(UPDATE_SNAPSHOTS=1) and commit it"
    )


# -- Bad input: one line naming the file, the field and the fix ----------------

GRID_CARD_TO_NOWHERE = """
::::{grid}
:::{grid-item-card} Nowhere
:link: /articles/nope
:link-type: doc

A card to a page that does not exist.
:::
::::
"""

# (case, {file: edit(text) -> new text}, what the one line must say)
BAD_INPUT = [
    ("missing front matter",
     {"articles/beta.md": lambda text: text.split("---", 2)[2]},
     ["articles/beta.md", "front matter: missing", "start the file with a '---' line"]),
    ("malformed front matter",
     {"articles/beta.md": lambda text: text.replace("summary: Beta", "summary: Beta: a: b")},
     ["articles/beta.md", "front matter field 'summary' (line 5)", "quote values that contain ': '"]),
    ("date that is not a day",
     {"articles/beta.md": lambda text: text.replace("order: 2\n", "order: 2\ndate: 2024-02-30\n")},
     ["articles/beta.md", "front matter field 'date' (line 5)", "'2024-02-30' is not a valid date",
      "write it as 'date: YYYY-MM-DD'"]),
    ("title that YAML reads as a yes or no",
     {"articles/beta.md": lambda text: text.replace("title: Beta", "title: !!bool maybe")},
     ["articles/beta.md", "front matter field 'title' (line 2)", "'maybe' is not a valid bool"]),
    ("missing field",
     {"articles/beta.md": lambda text: text.replace("title: Beta\n", "")},
     ["articles/beta.md", "field 'title': missing", "add 'title: ...'"]),
    ("misspelt field",
     {"articles/beta.md": lambda text: text.replace("summary:", "sumary:")},
     ["articles/beta.md", "field 'sumary': not a field of this page", "did you mean 'summary'?"]),
    ("field the site does not know",
     {"articles/beta.md": lambda text: text.replace("order: 2\n", "order: 2\ntags: [a, b]\n")},
     ["articles/beta.md", "field 'tags': not a field of this page",
      "its fields are title, area, order, summary, date, stack, draft", "remove it, or correct its name."]),
    ("title written in Markdown",
     {"articles/beta.md": lambda text: text.replace("title: Beta", "title: '*Beta* [b](c)'")},
     ["articles/beta.md", "field 'title': '*Beta* [b](c)' has characters Markdown or MyST may "
      "format", "write it as plain text"]),
    ("title over two lines",
     {"articles/beta.md": lambda text: text.replace("title: Beta", "title: |\n  Beta\n  and more")},
     ["articles/beta.md", "field 'title': 'Beta\\nand more' runs over several lines",
      "write it on one line"]),
    ("title that shows nothing",
     {"articles/beta.md": lambda text: text.replace("title: Beta", 'title: "\\u200b"')},
     ["articles/beta.md", "field 'title': shows nothing (only spaces and invisible characters",
      "write the title after 'title:'"]),
    ("order not a number",
     {"articles/beta.md": lambda text: text.replace("order: 2", "order: second")},
     ["articles/beta.md", "field 'order': 'second' is not a whole number",
      "write a number from 1 up"]),
    ("unknown area",
     {"articles/beta.md": lambda text: text.replace("area: first", "area: third")},
     ["articles/beta.md", "field 'area': unknown area 'third'", "use one of: first, second"]),
    ("area with no pieces yet",
     {"work/third.md": lambda _: "---\ntitle: Third\norder: 3\ntagline: T.\nsummary: S.\n---\n\n:::{case-studies}\n:::\n"},
     ["work/third.md", "no case studies in this area yet", "'area: third'", "or remove work/third.md"]),
    ("area emptied by a mistyped area",
     {"articles/gamma.md": lambda text: text.replace("area: second", "area: secnod")},
     ["articles/gamma.md", "field 'area': unknown area 'secnod'", "use one of: first, second"]),
    ("area whose only piece is a draft",
     {"articles/gamma.md": lambda text: text.replace("order: 1\n", "order: 1\ndraft: true\n")},
     ["work/second.md", "its only case studies are drafts (articles/gamma)", "remove the 'draft: true' line"]),
    ("draft that is neither true nor false",
     {"articles/beta.md": lambda text: text.replace("order: 2\n", "order: 2\ndraft: soon\n")},
     ["articles/beta.md", "field 'draft': 'soon' is not true or false", "write 'draft: true'"]),
    ("diagram written as a mermaid fence",
     {"articles/beta.md": lambda text: text + "\n```mermaid\ngraph LR\n  a --> b\n```\n"},
     ["articles/beta.md:14:", "a ```mermaid block", "':::{diagram}' block", "README, Writing a piece"]),
    ("same order twice in one area",
     {"articles/beta.md": lambda text: text.replace("order: 2", "order: 1")},
     ["articles/beta.md", "field 'order': 1 is also the order of articles/alpha.md",
      "give one of the two pages another number"]),
    ("same order twice, the edited page first by name",
     {"articles/alpha.md": lambda text: text.replace("order: 1", "order: 2")},
     ["field 'order': 2 is also the order of", "articles/alpha.md", "articles/beta.md",
      "give one of the two pages another number"]),
    ("a second title in the body",
     {"articles/beta.md": lambda text: text + "\n# Beta\n\nMore of the body.\n"},
     ["articles/beta.md:", "a '# ' heading 'Beta' makes a second page title",
      "remove the line, or make it a '## ' section"]),
    ("empty summary",
     {"articles/beta.md": lambda text: text.replace("summary: Beta's summary.", "summary: ''")},
     ["articles/beta.md", "field 'summary': empty", "write the summary after 'summary:'"]),
    ("summary with nothing after it",
     {"articles/beta.md": lambda text: text.replace("summary: Beta's summary.", "summary:")},
     ["articles/beta.md", "field 'summary': empty", "write the summary after 'summary:'"]),
    ("link to a page that does not exist",
     {"articles/beta.md": lambda text: text + "\nSee {doc}`/articles/nope`.\n"},
     ["articles/beta.md:", "link to '/articles/nope': no such page",
      "create articles/nope.md or correct the link's target"]),
    ("relative link to a page that does not exist",
     {"articles/beta.md": lambda text: text + "\nSee {doc}`nope`.\n"},
     ["articles/beta.md:", "link to 'nope': no such page", "create articles/nope.md"]),
    # Markdown links are resolved by MyST, which names the file, the line and the target.
    ("markdown link to a page that does not exist",
     {"articles/beta.md": lambda text: text + "\nSee [the first piece](alhpa.md).\n"},
     ["articles/beta.md:14:", "cross-reference target not found: 'alhpa.md'"]),
    ("markdown link to a section that does not exist",
     {"articles/gamma.md": lambda text: text + "\nSee [Beta's section](beta.md#a-sectoin).\n"},
     ["articles/gamma.md:11:", "local id not found in doc 'articles/beta': 'a-sectoin'"]),
    ("card to a page that does not exist",
     {"articles/beta.md": lambda text: text + GRID_CARD_TO_NOWHERE},
     ["articles/beta.md:", "link to '/articles/nope': no such page",
      "create articles/nope.md or correct the link's target"]),
    ("area page that does not list its case studies",
     {"work/second.md": lambda text: text.replace(":::{case-studies}\n:::\n", "")},
     ["articles/gamma.md", "field 'area': work/second.md does not list its case studies",
      "end work/second.md with a ':::{case-studies}' line"]),
    ("article in a folder no page lists",
     {"articles/drafts/delta.md": lambda _: "---\ntitle: Delta\n---\n\nA draft.\n"},
     ["articles/drafts/delta.md", "not listed on any page",
      "a case study goes directly in articles/"]),
    ("index that does not list the work areas",
     {"index.md": lambda text: text.replace(":::{work-areas}\n:::\n", "")},
     ["work/first.md, work/second.md", "not listed on any page",
      "add one (and a ':::' line) to index.md"]),
]


def apply_edits(source: Path, edits: dict) -> None:
    for name, edit in edits.items():
        path = source / name
        path.parent.mkdir(parents=True, exist_ok=True)
        before = path.read_text(encoding="utf-8") if path.exists() else ""
        after = edit(before)
        assert after != before, f"the case's edit of {name} changed nothing"
        path.write_text(after, encoding="utf-8")


@pytest.mark.parametrize(("edits", "says"), [case[1:] for case in BAD_INPUT],
                         ids=[case[0] for case in BAD_INPUT])
def test_bad_input_fails_the_build_with_one_line_naming_file_field_and_fix(
    make_app, rootdir, tmp_path, edits, says,
):
    source = copy_root(rootdir, "portfolio", tmp_path)
    apply_edits(source, edits)
    app = build_copy(make_app, source, tmp_path / "build")
    lines = problem_lines(app.warning.getvalue())
    assert len(lines) == 1, "expected one line about the problem, got:\n" + "\n".join(lines)
    for words in says:
        assert words in lines[0], f"the line should say {words!r}: {lines[0]}"


@pytest.mark.parametrize(("area", "name", "says"), [
    ("third", "delta", "AREA='third' is not an area; use one of: first, second"),
    ("first", "beta", "articles/beta.md exists already; choose another SLUG (nothing was written)"),
    ("first", "Delta Piece", "SLUG='Delta Piece': write the piece's name in lower-case letters"),
])
def test_make_new_piece_refuses_an_unknown_area_an_existing_file_or_a_bad_name(rootdir, tmp_path, area, name, says):
    source = copy_root(rootdir, "portfolio", tmp_path)
    before = source_tree_snapshot(source)
    with pytest.raises(ValueError, match=re.escape(says)):
        new_piece(source, area, name)
    assert snapshot_changes(before, source_tree_snapshot(source)) == []


def test_make_new_piece_writes_a_draft_that_builds_and_shows_only_in_the_preview(make_app, rootdir, tmp_path):
    source = copy_root(rootdir, "portfolio", tmp_path)
    path = new_piece(source, "first", "payment-gateway")
    assert path == source / "articles" / "payment-gateway.md"
    assert "title: Payment gateway\narea: first\norder: 3\n" in path.read_text(encoding="utf-8")
    app = build_copy(make_app, source, tmp_path / "build")
    assert app.warning.getvalue() == ""
    assert not (app.outdir / "articles" / "payment-gateway.html").exists()
    app.cleanup()
    preview = make_app("html", srcdir=source, builddir=tmp_path / "preview",
                       confoverrides={"html_context": {"portfolio_preview": "1"}})
    preview.build()
    assert preview.warning.getvalue() == ""
    assert texts(preview, "work/first.html", ".sd-card-title") == ["Alpha", "Beta", "Payment gateway"]


# Links MyST resolves by a bare name: the checks above must let every one through.
LINKS_MYST_RESOLVES = """
(my-label)=
## A labelled section

{#custom-id}
A paragraph with an id of its own.

:::{glossary}
idempotency
  Doing it twice has the effect of doing it once.
:::

See [a](My-Label), [b](#Custom-Id), [c](idempotency), [d](beta), [e](#a-labelled-section),
[f](/articles/beta), [g](beta.md#a-section) and [h](../work/first.md).
"""


def test_links_myst_resolves_by_name_pass_the_link_checks(make_app, rootdir, tmp_path):
    source = copy_root(rootdir, "portfolio", tmp_path)
    page = source / "articles" / "alpha.md"
    page.write_text(page.read_text(encoding="utf-8") + LINKS_MYST_RESOLVES, encoding="utf-8")
    beta = source / "articles" / "beta.md"
    beta.write_text(beta.read_text(encoding="utf-8") + "\n## A section\n\nMore.\n", encoding="utf-8")
    app = build_copy(make_app, source, tmp_path / "build")
    assert problem_lines(app.warning.getvalue()) == [], app.warning.getvalue()
    links = soup(app, "articles/alpha.html").select("[role=main] a.reference.internal")
    assert {a.get_text() for a in links} >= set("abcdefgh"), [a.get_text() for a in links]


# Text that is plain but odd: it builds without a warning, and the page's heading,
# its card and its lead read exactly as written.
ODD_BUT_PLAIN = [
    ("C++ & Rust: 2 < 3", "A summary with *stars*, [brackets](here) & <angles>."),
    ("Backslash \\ and snake_case_name", "Ünïcode — “quotes” and a {brace}."),
    ("# Not a heading", "Ends with a backslash \\"),
]


@pytest.mark.parametrize(("title", "summary"), ODD_BUT_PLAIN)
def test_odd_but_plain_text_builds_and_reads_the_same_everywhere(make_app, rootdir, tmp_path, title, summary):
    source = copy_root(rootdir, "portfolio", tmp_path)
    page = source / "articles" / "alpha.md"
    page.write_text(
        page.read_text(encoding="utf-8")
        .replace("title: Alpha", f"title: {json.dumps(title)}")
        .replace("summary: Alpha's summary, which the cards show.", f"summary: {json.dumps(summary)}"),
        encoding="utf-8",
    )
    app = build_copy(make_app, source, tmp_path / "build")
    assert problem_lines(app.warning.getvalue()) == [], app.warning.getvalue()
    heading = soup(app, "articles/alpha.html").select_one("[role=main] h1")
    assert heading.get_text().removesuffix("¶").strip() == title
    lead = soup(app, "articles/alpha.html").select_one("[role=main] p.lead")
    assert lead.get_text(strip=True) == summary
    card = next(c for c in soup(app, "index.html").select(".sd-card") if "alpha" in c.a["href"])
    assert card.select_one(".sd-card-title").get_text(strip=True) == title
    assert card.select_one(".sd-card-text").get_text(strip=True) == summary


CLI_CASES = ["malformed front matter", "date that is not a day",
             "title that YAML reads as a yes or no", "card to a page that does not exist",
             "area page that does not list its case studies"]


@pytest.mark.parametrize("case", CLI_CASES)
def test_the_command_line_exits_non_zero_with_one_line_and_no_traceback(rootdir, tmp_path, case):
    _, edits, says = next(c for c in BAD_INPUT if c[0] == case)
    source = copy_root(rootdir, "portfolio", tmp_path)
    apply_edits(source, edits)
    before = source_tree_snapshot(source)
    result = sphinx_build(source, tmp_path / "out")
    lines = problem_lines(result.stderr)
    assert result.returncode != 0, "sphinx-build should exit with an error status"
    assert len(lines) == 1, result.stderr
    for words in says:
        assert words in lines[0], f"the line should say {words!r}: {lines[0]}"
    assert "Traceback" not in result.stderr and "sphinx-err-" not in result.stderr, result.stderr
    assert snapshot_changes(before, source_tree_snapshot(source)) == [], (
        "the failed build wrote into the source folder"
    )


# -- Incremental builds: a plain rebuild, no clean -----------------------------


def rebuild(make_app, first_app, source: Path, builddir: Path):
    """Build again into the same folders, as a plain ``make html`` would.

    Returns the app and the pages it read again.
    """
    first_app.cleanup()  # a second app in one process: forget the first one's node classes
    app = make_app("html", srcdir=source, builddir=builddir)
    read: set[str] = set()
    app.connect("env-before-read-docs", lambda app, env, docnames: read.update(docnames))
    app.build()
    return app, read


def test_a_new_summary_shows_on_every_card_after_a_plain_rebuild(make_app, rootdir, tmp_path):
    source = copy_root(rootdir, "portfolio", tmp_path)
    builddir = tmp_path / "build"
    first = build_copy(make_app, source, builddir)
    alpha = source / "articles" / "alpha.md"
    new = "A new summary, edited once."
    alpha.write_text(alpha.read_text(encoding="utf-8").replace(
        "summary: Alpha's summary, which the cards show.", f"summary: {new}"), encoding="utf-8")

    app, read = rebuild(make_app, first, source, builddir)

    assert problem_lines(app.warning.getvalue()) == []
    for page in ("index.html", "work/first.html"):
        assert new in texts(app, page, ".sd-card-text"), f"{page} still shows the old summary"
    description = soup(app, "articles/alpha.html").select_one('meta[name="description"]')
    assert description["content"] == new


def test_a_piece_that_grows_past_a_minute_shows_it_on_every_card_after_a_plain_rebuild(
    make_app, rootdir, tmp_path,
):
    source = copy_root(rootdir, "portfolio", tmp_path)
    builddir = tmp_path / "build"
    first = build_copy(make_app, source, builddir)
    alpha = source / "articles" / "alpha.md"
    longer = " ".join(["More of the body."] * 80)  # 320 words: two minutes with the rest
    alpha.write_text(alpha.read_text(encoding="utf-8").replace(
        "The body of Alpha.", f"The body of Alpha. {longer}"), encoding="utf-8")

    app, read = rebuild(make_app, first, source, builddir)

    assert problem_lines(app.warning.getvalue()) == []
    for page in ("index.html", "work/first.html"):
        assert texts(app, page, ".sd-card-footer")[0] == "2 min read", f"{page} still shows the old time"
    assert texts(app, "articles/alpha.html", "h1 ~ .byline") == ["Part of First area · 2 min read"]
    assert "work/second" not in read, "a page without alpha's card was read again"


def test_editing_an_article_body_reads_that_article_only(make_app, rootdir, tmp_path):
    source = copy_root(rootdir, "portfolio", tmp_path)
    builddir = tmp_path / "build"
    first = build_copy(make_app, source, builddir)
    alpha = source / "articles" / "alpha.md"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace(
        "The body of Alpha.", "The body of Alpha, edited."), encoding="utf-8")

    app, read = rebuild(make_app, first, source, builddir)

    assert read == {"articles/alpha"}, "editing a body should re-read that article only"
    assert "The body of Alpha, edited." in texts(app, "articles/alpha.html", "p")


def test_a_problem_fails_the_rebuild_too_until_it_is_fixed(make_app, rootdir, tmp_path):
    source = copy_root(rootdir, "portfolio", tmp_path)
    builddir = tmp_path / "build"
    apply_edits(source, {"work/second.md": lambda t: t.replace(":::{case-studies}\n:::\n", "")})
    first = build_copy(make_app, source, builddir)
    assert len(problem_lines(first.warning.getvalue())) == 1
    app, _ = rebuild(make_app, first, source, builddir)
    assert len(problem_lines(app.warning.getvalue())) == 1, (
        "a rebuild with nothing changed passed over the problem"
    )


# -- The concepts' glossary ------------------------------------------------------


def test_a_concept_links_its_definition_and_its_pieces_and_a_new_mention_shows_after_a_plain_rebuild(
    make_app, rootdir, tmp_path,
):
    source = copy_root(rootdir, "concepts", tmp_path)
    builddir = tmp_path / "build"
    first = build_copy(make_app, source, builddir)
    assert problem_lines(first.warning.getvalue()) == []
    links = soup(first, "concepts.html").select(".discussed-in a")
    assert [(a.get_text(), a["href"]) for a in links] == [("First", "first.html#retries")]
    assert soup(first, "first.html").find(id="retries"), "the concept's place in the piece is gone"
    term = soup(first, "first.html").select_one("[role=main] a[href^='concepts.html#']")
    definition = soup(first, "concepts.html").find(id=term["href"].partition("#")[2])
    assert definition is not None and definition.name == "dt", "a concept's link lands on its definition"

    second = source / "second.md"
    second.write_text(second.read_text(encoding="utf-8").replace(
        "has gaps.", "has gaps; a repeat carries the same {term}`idempotency key`."), encoding="utf-8")
    app, read = rebuild(make_app, first, source, builddir)

    assert read == {"second"}, "only the edited page is read again"
    assert texts(app, "concepts.html", ".discussed-in") == ["Discussed in: First and Second ."]

