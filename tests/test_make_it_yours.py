"""Make it yours: the engine serves any owner, not only the one it ships with.

A copy of the repository gets a made-up owner, as a fork would (README, "Make it yours"):
her identity in the identity section of conf.py, and every page replaced by her own, two
work areas with one case study each. The strict build `make html` runs, as a publishing
build, passes with not one warning (the front matter, settings and placeholder checks
included), and the site it writes is hers: her name and her pieces, each with its card,
and no trace of the owner the repository ships with.
"""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, copy_site, problem_lines, sphinx_build
from portfolio.content import load_portfolio

IDENTITY = '''
portfolio_name = "Grace"
portfolio_role = "Data engineer"
portfolio_headline = "Pipelines that say when they are wrong."
portfolio_contact = [
    {"label": "Email", "url": "mailto:grace@mail.test", "text": "grace@mail.test"},
    {"label": "Code", "url": "https://code.test/grace", "text": "code.test/grace"},
]
'''

INDEX = """\
---
hide-toc: true
---

# {{ portfolio_name }}

:::{hero}
I build data pipelines, and the checks that tell me when they lie.
:::

{#work}
## Work

:::{work-areas}
:::

{#contact}
## Want a pipeline you can trust?

:::{contact}
:::
"""


def area(title: str, order: int, tagline: str, summary: str) -> str:
    return (f"---\ntitle: {title}\norder: {order}\ntagline: {tagline}\nsummary: {summary}\n---\n\n"
            f"## What this area is\n\n{summary}\n\n:::{{case-studies}}\n:::\n")


def piece(title: str, area_slug: str, summary: str, related: str) -> str:
    return (f"---\ntitle: {title}\narea: {area_slug}\norder: 1\nsummary: {summary}\n---\n\n"
            f"## The situation\n\n{summary} It sits beside the {related}.\n")


PAGES = {
    "index.md": INDEX,
    "work/pipelines.md": area("Batch pipelines", 1, "Late data, counted once.",
                              "Nightly jobs that load what arrived, however late."),
    "work/storage.md": area("Storage", 2, "Files that stay readable.",
                            "Tables that stay fast to read as they grow."),
    "articles/backfill.md": piece("Backfill", "pipelines", "A replay of a month of events.",
                                  "{doc}`compaction </articles/compaction>` work"),
    "articles/compaction.md": piece("Compaction", "storage", "Small files merged while read.",
                                    "{doc}`backfill </articles/backfill>` work"),
}


def shipped_owner() -> re.Pattern:
    """What only the repository's own owner's site carries: his name, his pieces' titles."""
    name = runpy.run_path(str(REPO / "conf.py"))["portfolio_name"]
    portfolio = load_portfolio(REPO)
    marks = [name, *(item.title for item in (*portfolio.areas, *portfolio.articles))]
    return re.compile("|".join(rf"\b{re.escape(mark)}\b" for mark in marks), re.IGNORECASE)


def make_it_hers(source: Path) -> None:
    """Her identity, appended to the identity section of conf.py, and only her pages."""
    conf = (source / "conf.py").read_text(encoding="utf-8")
    banners = [m.start() for m in re.finditer(r"^# -- ", conf, re.MULTILINE)]
    identity = next(i for i, start in enumerate(banners) if "identity" in conf[start:start + 80].lower())
    end = banners[identity + 1]
    (source / "conf.py").write_text(conf[:end] + IDENTITY + "\n" + conf[end:], encoding="utf-8")
    # README, Make it yours, step 3: the areas, the pieces and the owner's glossary go.
    for page in [*source.glob("work/*.md"), *source.glob("articles/*.md"), source / "concepts.md"]:
        page.unlink()
    for name, text in PAGES.items():
        (source / name).write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def her_site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("hers")
    source = copy_site(tmp_path)
    make_it_hers(source)
    with pytest.MonkeyPatch.context() as environment:
        environment.delenv("READTHEDOCS", raising=False)
        environment.setenv("PORTFOLIO_PUBLISH", "1")
        environment.setenv("PORTFOLIO_BASE_URL", "https://grace.test/portfolio/")
        result = sphinx_build(source, tmp_path / "html")
    return result, tmp_path / "html"


def soup(outdir: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((outdir / page).read_text(encoding="utf-8"), "html.parser")


def test_a_made_up_owners_site_passes_the_strict_publishing_build(her_site):
    result, _ = her_site
    output = result.stdout + result.stderr
    assert result.returncode == 0 and problem_lines(output) == [], output


def test_a_made_up_owners_site_shows_her_and_her_pieces(her_site):
    _, outdir = her_site
    home = soup(outdir, "index.html")
    assert home.select_one("article h1").get_text(" ", strip=True).startswith("Grace")
    cards = [a["href"] for a in home.select(".sd-card a.sd-stretched-link")]
    assert cards == ["articles/backfill.html", "articles/compaction.html"], cards
    for page, title in (("work/pipelines.html", "Batch pipelines"), ("work/storage.html", "Storage"),
                        ("articles/backfill.html", "Backfill"), ("articles/compaction.html", "Compaction")):
        assert title in soup(outdir, page).select_one("article h1").get_text(), page
    feed = (outdir / "feed.xml").read_text(encoding="utf-8")
    # Every piece, the area essays with the case studies.
    assert feed.count("<entry>") == len(PAGES) - 1 and "<name>Grace</name>" in feed, feed[:400]
    assert "grace@mail.test" in home.get_text()


def test_a_made_up_owners_site_keeps_no_trace_of_the_shipped_owner(her_site):
    _, outdir = her_site
    traces = []
    for path in sorted(outdir.rglob("*")):
        if path.suffix in {".html", ".xml", ".txt", ".js", ".json", ".svg", ".css"}:
            for match in shipped_owner().finditer(path.read_text(encoding="utf-8", errors="replace")):
                traces.append(f"{path.relative_to(outdir)}: {match[0]!r}")
    assert traces == [], "the shipped owner is still on her site:\n" + "\n".join(traces[:20])


def test_the_engine_tests_run_on_made_up_owners():
    # The tiny projects under tests/roots stand for any owner: none borrows the
    # repository's own owner, his name or his pieces.
    traces = []
    for path in sorted((REPO / "tests" / "roots").rglob("*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            traces += [f"{path.relative_to(REPO)}: {m[0]!r}" for m in shipped_owner().finditer(text)]
    assert traces == [], "test roots that borrow the site's owner:\n" + "\n".join(traces)
