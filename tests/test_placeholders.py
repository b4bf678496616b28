"""The shipped placeholder contact details: a notice locally, a stop when publishing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sphinx.util.console import strip_colors

from portfolio.content import PortfolioError
from portfolio.placeholders import placeholder_entries

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
    with pytest.raises(PortfolioError) as failure:
        make_app(*args, **kwargs)
    assert str(failure.value) == notice.strip()


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
        ("https://github.example.com/ifeanyi", "github.example.com/ifeanyi", True),
        ("https://ifeanyi.example/", "ifeanyi.example", True),
        ("https://www.example.org/x", "my site", True),
        ("https://example.net", "example.net", True),
        ("https://code.test/owner", "code.test/owner", False),
        ("mailto:me@examples.com", "me@examples.com", False),
        ("https://notexample.com/", "notexample.com", False),
    ],
)
def test_placeholders_are_the_reserved_example_domains(url, text, placeholder):
    entries = placeholder_entries([{"label": "X", "url": url, "text": text}])
    assert entries == (["X"] if placeholder else [])


def test_the_pages_workflow_builds_as_a_publishing_build():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text("utf-8"))
    builds = [
        step for job in workflow["jobs"].values() for step in job.get("steps", [])
        if "make html" in step.get("run", "")
    ]
    assert builds, "the Pages workflow has no `make html` step"
    for step in builds:
        assert step.get("env", {}).get("PORTFOLIO_PUBLISH") == "1", (
            "the Pages build must set PORTFOLIO_PUBLISH: \"1\", or it would publish placeholders"
        )
