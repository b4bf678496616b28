"""Placeholder contact details: a notice locally, a stop when publishing, naming what was found."""

from __future__ import annotations

import runpy
import shutil
from pathlib import Path

import pytest
from sphinx.util.console import strip_colors

from conftest import problem_lines, sphinx_build
from portfolio.placeholders import SHIPPED_PLACEHOLDERS, placeholder_entries, placeholder_message

REPO = Path(__file__).resolve().parent.parent
SETTING = "portfolio_contact in conf.py"
# Filled-in details on reserved names that are not the example domains (RFC 2606
# reserves .test for testing): nobody's real address, and not a placeholder either.
REAL_CONTACT = [
    {"label": "Email", "url": "mailto:owner@mail.test", "text": "owner@mail.test"},
    {"label": "Code", "url": "https://code.test/owner", "text": "code.test/owner"},
]


@pytest.fixture(autouse=True)
def not_publishing(monkeypatch):
    # A developer's shell or a CI runner may carry these; each test sets its own.
    monkeypatch.delenv("READTHEDOCS", raising=False)
    monkeypatch.delenv("PORTFOLIO_PUBLISH", raising=False)


@pytest.mark.sphinx("html", testroot="portfolio")
def test_a_local_build_with_placeholders_prints_one_notice_and_no_warning(app):
    app.build()
    status = app.status.getvalue()
    assert status.count(SETTING) == 1, f"expected one notice naming {SETTING!r}:\n{status}"
    assert app.warning.getvalue() == "", "the notice must not be a Sphinx warning"
    assert (app.outdir / "index.html").exists()


@pytest.mark.sphinx("html", testroot="portfolio", confoverrides={"portfolio_contact": REAL_CONTACT})
def test_real_contact_details_print_no_notice(app):
    app.build()
    assert SETTING not in app.status.getvalue()


@pytest.mark.parametrize(
    "variable", [("READTHEDOCS", "True"), ("PORTFOLIO_PUBLISH", "1")], ids=lambda v: v[0]
)
@pytest.mark.sphinx("html", testroot="portfolio")
def test_a_publishing_build_with_placeholders_fails_with_the_same_words(
    make_app, app_params, monkeypatch, variable
):
    args, kwargs = app_params
    local = make_app(*args, **kwargs)
    status = strip_colors(local.status.getvalue())
    notice = next(line for line in status.splitlines() if SETTING in line)

    monkeypatch.setenv(*variable)
    publishing = make_app(*args, **kwargs)
    publishing.build()
    # (Two apps in one process: Sphinx warns that the second re-registers its nodes.)
    # A warning: the publishing builds are strict (-W, fail_on_warning), so it stops them.
    warnings = [line for line in problem_lines(publishing.warning.getvalue()) if SETTING in line]
    assert warnings == [f"WARNING: {notice.strip()} [portfolio.placeholders]"]


@pytest.mark.sphinx("html", testroot="portfolio", confoverrides={"portfolio_contact": REAL_CONTACT})
def test_a_publishing_build_with_real_contact_details_passes(make_app, app_params, monkeypatch):
    monkeypatch.setenv("PORTFOLIO_PUBLISH", "1")
    args, kwargs = app_params
    app = make_app(*args, **kwargs)
    app.build()
    assert app.warning.getvalue() == ""


@pytest.mark.parametrize(
    ("url", "text", "placeholder"),
    [
        ("mailto:hello@example.com", "hello@example.com", True),
        ("https://github.example.com/ada", "github.example.com/ada", True),
        ("https://ada.example/", "ada.example", True),
        ("https://www.example.org/x", "my site", True),
        ("https://example.net", "example.net", True),
        ("https://code.test/owner", "code.test/owner", False),
        ("mailto:me@examples.com", "me@examples.com", False),
        ("https://notexample.com/", "notexample.com", False),
        # Not on an example domain, but plainly a template's blanks.
        ("mailto:you@yourdomain.com", "you@yourdomain.com", True),
        ("https://github.com/YOUR-USERNAME", "github.com/YOUR-USERNAME", True),
        ("https://linkedin.com/in/yourname", "linkedin.com/in/yourname", True),
        ("https://github.com/<user>", "github.com/<user>", True),
        ("https://github.com/yourtown-labs", "github.com/yourtown-labs", False),
    ],
)
def test_placeholders_are_the_reserved_example_domains(url, text, placeholder):
    entries = placeholder_entries([{"label": "X", "url": url, "text": text}])
    assert entries == (["X"] if placeholder else [])


SHIPPED = [
    {"label": "Email", "url": "mailto:hello@example.com", "text": "hello@example.com"},
    {"label": "GitHub", "url": "https://github.example.com/ifeanyi", "text": "github.example.com/ifeanyi"},
]
TYPED = [{"label": "Blog", "url": "https://me.example.org/", "text": "me.example.org"}]


def test_the_notice_calls_the_shipped_placeholders_shipped_and_says_why_they_block():
    message = placeholder_message(SHIPPED + REAL_CONTACT)
    assert message.startswith(f"{SETTING} still holds the placeholder contact details the site ships with "
                              "(Email: mailto:hello@example.com, GitHub: https://github.example.com/ifeanyi)")
    assert "nobody can be reached" in message and "before publishing" in message
    assert "Code" not in message, "a filled-in entry is named as a placeholder"


def test_the_notice_names_a_newcomers_own_example_address_as_such():
    message = placeholder_message(REAL_CONTACT + TYPED)
    assert "ships with" not in message, "the owner's own entry is called a shipped placeholder"
    assert message.startswith(
        f"{SETTING} points Blog (https://me.example.org/) on me.example.org, a domain reserved "
        "for examples (RFC 2606): nobody can be reached"
    ), message


def test_the_notice_names_a_templates_placeholder_word():
    message = placeholder_message(REAL_CONTACT + [
        {"label": "GitHub", "url": "https://github.com/YOUR-USERNAME", "text": "github.com/YOUR-USERNAME"}])
    assert message.startswith(f"{SETTING} leaves a template's placeholder in GitHub "
                              "(https://github.com/YOUR-USERNAME) with 'YOUR-USERNAME': nobody can be reached"), message


def test_the_notice_tells_shipped_and_typed_entries_apart_in_one_line():
    message = placeholder_message(SHIPPED[:1] + TYPED)
    assert "ships with (Email: mailto:hello@example.com)" in message
    assert "points Blog (https://me.example.org/) on me.example.org" in message
    assert "\n" not in message and message.count(SETTING) == 1


def test_every_example_address_conf_py_ships_is_known_as_a_shipped_placeholder():
    # Holds SHIPPED_PLACEHOLDERS to conf.py: once the owner fills in his details, it holds
    # nothing to compare, and passes.
    contact = runpy.run_path(str(REPO / "conf.py"))["portfolio_contact"]
    on_example_domains = {entry["url"] for entry in contact if placeholder_entries([entry])}
    unknown = on_example_domains - SHIPPED_PLACEHOLDERS
    assert not unknown, (
        f"conf.py ships {sorted(unknown)}, which the guard would blame on the owner as his own "
        "typing: add them to SHIPPED_PLACEHOLDERS in _ext/portfolio/placeholders.py"
    )


# -- On the command line, as Read the Docs and the Pages workflow run it -------


def assert_fails_with_one_clean_line(result, expected: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"the build passed:\n{output}"
    lines = problem_lines(output)
    assert len(lines) == 1, f"expected one line about the problem:\n{output}"
    assert lines[0].startswith(f"WARNING: {expected} [portfolio."), output
    assert "Traceback" not in output, output
    assert "sphinx-err-" not in output, f"Sphinx wrote a crash report:\n{output}"
    assert "open an issue" not in output, output


@pytest.mark.parametrize("variable", ["READTHEDOCS=True", "PORTFOLIO_PUBLISH=1"])
def test_on_the_command_line_a_publishing_build_with_placeholders_stops_in_one_line(
    rootdir, tmp_path, variable
):
    local = sphinx_build(rootdir / "test-portfolio", tmp_path / "local")
    assert local.returncode == 0, local.stdout + local.stderr
    notice = next(line for line in local.stdout.splitlines() if SETTING in line).strip()
    name, value = variable.split("=")
    published = sphinx_build(rootdir / "test-portfolio", tmp_path / "published", **{name: value})
    assert_fails_with_one_clean_line(published, notice)


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ('portfolio_role = "  "',
         "conf.py: setting 'portfolio_role': empty; write the text in conf.py."),
        ('portfolio_contact = [{"label": "Email", "url": "", "text": "owner@mail.test"}]',
         "conf.py: setting 'portfolio_contact', entry 1: missing 'url'; give each entry a "
         "label, a url and a text."),
        ('portfolio_contact = ["owner@mail.test"]',
         "conf.py: setting 'portfolio_contact', entry 1: 'owner@mail.test' is not a dict; write "
         "each entry as {'label': ..., 'url': ..., 'text': ...}."),
        ('portfolio_theme_colors = {"light": "red"}',
         "conf.py: setting 'portfolio_theme_colors': {'light': 'red'}; give one '#rrggbb' "
         "colour for each of 'light' and 'dark'."),
        ('portfolio_accent = {"light": "#0b5c4a"}',
         "conf.py: setting 'portfolio_accent': {'light': '#0b5c4a'}; give one '#rrggbb' "
         "colour for each of 'light' and 'dark'."),
    ],
    ids=["empty role", "contact without url", "contact not a dict", "theme colours not colours",
         "accent for one theme only"],
)
def test_on_the_command_line_an_empty_setting_stops_in_one_line(rootdir, tmp_path, setting, expected):
    source = tmp_path / "src"
    shutil.copytree(rootdir / "test-portfolio", source)
    with (source / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(setting + "\n")
    assert_fails_with_one_clean_line(sphinx_build(source, tmp_path / "out"), expected)
