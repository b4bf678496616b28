"""The build, as `make` runs it: reproducible, confined to its output, never lost.

Each test works on a copy of the repository in a temporary folder (the same
files, with the test run's own environment), so it can build, interrupt and
clean without touching the developer's `_build`.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from source_tree import IGNORED, changes, snapshot

REPO = Path(__file__).resolve().parent.parent
# 2001-09-09 UTC: a year no clock will show, so a date taken from the clock shows up.
SOURCE_DATE_EPOCH = "1000000000"


def copy_of_repo(destination: Path) -> Path:
    shutil.copytree(REPO, destination, ignore=shutil.ignore_patterns(*IGNORED, ".hypothesis"))
    return destination


def make(repo: Path, *targets: str, **popen) -> subprocess.Popen | subprocess.CompletedProcess:
    """Run make in *repo* with this test run's Python environment as the venv."""
    command = ["make", "--no-print-directory", f"VENV={sys.prefix}", *targets]
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    for variable in ("READTHEDOCS", "PORTFOLIO_PUBLISH"):
        env.pop(variable, None)
    if popen:
        return subprocess.Popen(command, cwd=repo, env=env, start_new_session=True, **popen)
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=600)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def built_copy(tmp_path_factory):
    """A copy of the repository, its tree fingerprinted, then built with `make html`."""
    repo = copy_of_repo(tmp_path_factory.mktemp("first") / "portfolio")
    before = snapshot(repo)
    result = make(repo, "html")
    assert result.returncode == 0, result.stdout + result.stderr
    return repo, before


def test_make_html_writes_only_into_build(built_copy):
    repo, before = built_copy
    assert not changes(before, snapshot(repo)), changes(before, snapshot(repo))
    assert (repo / "_build" / "html" / "index.html").is_file()
    assert not (repo / "_build" / "html.new").exists()


def test_the_published_folder_holds_only_the_site(built_copy):
    repo, _ = built_copy
    html = repo / "_build" / "html"
    assert (html / "index.html").is_file()
    assert not (html / ".doctrees").exists(), "the doctree cache belongs in _build/doctrees"


def test_two_clean_builds_in_different_folders_are_byte_identical(built_copy, tmp_path):
    first, _ = built_copy
    second = copy_of_repo(tmp_path / "elsewhere" / "portfolio-again")
    result = make(second, "html")
    assert result.returncode == 0, result.stdout + result.stderr
    one, two = files_of(first / "_build" / "html"), files_of(second / "_build" / "html")
    assert one.keys() == two.keys(), sorted(one.keys() ^ two.keys())
    differing = sorted(name for name in one if one[name] != two[name])
    assert not differing, f"these files differ between two builds of the same sources: {differing}"
    for folder in (first, second):
        leaked = [name for name, data in one.items() if str(folder).encode() in data]
        assert not leaked, f"the build folder's path appears in {leaked}"


def test_every_printed_date_comes_from_source_date_epoch(built_copy):
    repo, _ = built_copy
    html = repo / "_build" / "html"
    this_year = str(time.gmtime().tm_year)
    for page in html.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "2001" in text, f"{page.name}: the copyright year does not follow SOURCE_DATE_EPOCH"
        footer = text[text.rfind("<footer"):]
        assert this_year not in footer, f"{page.name}: a date from the clock in the footer"


def test_an_interrupted_build_leaves_the_previous_site_usable(built_copy, tmp_path):
    previous_repo, _ = built_copy
    repo = copy_of_repo(tmp_path / "portfolio")
    shutil.copytree(previous_repo / "_build", repo / "_build")
    published = repo / "_build" / "html"
    before = files_of(published)
    (repo / "index.md").write_text(
        (repo / "index.md").read_text(encoding="utf-8") + "\nA sentence added since.\n",
        encoding="utf-8",
    )

    build = make(repo, "html", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (repo / "_build" / "html.new").exists():
        if build.poll() is not None:
            pytest.fail("make html finished without building beside the site (_build/html.new)")
        assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(0.02)
    os.killpg(build.pid, signal.SIGKILL)
    assert build.wait() != 0, "the build finished before it could be interrupted"

    assert files_of(published) == before, "the interrupted build changed the published site"
    finished = make(repo, "html")
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "A sentence added since." in (published / "index.html").read_text(encoding="utf-8")
    assert not (repo / "_build" / "html.new").exists()


def test_a_failing_build_leaves_the_previous_site_in_place(built_copy, tmp_path):
    previous_repo, _ = built_copy
    repo = copy_of_repo(tmp_path / "portfolio")
    shutil.copytree(previous_repo / "_build", repo / "_build")
    before = files_of(repo / "_build" / "html")
    (repo / "index.md").write_text("# Broken\n\n{doc}`/no-such-page`\n", encoding="utf-8")
    result = make(repo, "html")
    assert result.returncode != 0
    assert files_of(repo / "_build" / "html") == before


def test_make_clean_removes_only_build_output(built_copy, tmp_path):
    previous_repo, _ = built_copy
    repo = copy_of_repo(tmp_path / "portfolio")
    shutil.copytree(previous_repo / "_build", repo / "_build")
    before = snapshot(repo)
    result = make(repo, "clean")
    assert result.returncode == 0, result.stderr
    assert not (repo / "_build").exists()
    assert snapshot(repo) == before


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_livehtml_starts_writes_only_into_build_and_reloads_under_the_policy(tmp_path):
    repo = copy_of_repo(tmp_path / "portfolio")
    before = snapshot(repo)
    port = free_port()
    log = (tmp_path / "livehtml.log").open("w")
    server = make(repo, "livehtml", f"PORT={port}", stdout=log, stderr=subprocess.STDOUT)
    try:
        page = None
        deadline = time.monotonic() + 180
        while page is None:
            assert server.poll() is None, (tmp_path / "livehtml.log").read_text()
            assert time.monotonic() < deadline, "make livehtml did not serve within 3 minutes"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read().decode("utf-8")
            except OSError:
                time.sleep(0.5)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()

    assert not changes(before, snapshot(repo)), changes(before, snapshot(repo))
    # The preview's live-reload script, added by the server, is allowed by its hash.
    reload_script = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)[-1]
    digest = base64.b64encode(hashlib.sha256(reload_script.encode()).digest()).decode()
    assert "WebSocket" in reload_script
    assert f"'sha256-{digest}'" in page.split("Content-Security-Policy", 1)[1].split(">", 1)[0]
