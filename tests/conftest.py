"""Shared fixtures: sphinx.testing for the tiny roots, one real-site build per session."""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "_ext"))

pytest_plugins = ["sphinx.testing.fixtures"]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return Path(__file__).parent / "roots"


class BuiltSite:
    """The real site, built once, with its pages parsed on demand."""

    def __init__(self, outdir: Path, warnings: str, source_changes: list[str]) -> None:
        self.outdir = outdir
        self.warnings = warnings
        # What the build added, removed or changed in the repository (nothing, we hope).
        self.source_changes = source_changes
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
    before = source_tree_snapshot(REPO)
    app = SphinxTestApp("html", srcdir=REPO, builddir=builddir)
    try:
        app.build()
    finally:
        app.cleanup()
    changes = snapshot_changes(before, source_tree_snapshot(REPO))
    return BuiltSite(Path(app.outdir), app.warning.getvalue(), changes)


# -- Helpers for the tests ----------------------------------------------------

_ANSI_CODES = re.compile(r"\x1b\[[0-9;]*[mK]")

# Not the source: the build output, the virtual environment, and the caches
# that Python and pytest keep beside the code they run.
_NOT_SOURCE = {".git", ".venv", "_build", "__pycache__", ".pytest_cache", "node_modules"}


def problem_lines(log: str) -> list[str]:
    """The warning and error lines of a build log, without colours."""
    lines = _ANSI_CODES.sub("", log).splitlines()
    return [line for line in lines if "WARNING:" in line or "ERROR:" in line]


def source_tree_snapshot(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Every source file under *folder*: size, modification time and content hash."""
    snapshot = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or _NOT_SOURCE.intersection(relative.parts):
            continue
        stat = path.stat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        snapshot[relative.as_posix()] = (stat.st_size, stat.st_mtime_ns, digest)
    return snapshot


def snapshot_changes(before: dict, after: dict) -> list[str]:
    """The files added, removed or changed between two snapshots, by name."""
    added = [f"added {name}" for name in sorted(after.keys() - before.keys())]
    removed = [f"removed {name}" for name in sorted(before.keys() - after.keys())]
    changed = [
        f"changed {name}" for name in sorted(before.keys() & after.keys())
        if before[name] != after[name]
    ]
    return added + removed + changed


def copy_root(rootdir: Path, name: str, destination: Path) -> Path:
    """A private, editable copy of the test root *name* (``tests/roots/test-<name>``)."""
    source = destination / "src"
    shutil.copytree(rootdir / f"test-{name}", source)
    return source
