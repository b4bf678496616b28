"""The build, as `make` runs it: reproducible, confined to its output, never lost.

Each test works on a copy of the repository in a temporary folder (the same
files, with the test run's own environment), so it can build, interrupt and
clean without touching the developer's `_build`.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
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


def test_a_bare_sphinx_build_into_a_folder_of_the_source_writes_only_there(tmp_path):
    # What a reader of Sphinx's own docs types: `sphinx-build . _site`, no -d.
    repo = copy_of_repo(tmp_path / "portfolio")
    before = snapshot(repo)
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", ".", "_site"],
        cwd=repo, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "NO_COLOR": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert (repo / "_site" / "index.html").is_file()
    written = [line for line in changes(before, snapshot(repo)) if not line.startswith("added _site/")]
    assert not written, written


def test_the_published_folder_holds_only_the_site(built_copy):
    repo, _ = built_copy
    html = repo / "_build" / "html"
    assert (html / "index.html").is_file()
    assert not (html / ".doctrees").exists(), "the doctree cache belongs in _build/doctrees"


def test_two_clones_of_one_commit_build_byte_identical_sites_from_its_history(tmp_path):
    # What the hosts do: a git checkout, nothing setting SOURCE_DATE_EPOCH, every
    # printed date taken from the commits. Built in two places, clocks in two zones, so no
    # file may depend on the folder or the time zone either.
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout: the dates come from git history")
    sites = []
    for name, zone in (("one", "UTC"), ("two", "Asia/Tokyo")):
        clone = tmp_path / name / "portfolio"
        subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True, timeout=120)
        env = {**os.environ, "TZ": zone}
        for variable in ("SOURCE_DATE_EPOCH", "READTHEDOCS", "PORTFOLIO_PUBLISH"):
            env.pop(variable, None)
        # A fresh clone's requirements.txt is newer than the environment's stamp: -o
        # keeps make from installing into the environment running these tests.
        result = subprocess.run(
            ["make", "--no-print-directory", f"VENV={sys.prefix}",
             "-o", f"{sys.prefix}/bin/.site-requirements", "html"],
            cwd=clone, env=env, capture_output=True, text=True, timeout=600,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        site = files_of(clone / "_build" / "html")
        leaked = [name for name, data in site.items() if str(clone).encode() in data]
        assert not leaked, f"the build folder's path appears in {leaked}"
        sites.append(site)
    one, two = sites
    assert one.keys() == two.keys(), sorted(one.keys() ^ two.keys())
    differing = sorted(name for name in one if one[name] != two[name])
    assert not differing, f"two clones of one commit built different files: {differing}"


def test_every_printed_date_comes_from_source_date_epoch(built_copy):
    repo, _ = built_copy
    html = repo / "_build" / "html"
    this_year = str(time.gmtime().tm_year)
    for page in html.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "2001" in text, f"{page.name}: the copyright year does not follow SOURCE_DATE_EPOCH"
        footer = text[text.rfind("<footer"):]
        assert this_year not in footer, f"{page.name}: a date from the clock in the footer"


EDITED_SENTENCE = "Edited since the last build."


def edit_a_summary(repo: Path) -> tuple[str, str]:
    """Add a sentence to the first article's summary; return its area and the new summary."""
    article = sorted((repo / "articles").glob("*.md"))[0]
    _, front_matter, body = article.read_text(encoding="utf-8").split("---\n", 2)
    fields = yaml.safe_load(front_matter)
    fields["summary"] = f"{' '.join(fields['summary'].split())} {EDITED_SENTENCE}"
    dumped = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=10_000)
    article.write_text(f"---\n{dumped}---\n{body}", encoding="utf-8")
    return fields["area"], fields["summary"]


@pytest.fixture(scope="module")
def clean_build_of_an_edited_summary(tmp_path_factory):
    """The site built from scratch after edit_a_summary: what every rebuild must produce."""
    repo = copy_of_repo(tmp_path_factory.mktemp("edited") / "portfolio")
    edit_a_summary(repo)
    result = make(repo, "html")
    assert result.returncode == 0, result.stdout + result.stderr
    return files_of(repo / "_build" / "html")


def previously_built_copy(built_copy, destination: Path) -> Path:
    previous_repo, _ = built_copy
    repo = copy_of_repo(destination)
    shutil.copytree(previous_repo / "_build", repo / "_build")
    return repo


def assert_same_site(built: dict[str, bytes], clean: dict[str, bytes]) -> None:
    assert built.keys() == clean.keys(), sorted(built.keys() ^ clean.keys())
    differing = sorted(name for name in built if built[name] != clean[name])
    assert not differing, f"these files differ from a clean build of the same sources: {differing}"


def kill_when_writing_starts(build: subprocess.Popen, timeout: float = 300) -> bytes:
    """Read make's output as it comes; kill its process group at Sphinx's first written page."""
    output = b""
    deadline = time.monotonic() + timeout
    while b"writing output... [" not in output:
        assert time.monotonic() < deadline, f"the build never started writing:\n{output.decode()}"
        ready, _, _ = select.select([build.stdout], [], [], 1)
        if ready:
            chunk = os.read(build.stdout.fileno(), 65536)
            if not chunk:
                build.wait()
                pytest.fail(f"make html ended before writing a page:\n{output.decode()}")
            output += chunk
    os.killpg(build.pid, signal.SIGKILL)
    assert build.wait() != 0, "the build finished before it could be interrupted"
    build.stdout.close()
    return output


def test_a_build_killed_while_writing_pages_leaves_the_previous_site_and_rebuilds_cleanly(
    built_copy, clean_build_of_an_edited_summary, tmp_path
):
    repo = previously_built_copy(built_copy, tmp_path / "portfolio")
    published = repo / "_build" / "html"
    before = files_of(published)
    edit_a_summary(repo)

    build = make(repo, "html", stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    kill_when_writing_starts(build)
    assert files_of(published) == before, "the interrupted build changed the published site"

    finished = make(repo, "html")
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert_same_site(files_of(published), clean_build_of_an_edited_summary)
    assert not (repo / "_build" / "html.new").exists()
    assert not (repo / "_build" / "doctrees.new").exists()


def test_a_failed_build_keeps_the_site_and_the_next_build_shows_every_edit(
    built_copy, clean_build_of_an_edited_summary, tmp_path
):
    repo = previously_built_copy(built_copy, tmp_path / "portfolio")
    published = repo / "_build" / "html"
    before = files_of(published)
    area, _ = edit_a_summary(repo)
    index = repo / "index.md"
    original_index = index.read_text(encoding="utf-8")
    index.write_text(original_index + "\nSee {doc}`/no-such-page`.\n", encoding="utf-8")

    failed = make(repo, "html")
    assert failed.returncode != 0, "a link to a missing page must fail the build"
    assert files_of(published) == before, "the failed build changed the published site"

    index.write_text(original_index, encoding="utf-8")
    fixed = make(repo, "html")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    area_page = (published / "work" / f"{area}.html").read_text(encoding="utf-8")
    assert EDITED_SENTENCE in area_page, "the area's cards do not show the edited summary"
    assert_same_site(files_of(published), clean_build_of_an_edited_summary)


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


def test_livehtml_starts_writes_only_into_build_and_reloads_live(tmp_path):
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
    # The preview carries no Content-Security-Policy, so the live-reload script the server
    # adds runs; a published build always carries one (test_privacy.py).
    assert "WebSocket" in re.findall(r"<script>(.*?)</script>", page, re.DOTALL)[-1]
    assert "Content-Security-Policy" not in page, "the preview's policy would block its live reload"
