"""Shared fixtures: sphinx.testing for the tiny roots, one real-site build per session."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "_ext"))

pytest_plugins = ["sphinx.testing.fixtures"]

_SOURCE_BEFORE = pytest.StashKey[dict]()
_HYPOTHESIS_HOME = pytest.StashKey[Path]()


def pytest_configure(config) -> None:
    # Hypothesis keeps caches in ./.hypothesis unless told otherwise; the test
    # run writes nothing into the repository.
    from hypothesis.configuration import set_hypothesis_home_dir

    config.stash[_HYPOTHESIS_HOME] = Path(tempfile.mkdtemp(prefix="hypothesis-"))
    set_hypothesis_home_dir(config.stash[_HYPOTHESIS_HOME])


def pytest_unconfigure(config) -> None:
    if _HYPOTHESIS_HOME in config.stash:
        shutil.rmtree(config.stash[_HYPOTHESIS_HOME], ignore_errors=True)


def pytest_sessionstart(session) -> None:
    from source_tree import snapshot

    session.config.stash[_SOURCE_BEFORE] = snapshot(REPO)


def pytest_sessionfinish(session, exitstatus) -> None:
    """The test run itself writes nothing into the source tree: fail it if it did."""
    from source_tree import changes, snapshot

    before = session.config.stash.get(_SOURCE_BEFORE, None)
    if before is None:
        return
    changed = changes(before, snapshot(REPO))
    if changed:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("")
            reporter.write_sep("=", "the test run wrote into the source tree", red=True)
            for line in changed:
                reporter.write_line(f"  {line}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


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
