"""Bad front matter of every kind fails with one clear line, never a traceback.

Hypothesis writes random front matter into an article (random YAML values and
types, missing fields, odd strings, raw bytes that are not UTF-8) and loads the
portfolio: each input either loads or is reported as a problem (or raised as a
PortfolioError) whose message is one line naming the file and the field (or the
front matter as a whole); no other exception ever escapes.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from defusedxml import ElementTree
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from portfolio.collector import Page
from portfolio.content import ARTICLE_FIELDS, Portfolio, PortfolioError, load_portfolio
from portfolio.feed import feed_xml
from portfolio.publishing import last_updated

ARTICLE = "articles/piece.md"
FIELDS = [*ARTICLE_FIELDS, "date"]
AREA_PAGE = "---\ntitle: Area\norder: 1\ntagline: A promise.\nsummary: What it is about.\n---\n"
VALID = {"title": "A piece", "area": "area", "order": 1, "summary": "What it did."}
ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|\+00:00)")


@pytest.fixture(scope="module")
def srcdir(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    (root / "work").mkdir()
    (root / "articles").mkdir()
    (root / "work" / "area.md").write_text(AREA_PAGE, encoding="utf-8")
    return root


text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    text,
    st.dates(),
    st.datetimes(),
    st.sampled_from(["area", "", " ", "\u2028", "---", "nope"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=6,
)


@st.composite
def dumped_front_matter(draw) -> bytes:
    """Fields kept valid, replaced by a random value, or left out, then dumped as YAML."""
    fields = {}
    for field in FIELDS:
        choice = draw(st.sampled_from(["valid", "random", "missing"]))
        if choice == "valid" and field in VALID:
            fields[field] = VALID[field]
        elif choice == "random":
            fields[field] = draw(values)
    fields.update(draw(st.dictionaries(text, values, max_size=2)))
    body = yaml.safe_dump(fields, allow_unicode=draw(st.booleans()))
    return f"---\n{body}---\n\nThe body.\n".encode()


# Lines a person might type: known fields with raw values YAML may or may not
# accept (unbalanced quotes, tabs, tags, impossible dates, anchors...).
raw_values = st.one_of(
    text,
    st.sampled_from([
        "2024-02-30", "2024-13-01", "!!bool maybe", "!!int abc", "!!float x", "0x_",
        "!!binary '%%'", "!!python/object:os.system x", "*missing", "&a [*a]", "[", "{",
        "'unclosed", '"unclosed', "\t", "|", ">-", "@at", "`tick`", "%percent", "? key",
        "1:2:3", "~", "null", "yes", "2024-01-01T10:00:00", "[1, [2, [3]]]",
    ]),
)


@st.composite
def typed_front_matter(draw) -> bytes:
    names = st.sampled_from([*FIELDS, "extra", "", "- item", "  indented"])
    lines = [f"{draw(names)}: {draw(raw_values)}" for _ in range(draw(st.integers(0, 6)))]
    opening = draw(st.sampled_from(["---", "---", "\ufeff---", "", "--- "]))
    closing = draw(st.sampled_from(["---", "---", "", "..."]))
    return "\n".join([opening, *lines, closing, "Body."]).encode("utf-8", "surrogatepass")


any_front_matter = st.one_of(
    dumped_front_matter(),
    typed_front_matter(),
    st.binary(max_size=200),
    st.binary(max_size=60).map(lambda raw: b"---\ntitle: " + raw + b"\n---\n"),
)


def problem_with(srcdir) -> tuple[Portfolio | None, str | None]:
    """The loaded portfolio, and the one-line problem it reports for the article, if any."""
    try:
        portfolio = load_portfolio(srcdir)
    except PortfolioError as error:
        return None, str(error)
    messages = [problem.message for problem in portfolio.problems]
    assert len(messages) <= 1, f"one bad page, several problems: {messages!r}"
    return portfolio, (messages[0] if messages else None)


def feed_of(srcdir: Path, portfolio: Portfolio):
    """The Atom feed the site would publish for *portfolio*, parsed (it must be well-formed).

    No pages were built, so the entries carry their summaries without content."""
    no_git = SimpleNamespace(env=SimpleNamespace())
    app = SimpleNamespace(
        config=SimpleNamespace(
            html_baseurl="https://owner.test/", html_title="Owner", portfolio_headline="Headline",
            portfolio_name="Owner", root_doc="index",
        ),
        # Each record as reading the page would leave it (no page is built here, and no git):
        # the heading reads as the one-line title, the date is the front matter's.
        env=SimpleNamespace(portfolio=portfolio, portfolio_pages={
            item.docname: Page(item.title, item.summary, 0, (), updated=last_updated(no_git, item))
            for item in (*portfolio.areas, *portfolio.articles)}),
        builder=SimpleNamespace(get_target_uri=lambda docname: f"{docname}.html"),
        srcdir=srcdir,
        doctreedir=srcdir / "no-doctrees",
    )
    return ElementTree.fromstring(feed_xml(app))


def check_loads_or_fails_clearly(srcdir, page: bytes, field: str | None = None) -> None:
    """*page* loads and publishes, or fails in one line naming the file and *field* if known."""
    (srcdir / ARTICLE).write_bytes(page)
    portfolio, message = problem_with(srcdir)
    if message is not None:
        assert "\n" not in message and "\r" not in message, f"not one line: {message!r}"
        assert message.startswith(f"{ARTICLE}: "), f"does not name the file: {message!r}"
        assert re.search(r"front matter|not UTF-8", message), f"names no field: {message!r}"
        if field is not None:
            assert f"field '{field}'" in message, f"does not name field {field!r}: {message!r}"
        assert len(message) < 400, f"too long to read: {message!r}"
        return
    assert field is None, f"accepted although field {field!r} is invalid"
    assert isinstance(portfolio, Portfolio)
    (article,) = portfolio.articles
    assert article.title.strip() and article.summary.strip()
    assert article.date is None or type(article.date) is dt.date
    # Accepted means publishable: the feed holds it, well-formed, with valid dates.
    feed = feed_of(srcdir, portfolio)
    url = f"https://owner.test/{article.docname}.html"
    (entry,) = [e for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}id") == url]
    assert entry.findtext(f"{ATOM}title") == article.title
    assert entry.findtext(f"{ATOM}summary") == " ".join(article.summary.split())
    for stamp in feed.iter(f"{ATOM}updated"):
        assert RFC3339_UTC.fullmatch(stamp.text), f"not an RFC 3339 time: {stamp.text!r}"
    if article.date:
        assert entry.findtext(f"{ATOM}published") == f"{article.date.isoformat()}T00:00:00+00:00"


# -- Field by field: the loader's first complaint is about the first bad field ------------

# Text a person could write: anything showable, with at least one letter or digit in it.
showable_text = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\ufffe\uffff")
    .filter(lambda c: c in "\t\n\r" or not ("\x00" <= c < "\x20")),
    min_size=1, max_size=60,
).filter(lambda t: any(c.isalnum() for c in t))
# Text that shows nothing, though it is not empty: spaces and invisible characters.
INVISIBLE = ["\u200b", " \u200b\u2060 ", "\ufeff", "\u00a0\u3000"]
# A title is on one line: the page's heading would cut it at the first.
one_line_title = showable_text.filter(lambda t: not {"\n", "\r"} & set(t.strip()))
TITLES_OVER_LINES = ["A piece\n\nwith more", "A piece\rwith more"]
big_order = st.integers(min_value=1, max_value=2**70)
CONTROL_CHARACTERS = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\ufffe", "\uffff"]
MISSING = object()


def bad_text(draw):
    return draw(st.one_of(
        st.just(MISSING), st.sampled_from(["", "  ", None, 0, 3, True, 1.5, [], ["a"], {"a": 1}]),
        st.sampled_from(INVISIBLE),
        st.builds(lambda t, c, i: t[:i] + c + t[i:], showable_text,
                  st.sampled_from(CONTROL_CHARACTERS), st.integers(0, 60)),
    ))


FIELD_VALUES = {
    # field: (valid values, a drawer of invalid ones)
    "title": (one_line_title, lambda draw: (
        bad_text(draw) if draw(st.booleans()) else draw(st.sampled_from(TITLES_OVER_LINES)))),
    "area": (st.just("area"), bad_text),
    "order": (big_order, lambda draw: draw(st.sampled_from(
        [MISSING, 0, -1, -(2**70), True, False, 1.0, "1", None, [1], dt.date(2024, 1, 1)]))),
    "summary": (showable_text, bad_text),
    "date": (st.one_of(st.just(MISSING), st.dates()), lambda draw: draw(st.one_of(
        st.datetimes(), st.sampled_from(["2024-01-01x", "yesterday", 20240101, True, [2024]])))),
}
# The loader checks the fields in this order, then whether the area exists.
CHECK_ORDER = ["title", "area", "order", "summary", "date"]


@st.composite
def field_by_field(draw) -> tuple[bytes, str | None]:
    """Front matter, mostly valid, and the field the loader must name first (None: valid)."""
    fields, first_bad = {}, None
    for field in CHECK_ORDER:
        valid, invalid = FIELD_VALUES[field]
        value = draw(valid) if draw(st.integers(0, 3)) else invalid(draw)
        if first_bad is None and not (field == "date" and value is MISSING) and (
            value is MISSING or not draw_is_valid(field, value)
        ):
            first_bad = field
        if value is not MISSING:
            fields[field] = value
    if first_bad is None and draw(st.integers(0, 9)) == 0:
        fields["area"], first_bad = draw(st.sampled_from(["nowhere", "Area", " area2"])), "area"
    body = yaml.safe_dump(fields, allow_unicode=draw(st.booleans()))
    return f"---\n{body}---\n\nThe body.\n".encode(), first_bad


def draw_is_valid(field: str, value) -> bool:
    if field == "order":
        return type(value) is int and value >= 1
    if field == "date":
        return type(value) is dt.date
    if field == "area":
        return value == "area"
    if field == "title" and value in TITLES_OVER_LINES:
        return False
    return isinstance(value, str) and any(c.isalnum() for c in value) and not any(
        c in value for c in CONTROL_CHARACTERS
    )


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=field_by_field())
@example(case=(b"---\ntitle: a\narea: area\norder: 1\nsummary: s\ndate: 0001-01-01\n---\n", None))
def test_front_matter_loads_and_publishes_or_names_its_first_bad_field(srcdir, case):
    page, field = case
    check_loads_or_fails_clearly(srcdir, page, field)


@settings(
    max_examples=400,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(page=any_front_matter)
@example(page=b"---\ntitle: x\narea: area\norder: 1\nsummary: y\ndate: 2024-02-30\n---\n")
@example(page=b"---\ntitle: !!bool maybe\n---\n")
@example(page=b"---\ntitle: " + b"[" * 5000 + b"]" * 5000 + b"\n---\n")
@example(page=b"\xff\xfe---\n")
@example(page="\ufeff---\ntitle: x\narea: area\norder: 1\nsummary: y\n---\n".encode())
def test_any_front_matter_loads_or_fails_with_one_line_naming_file_and_field(srcdir, page):
    check_loads_or_fails_clearly(srcdir, page)


@pytest.mark.parametrize(
    ("page", "field"),
    [
        ("date: 2024-02-30", "date"),
        ("order: !!int abc", "order"),
        ("title: !!bool maybe", "title"),
        ("order: 0", "order"),
        ("area: nowhere", "area"),
        ("order: true", "order"),
        ("date: 2024-01-01T10:00:00", "date"),
        ('title: "a\\0b"', "title"),
        ('title: "a\\vb"', "title"),
        ('title: "x\\e[31mred"', "title"),
        ('summary: "odd \\uFFFE"', "summary"),
        ("stack: WebSocket", "stack"),
        ('stack: [WebSocket, ""]', "stack"),
        ("stack: [[tests]]", "stack"),
    ],
)
def test_a_bad_value_names_its_field(srcdir, page, field):
    fields = {**VALID}
    key = page.partition(":")[0]
    fields.pop(key, None)
    lines = [f"{k}: {v}" for k, v in fields.items()] + [page]
    (srcdir / ARTICLE).write_text("---\n" + "\n".join(lines) + "\n---\n", encoding="utf-8")
    _, message = problem_with(srcdir)
    assert message is not None, f"{page!r} was accepted"
    assert re.match(rf"^{ARTICLE}: front matter field '{field}'", message), message


@pytest.mark.parametrize("title", ["[A piece", '"A piece', "'A piece"],
                         ids=["unclosed bracket", "unclosed double quote", "unclosed quote"])
def test_an_unclosed_bracket_or_quote_is_reported_where_it_opens(srcdir, title):
    # YAML notices the fault fields later (at 'area:', or at the end); the line
    # must point at the field where the bracket or quote was opened.
    lines = [f"title: {title}", "area: area", "order: 1", "summary: >-", "  What it did."]
    (srcdir / ARTICLE).write_text("---\n" + "\n".join(lines) + "\n---\n", encoding="utf-8")
    _, message = problem_with(srcdir)
    assert message is not None, f"title: {title} was accepted"
    assert message.startswith(f"{ARTICLE}: front matter field 'title' (line 2): "), message
    assert "close every quote and bracket" in message, message
