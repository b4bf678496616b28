"""Shared fixtures: sphinx.testing for the tiny roots, one real-site build per session.

The real site is built as a project site under a sub-path (``/portfolio/``) and
served from 127.0.0.1 the way GitHub Pages serves one: files under the prefix,
and the site's own 404.html, with status 404, for anything missing.
"""

from __future__ import annotations

import mimetypes
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from source_tree import changes, snapshot

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "_ext"))
# `make test` sets PYTHONDONTWRITEBYTECODE; a direct pytest run may not. From
# here on, the test modules and the extension leave no __pycache__ behind (this
# file and source_tree.py are compiled before it runs: use `make test`).
sys.dont_write_bytecode = True

pytest_plugins = ["sphinx.testing.fixtures", "browser"]

_SOURCE_BEFORE = pytest.StashKey[dict]()
_HYPOTHESIS_HOME = pytest.StashKey[Path]()


def pytest_configure(config) -> None:
    # The tests read what Sphinx and make print, line by line: keep it plain
    # text even where the caller's shell asks for colour (FORCE_COLOR in CI).
    os.environ["NO_COLOR"] = "1"
    os.environ.pop("FORCE_COLOR", None)
    # Hypothesis keeps caches in ./.hypothesis unless told otherwise; the test
    # run writes nothing into the repository.
    from hypothesis.configuration import set_hypothesis_home_dir

    config.stash[_HYPOTHESIS_HOME] = Path(tempfile.mkdtemp(prefix="hypothesis-"))
    set_hypothesis_home_dir(config.stash[_HYPOTHESIS_HOME])


def pytest_unconfigure(config) -> None:
    if _HYPOTHESIS_HOME in config.stash:
        shutil.rmtree(config.stash[_HYPOTHESIS_HOME], ignore_errors=True)


def pytest_addoption(parser) -> None:
    parser.addoption("--site-checks-only", action="store_true",
                     help="run only the engine's checks of the built site (test_make_it_yours)")


def pytest_collection_modifyitems(config, items) -> None:
    """With --site-checks-only, keep the tests that read the session's built site and need
    no browser: the engine's checks, as the fork test runs them on a made-up owner's site."""
    if not config.getoption("--site-checks-only"):
        return
    skipped = {"browser", "audit", "site_content"}
    kept = [item for item in items if "site" in item.fixturenames
            and not skipped & {mark.name for mark in item.iter_markers()}]
    config.hook.pytest_deselected(items=[item for item in items if item not in kept])
    items[:] = kept


def pytest_sessionstart(session) -> None:
    session.config.stash[_SOURCE_BEFORE] = snapshot(REPO)


def pytest_sessionfinish(session, exitstatus) -> None:
    """The test run itself writes nothing into the source tree: fail it if it did."""
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


SITE_PREFIX = "/portfolio/"


class SubPathHost:
    """A static host on 127.0.0.1 serving a folder under a URL prefix, 404.html for misses.

    The port is bound on creation, so the site can be built for its address
    before there is anything to serve.
    """

    def __init__(self, prefix: str = SITE_PREFIX) -> None:
        self.prefix = prefix
        self.root: Path | None = None
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                host._answer(self, with_body=True)

            def do_HEAD(self) -> None:
                host._answer(self, with_body=False)

            def log_message(self, *args) -> None:
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address) -> None:
                # The browser dropped a request it no longer needed (its page was closed
                # while loading): nothing went wrong, and the test run prints no traceback.
                if not isinstance(sys.exc_info()[1], ConnectionError):
                    super().handle_error(request, client_address)

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}{prefix}"
        self._thread: threading.Thread | None = None

    def serve(self, root: Path) -> None:
        self.root = root.resolve()
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self.server.shutdown()
        self.server.server_close()

    def _file_for(self, path: str) -> Path | None:
        if not path.startswith(self.prefix):
            return None
        target = (self.root / unquote(path[len(self.prefix):])).resolve()
        if not target.is_relative_to(self.root):
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def _is_folder_without_slash(self, path: str) -> bool:
        if path + "/" == self.prefix:
            return True
        if not path.startswith(self.prefix) or path.endswith("/"):
            return False
        return (self.root / unquote(path[len(self.prefix):])).is_dir()

    def _answer(self, request: BaseHTTPRequestHandler, with_body: bool) -> None:
        path = urlsplit(request.path).path
        if self._is_folder_without_slash(path):
            request.send_response(HTTPStatus.MOVED_PERMANENTLY)
            request.send_header("Location", path + "/")
            request.end_headers()
            return
        target, status = self._file_for(path), HTTPStatus.OK
        if target is None:
            target, status = self.root / "404.html", HTTPStatus.NOT_FOUND
        body = target.read_bytes() if target.is_file() else b"The site has no 404.html."
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        request.send_response(status)
        request.send_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/") else ""))
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        if with_body:
            request.wfile.write(body)


class BuiltSite:
    """The real site, built once, with its pages parsed on demand."""

    def __init__(
        self, outdir: Path, warnings: str, base_url: str, source_changes: list[str]
    ) -> None:
        self.source = REPO
        self.outdir = outdir
        self.warnings = warnings
        # The address it was built for and is served at (SubPathHost).
        self.base_url = base_url
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
def site_host():
    """The address the real site is built for; it serves the site once built."""
    host = SubPathHost()
    yield host
    host.stop()


@pytest.fixture(scope="session")
def site(tmp_path_factory, site_host) -> BuiltSite:
    """Build the repository's own site into a temporary folder, as a project site."""
    from sphinx.testing.util import SphinxTestApp

    builddir = tmp_path_factory.mktemp("site")
    before = snapshot(REPO)
    app = SphinxTestApp(
        "html", srcdir=REPO, builddir=builddir,
        confoverrides={"html_baseurl": site_host.base_url},
    )
    try:
        app.build()
    finally:
        app.cleanup()
    source_changes = changes(before, snapshot(REPO))
    site_host.serve(Path(app.outdir))
    return BuiltSite(Path(app.outdir), app.warning.getvalue(), site_host.base_url, source_changes)


# -- Helpers for the tests ----------------------------------------------------


def front_matter(source: Path = REPO) -> dict[str, dict]:
    """Each area's and piece's front matter, by docname ("work/x", "articles/y"), read from
    the pages themselves: what the site must show, known without the code under test."""
    pages = {}
    for path in sorted([*source.glob("work/*.md"), *source.glob("articles/*.md")]):
        text = path.read_text(encoding="utf-8")
        fields = yaml.safe_load(text.split("---\n", 2)[1]) if text.startswith("---\n") else {}
        pages[path.relative_to(source).with_suffix("").as_posix()] = fields or {}
    return pages

_ANSI_CODES = re.compile(r"\x1b\[[0-9;]*[mK]")

def problem_lines(log: str) -> list[str]:
    """The warning and error lines of a build log, without colours."""
    lines = _ANSI_CODES.sub("", log).splitlines()
    return [line for line in lines if "WARNING:" in line or "ERROR:" in line]


def copy_root(rootdir: Path, name: str, destination: Path) -> Path:
    """A private, editable copy of the test root *name* (``tests/roots/test-<name>``)."""
    source = destination / "src"
    shutil.copytree(rootdir / f"test-{name}", source)
    return source


def copy_site(destination: Path) -> Path:
    """A private, editable copy of the repository's site: its sources, no build output,
    caches, installed tools or history."""
    source = destination / "site"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        "_build", ".venv", "venv", "node_modules", ".git", "__pycache__", ".pytest_cache",
        ".hypothesis",
    ))
    return source


def sphinx_build(source: Path, outdir: Path, *options: str, **environ: str) -> subprocess.CompletedProcess:
    """The command the Makefile runs, on *source*, with the extension importable: a local
    build, unless *environ* makes it a publishing one (READTHEDOCS=..., PORTFOLIO_PUBLISH=1)."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("READTHEDOCS", "PORTFOLIO_PUBLISH", "PORTFOLIO_BASE_URL")}
    env.update(
        PYTHONPATH=os.pathsep.join([str(REPO / "_ext"), os.environ.get("PYTHONPATH", "")]),
        # Importing the extension must not leave bytecode in the repository either.
        PYTHONDONTWRITEBYTECODE="1", NO_COLOR="1", **environ,
    )
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-b", "html", *options,
         str(source), str(outdir)],
        capture_output=True, text=True, env=env, check=False,
    )
