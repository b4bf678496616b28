"""Shared fixtures: sphinx.testing for the tiny roots, one real-site build per session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "_ext"))

pytest_plugins = ["sphinx.testing.fixtures", "browser"]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return Path(__file__).parent / "roots"


class BuiltSite:
    """The real site, built once, with its pages parsed on demand."""

    def __init__(self, outdir: Path, warnings: str) -> None:
        self.outdir = outdir
        self.warnings = warnings
        self._soups: dict[str, BeautifulSoup] = {}

    def soup(self, page: str) -> BeautifulSoup:
        if page not in self._soups:
            html = (self.outdir / page).read_text(encoding="utf-8")
            self._soups[page] = BeautifulSoup(html, "html.parser")
        return self._soups[page]

    def pages(self) -> list[str]:
        return sorted(str(p.relative_to(self.outdir)) for p in self.outdir.rglob("*.html"))


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> BuiltSite:
    """Build the repository's own site into a temporary folder."""
    from sphinx.testing.util import SphinxTestApp

    builddir = tmp_path_factory.mktemp("site")
    app = SphinxTestApp("html", srcdir=REPO, builddir=builddir)
    try:
        app.build()
    finally:
        app.cleanup()
    return BuiltSite(Path(app.outdir), app.warning.getvalue())
