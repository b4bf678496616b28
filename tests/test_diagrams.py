"""The diagram directive: pictures drawn at build time, accessible, themed, cached.

Builds ``tests/roots/test-diagrams`` (one article with a sequence diagram and a
graph, one without) and checks what a reader and the owner were promised.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import copy_root, problem_lines, sphinx_build
from portfolio import sequence

PICTURES = "articles/pictures.html"
BROKEN_PAGE = "articles/broken.md"
# The text alternatives written in tests/roots/test-diagrams/articles/pictures.md.
ALT_TEXTS = [
    "The client sends a charge with a key; the API debits the ledger once and answers 201. "
    "The client retries with the same key and gets the stored result, with no second debit.",
    "An order is pending until the payment webhook marks it paid; only a paid order is fulfilled.",
]


def soup_of(app, page: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / page).read_text(encoding="utf-8"), "html.parser")


def write_broken_page(app, body: str) -> None:
    """Add an article whose body is *body* to the app's own copy of the root."""
    front_matter = "---\ntitle: Broken\narea: first\norder: 3\nsummary: A broken piece.\n---\n\n"
    (Path(app.srcdir) / BROKEN_PAGE).write_text(front_matter + body, encoding="utf-8")


def count_calls(monkeypatch, owner, name: str) -> list[object]:
    """Record each call of ``owner.name`` while still making it."""
    calls: list[object] = []
    original = getattr(owner, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


# -- The built page -----------------------------------------------------------


@pytest.mark.sphinx("html", testroot="diagrams", freshenv=True)
def test_a_site_with_diagrams_builds_without_warnings(app):
    app.build()
    assert app.warning.getvalue() == ""


@pytest.mark.sphinx("html", testroot="diagrams")
def test_each_diagram_is_inline_svg_titled_with_its_text_alternative(app):
    app.build()
    figures = soup_of(app, PICTURES).select("figure.diagram")
    assert len(figures) == 2
    for figure, alt in zip(figures, ALT_TEXTS):
        svg = figure.find("svg", recursive=False)
        assert svg is not None and svg["role"] == "img"
        title = svg.find("title", recursive=False)
        assert title is not None and title.get_text() == alt
        assert svg["aria-labelledby"] == title["id"]
        # Scales with the column: a viewBox, the drawn width as an upper bound
        # (CSS max-width: 100%), no fixed height and no inline style (CSP).
        view_width = float(svg["viewbox"].split()[2])
        assert float(svg["width"]) == pytest.approx(view_width * 15 / 14, abs=0.1)
        assert not svg.get("height") and not svg.get("style")


@pytest.mark.sphinx("html", testroot="diagrams")
def test_a_caption_is_shown_only_when_written(app):
    app.build()
    sequence_figure, graph_figure = soup_of(app, PICTURES).select("figure.diagram")
    assert sequence_figure.figcaption.get_text() == "The retry returns the stored result"
    assert graph_figure.figcaption is None


@pytest.mark.sphinx("html", testroot="diagrams")
def test_diagrams_run_no_script_and_link_nowhere(app):
    app.build()
    for svg in soup_of(app, PICTURES).select("figure.diagram svg"):
        assert svg.find("script") is None
        assert svg.find("a") is None
        for element in [svg, *svg.find_all(True)]:
            linking = [name for name in element.attrs if name.endswith("href") or name.startswith("on")]
            assert not linking, f"<{element.name}> has {linking}"


@pytest.mark.sphinx("html", testroot="diagrams")
def test_ids_are_unique_on_the_page(app):
    app.build()
    ids = [element["id"] for element in soup_of(app, PICTURES).find_all(id=True)]
    assert len(ids) == len(set(ids))


@pytest.mark.sphinx("html", testroot="diagrams")
def test_graphs_carry_no_fixed_colour_font_or_background(app):
    app.build()
    html = str(soup_of(app, PICTURES).select("figure.diagram svg.graph")[0])
    for leftover in ("<?xml", "DOCTYPE", "<!--", "Times", "font-family", '"white"', '"black"', "pt\""):
        assert leftover not in html, f"Graphviz's {leftover!r} is still in the SVG"
    assert 'stroke="currentColor"' in html


@pytest.mark.sphinx("html", testroot="diagrams")
def test_coordinates_are_rounded_to_one_decimal(app):
    app.build()
    for svg in soup_of(app, PICTURES).select("figure.diagram svg"):
        svg.style.decompose()
        assert not re.search(r"\d\.\d\d", str(svg)), "a coordinate has more than one decimal"


@pytest.mark.sphinx("html", testroot="diagrams")
def test_each_picture_carries_the_diagram_styles_and_other_pages_none(app):
    app.build()
    for svg in soup_of(app, PICTURES).select("figure.diagram svg"):
        assert "figure.diagram" in svg.style.string, "a picture lost its styles"
    assert not any("diagrams.css" in link["href"] for link in soup_of(app, PICTURES).select("link"))
    for page in ("articles/plain.html", "index.html"):
        assert not soup_of(app, page).select("svg style"), page


# -- Sequence diagrams --------------------------------------------------------


# Every kind of label: messages, notes and participants; graph nodes and edges.
LABELS = "g.message, g.note, g.actor, g.node, g.edge"


def labels_in(svg) -> list[list[str]]:
    """Each label of a drawn diagram, as its lines."""
    return [[text.get_text() for text in group.find_all("text")] for group in svg.select(LABELS)]


@pytest.mark.sphinx("html", testroot="diagrams")
def test_a_long_label_wraps_onto_two_lines_and_no_more(app):
    app.build()
    svg = soup_of(app, PICTURES).select_one("figure.diagram svg.sequence")
    labels = labels_in(svg)
    assert labels, "no label found in the sequence diagram"
    longest = max(labels, key=lambda lines: len(" ".join(lines)))
    assert " ".join(longest).startswith("a message long enough") and len(longest) == 2, longest
    assert all(len(lines) <= 2 for lines in labels), [lines for lines in labels if len(lines) > 2]
    assert float(svg["width"]) <= sequence.COLUMN_WIDTH


def test_no_message_label_is_wider_than_the_space_between_its_lifelines():
    source = (
        "participant A\nparticipant B\nparticipant C\n"
        "A -> B: a label long enough that it has to wrap over several lines\n"
        "B --> A: https://example.com/a/very/long/path/without/any/spaces/at/all\n"
        "A -> C: across two columns with quite a long label as well\n"
    )
    svg = BeautifulSoup(sequence.render(source), "html.parser")
    for group in svg.select("g.message"):
        line = group.find("path")["d"]
        start, end = (float(value) for value in re.match(r"M(-?[\d.]+) [\d.]+H(-?[\d.]+)", line).groups())
        span = abs(end - start) + sequence.HEAD_LENGTH
        for text in group.find_all("text"):
            assert sequence.text_width(text.get_text()) <= span, text.get_text()


def test_a_diagram_too_wide_for_the_column_is_refused_naming_a_label_to_shorten():
    source = "\n".join(
        f"P{index} -> P{index + 1}: a message long enough to need a wide column of its own"
        for index in range(6)  # seven columns
    )
    with pytest.raises(sequence.SequenceError) as refused:
        sequence.render(source)
    assert "wider than the column" in str(refused.value)
    assert "shorten its longest labels, such as 'a message long enough" in str(refused.value)


@pytest.mark.sphinx("html", testroot="diagrams", srcdir="diagrams-label-too-long")
def test_a_label_that_cannot_fit_on_two_lines_fails_the_build_naming_it_and_the_fix(app):
    label = "this label goes on and on " * 12
    write_broken_page(app, f":::{{diagram}}\n:alt: A picture.\n\nA -> B: hello\nB --> A: {label}\n:::\n")
    app.build()
    message = reported_line(app)
    assert f"{BROKEN_PAGE}:12:" in message
    assert f"the label '{label.strip()}' does not fit on two lines" in message
    assert "shorten the label" in message


@pytest.mark.sphinx("html", testroot="diagrams", srcdir="diagrams-graph-three-lines")
def test_a_graph_label_on_three_lines_fails_the_build_naming_it(app):
    write_broken_page(
        app, ':::{diagram}\n:alt: A graph.\n:kind: graph\n\ndigraph {\n  a [label="one\\ntwo\\nthree"];\n}\n:::\n'
    )
    app.build()
    message = reported_line(app)
    assert f"{BROKEN_PAGE}:12:" in message
    assert "the label 'one two three' is on 3 lines" in message and "two at most" in message


def test_a_message_to_itself_keeps_its_label_clear_of_its_loop():
    group = BeautifulSoup(sequence.render("A -> B: hi\nA -> A: check the key once more"), "html.parser").select_one("g.self")
    # The loop leaves its lifeline at x and reaches LOOP_WIDTH to the right of it.
    loop_right = float(re.match(r"M(-?[\d.]+)", group.find("path")["d"])[1]) + sequence.LOOP_WIDTH
    for text in group.find_all("text"):
        assert float(text["x"]) >= loop_right + 4, "the label starts inside the loop"


def test_a_participant_first_named_in_a_message_gets_its_own_column():
    parsed = sequence.parse("participant Client\nClient -> Bank: pay\nnote over Bank, Client: done")
    assert [participant.id for participant in parsed.participants] == ["Client", "Bank"]


def test_a_participant_can_have_a_longer_label():
    parsed = sequence.parse("participant PSP as Payment provider\nPSP --> PSP: settle")
    assert parsed.participants[0].label == "Payment provider"
    assert parsed.events[0].kind == "reply"


def reported_line(app) -> str:
    """The one problem line a build logged, after checking there was exactly one."""
    lines = problem_lines(app.warning.getvalue())
    assert len(lines) == 1, "expected one line about the problem, got:\n" + "\n".join(lines)
    return lines[0]


@pytest.mark.sphinx("html", testroot="diagrams", srcdir="diagrams-malformed-line")
def test_a_malformed_line_fails_the_build_naming_the_file_the_line_and_the_fix(app):
    write_broken_page(
        app,
        ":::{diagram}\n:alt: A broken picture.\n\nparticipant A\nA ->> B: the wrong arrow\n:::\n",
    )
    app.build()
    # Front matter and a blank line are lines 1-7: the diagram opens on line 8.
    message = reported_line(app)
    assert f"{BROKEN_PAGE}:12:" in message
    assert "'A ->> B: the wrong arrow'" in message
    assert "write 'A -> B: text'" in message


@pytest.mark.sphinx("html", testroot="diagrams", srcdir="diagrams-missing-alt")
def test_a_diagram_without_alt_text_fails_the_build_saying_how_to_fix_it(app):
    write_broken_page(app, "Words.\n\n:::{diagram} A caption\n\nA -> B: hello\n:::\n")
    app.build()
    message = reported_line(app)
    assert f"{BROKEN_PAGE}:10:" in message
    assert "missing :alt:" in message and "add a line ':alt:" in message


@pytest.mark.sphinx("html", testroot="diagrams", srcdir="diagrams-bad-kind")
def test_an_unknown_kind_fails_the_build_naming_the_kinds(app):
    write_broken_page(app, ":::{diagram}\n:alt: A picture.\n:kind: pie\n\nA -> B: hello\n:::\n")
    app.build()
    message = reported_line(app)
    assert f"{BROKEN_PAGE}:8:" in message
    assert "':kind: pie' is not a kind of diagram" in message


@pytest.mark.parametrize("parallel", [(), ("-j", "2")], ids=["serial", "parallel"])
def test_the_command_line_reports_a_diagram_without_alt_text_in_one_line(rootdir, tmp_path, parallel):
    source = copy_root(rootdir, "diagrams", tmp_path)
    (source / BROKEN_PAGE).write_text(
        "---\ntitle: Broken\narea: first\norder: 3\nsummary: A broken piece.\n---\n\n"
        "Words.\n\n:::{diagram} A caption\n\nA -> B: hello\n:::\n",
        encoding="utf-8",
    )
    # Sphinx reads in parallel only past five pages.
    for number in range(4):
        (source / f"extra-{number}.md").write_text("---\norphan: true\n---\n\n# Extra\n\nWords.\n")
    result = sphinx_build(source, tmp_path / "out", *parallel)
    lines = problem_lines(result.stderr)
    assert result.returncode != 0, "sphinx-build -W should exit with an error status"
    assert len(lines) == 1, result.stderr
    assert f"{BROKEN_PAGE}:10:" in lines[0] and "missing :alt:" in lines[0], lines[0]
    assert "Traceback" not in result.stderr and "sphinx-err-" not in result.stderr, result.stderr


def test_a_rebuild_that_changes_nothing_still_fails_on_a_broken_diagram(make_app, rootdir, tmp_path):
    source = copy_root(rootdir, "diagrams", tmp_path)
    (source / BROKEN_PAGE).write_text(
        "---\ntitle: Broken\narea: first\norder: 3\nsummary: A broken piece.\n---\n\n"
        ":::{diagram}\n\nA -> B: hello\n:::\n",
        encoding="utf-8",
    )
    for _ in range(2):
        app = make_app("html", srcdir=source, builddir=tmp_path / "build")
        try:
            app.build()
        finally:
            app.cleanup()
        assert "missing :alt:" in reported_line(app)


# -- Graphs --------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="diagrams")
def test_a_loop_label_stands_clear_of_its_loop(app):
    app.build()
    svg = soup_of(app, PICTURES).select_one("figure.diagram svg.graph")
    loop = next(group for group in svg.select("g.edge") if group.text.strip() == "webhook retried")
    # The loop's rightmost point, and where the label starts (Graphviz centres it on x).
    right = max(float(x) for shape in loop.select("path, polygon")
                for x in re.findall(r"(-?[\d.]+),-?[\d.]+", shape.get("d") or shape.get("points")))
    text = loop.find("text")
    start = float(text["x"]) - sequence.text_width(text.get_text()) / 2
    assert start >= right + 2, f"the label starts at {start:.1f}, the loop reaches {right:.1f}"


@pytest.mark.sphinx("html", testroot="diagrams", srcdir="diagrams-bad-dot")
def test_dot_that_graphviz_cannot_read_fails_the_build_at_its_line(app):
    write_broken_page(
        app, ":::{diagram}\n:alt: A broken graph.\n:kind: graph\n\ndigraph {\n  a -> ;\n}\n:::\n"
    )
    app.build()
    message = reported_line(app)
    assert f"{BROKEN_PAGE}:13:" in message
    assert "correct the DOT" in message


@pytest.mark.sphinx("html", testroot="diagrams", srcdir="diagrams-no-graphviz")
def test_without_the_graph_renderer_the_build_says_what_to_install(app, monkeypatch, tmp_path):
    monkeypatch.setattr("sys.executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    app.build()
    message = reported_line(app)
    assert "articles/pictures.md:" in message
    assert "graphviz-pure" in message and "pip install -r requirements.txt" in message


# -- Determinism and the cache -----------------------------------------------------


def built_figures(make_app, srcdir: Path, builddir: Path, cache: Path) -> str:
    app = make_app("html", srcdir=srcdir, builddir=builddir, confoverrides={"portfolio_diagram_cache": str(cache)})
    try:
        app.build()
    finally:
        # Unregisters this app's nodes, so the next app in the test starts clean.
        app.cleanup()
    assert app.warning.getvalue() == ""
    return "".join(str(figure) for figure in soup_of(app, PICTURES).select("figure.diagram"))


def test_two_builds_draw_the_same_diagrams_with_the_same_ids(make_app, rootdir, tmp_path):
    srcdir = rootdir / "test-diagrams"
    first = built_figures(make_app, srcdir, tmp_path / "one", tmp_path / "cache-one")
    second = built_figures(make_app, srcdir, tmp_path / "two", tmp_path / "cache-two")
    assert first == second


def test_a_clean_build_takes_unchanged_diagrams_from_the_cache(make_app, rootdir, tmp_path, monkeypatch):
    srcdir, cache = rootdir / "test-diagrams", tmp_path / "cache"
    runs = count_calls(monkeypatch, subprocess, "run")
    sequence_draws = count_calls(monkeypatch, sequence, "render")

    def graph_runs() -> list:
        # Graphviz's runs only: the build also asks git for its timestamp.
        return [args for args in runs if "-Tsvg" in args[0]]

    first = built_figures(make_app, srcdir, tmp_path / "one", cache)
    assert (len(graph_runs()), len(sequence_draws)) == (1, 1)
    second = built_figures(make_app, srcdir, tmp_path / "two", cache)
    assert (len(graph_runs()), len(sequence_draws)) == (1, 1), "the second build drew again"
    assert first == second


# -- The real site ----------------------------------------------------------------


# Any site's diagrams, however many (none on a site without them; the root above has both kinds).
def test_no_diagram_label_on_the_site_wraps_past_two_lines(site):
    too_long = [
        f"{page}: {' / '.join(lines)!r} is on {len(lines)} lines"
        for page in site.pages() for svg in site.soup(page).select("figure.diagram svg")
        for lines in labels_in(svg) if len(lines) > 2
    ]
    assert not too_long, "diagram labels past two lines:\n" + "\n".join(too_long)


def test_no_diagram_is_wider_than_a_pieces_column(site):
    too_wide = [
        f"{page}: {svg['width']} px"
        for page in site.pages()
        for svg in site.soup(page).select("figure.diagram svg")
        if float(svg["width"]) > sequence.COLUMN_WIDTH
    ]
    assert not too_wide, f"wider than the column ({sequence.COLUMN_WIDTH} px):\n" + "\n".join(too_wide)
