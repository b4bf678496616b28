"""Make it yours: a correct fork passes the engine's checks and keeps no trace of the old owner.

A copy of the repository becomes a deliberately different site, as a fork following the
README's "Make it yours" would: another owner in the identity section of conf.py, one area
with one piece, no concepts page, no code, no diagram, and the shipped owner's own text and
tests (tests/owner/) deleted. In that copy the suite runs on itself with ``--site-checks-only``:
every test that reads the session's built site and needs no browser (the build without a
warning, the pages against their front matter, links, feed, sitemap, sharing tags, the
security policy, page weights, valid HTML), the build being a publishing one, so a
placeholder fails it. The browser tests are left out for time (a second browser pass costs
about a minute): they read the same templates and styles on every site, and what they need a
site may not have (diagrams, code) they take from test roots of their own.
"""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, copy_site, front_matter

IDENTITY = '''
portfolio_name = "Grace"
portfolio_role = "Data engineer"
portfolio_headline = "Pipelines that say when they are wrong."
portfolio_contact = [
    {"label": "Email", "url": "mailto:grace@mail.test", "text": "grace@mail.test"},
    {"label": "Code", "url": "https://code.test/grace", "text": "code.test/grace"},
]
'''

PAGES = {
    "index.md": "---\nhide-toc: true\n---\n\n# {{ portfolio_name }}\n\n:::{hero}\nI build data pipelines, "
                "and the checks that tell me when they lie.\n:::\n\n{#work}\n## Work\n\n:::{work-areas}\n:::\n\n"
                "{#contact}\n## Want a pipeline you can trust?\n\n:::{contact}\n:::\n",
    "work/pipelines.md": "---\ntitle: Batch pipelines\norder: 1\ntagline: Late data, counted once.\nsummary: "
                         "Nightly jobs that load what arrived, however late.\n---\n\n## What this area is\n\n"
                         "Nightly jobs that load what arrived, and say so when a day is short.\n\n"
                         ":::{case-studies}\n:::\n",
    "articles/backfill.md": "---\ntitle: Backfill\narea: pipelines\norder: 1\nsummary: A replay of a month "
                            "of events.\n---\n\n## The situation\n\nA month of events had to be loaded again "
                            "without counting any twice, in the {doc}`batch pipelines </work/pipelines>`.\n",
}


def make_it_hers(source: Path) -> None:
    """Her identity, appended to the identity section of conf.py, and only her pages."""
    conf = (source / "conf.py").read_text(encoding="utf-8")
    banners = [m.start() for m in re.finditer(r"^# -- ", conf, re.MULTILINE)]
    identity = next(i for i, start in enumerate(banners) if "identity" in conf[start:start + 80].lower())
    end = banners[identity + 1]
    (source / "conf.py").write_text(conf[:end] + IDENTITY + "\n" + conf[end:], encoding="utf-8")
    # README, Make it yours: the areas, the pieces, the glossary and the owner's tests go.
    for page in [*source.glob("work/*.md"), *source.glob("articles/*.md"), source / "concepts.md"]:
        page.unlink(missing_ok=True)
    for path in sorted((source / "tests" / "owner").glob("*"), reverse=True):
        path.unlink()
    for name, text in PAGES.items():
        (source / name).write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def her_checks(tmp_path_factory):
    """The engine's checks of the built site, run by the suite in her copy, and her site."""
    tmp_path = tmp_path_factory.mktemp("hers")
    source = copy_site(tmp_path)
    make_it_hers(source)
    # A fork is a git checkout: its pieces take their dates from their commits.
    git = ["git", "-C", str(source), "-c", "user.name=Grace", "-c", "user.email=grace@mail.test"]
    for command in (["init", "-q"], ["add", "--all"], ["commit", "-q", "-m", "Make it mine"]):
        subprocess.run([*git, *command], check=True, capture_output=True)
    (source / "node_modules").symlink_to(REPO / "node_modules")  # the HTML checker
    environment = {name: value for name, value in os.environ.items()
                   if not name.startswith(("PYTEST_", "READTHEDOCS"))}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--site-checks-only", "-q",
         "--basetemp", str(tmp_path / "run")],
        cwd=source, env={**environment, "PORTFOLIO_PUBLISH": "1"},
        capture_output=True, text=True, check=False,
    )
    built = next((tmp_path / "run").glob("site*/html"), None)
    return result, built


def test_a_made_up_owners_site_passes_the_engines_checks(her_checks):
    result, _ = her_checks
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0 and " passed" in summary, result.stdout[-6000:] + result.stderr[-2000:]


def test_a_made_up_owners_site_keeps_no_trace_of_the_shipped_owner(her_checks):
    _, outdir = her_checks
    assert outdir is not None, "her site was not built"
    name = runpy.run_path(str(REPO / "conf.py"))["portfolio_name"]
    marks = [name, *(fields["title"] for fields in front_matter().values())]
    # A name both owners use (a fork may call an area what hers is called) is no trace.
    hers = " ".join([IDENTITY, *PAGES.values()]).casefold()
    marks = [mark for mark in marks if mark.casefold() not in hers]
    shipped_owner = re.compile("|".join(rf"\b{re.escape(mark)}\b" for mark in marks), re.IGNORECASE)
    traces = []
    for path in sorted(outdir.rglob("*")):
        if path.suffix in {".html", ".xml", ".txt", ".js", ".json", ".svg", ".css"}:
            for match in shipped_owner.finditer(path.read_text(encoding="utf-8", errors="replace")):
                traces.append(f"{path.relative_to(outdir)}: {match[0]!r}")
    assert traces == [], "the shipped owner is still on her site:\n" + "\n".join(traces[:20])
