"""Pinned: every dependency locked with its hashes, installed with hash checking."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parent.parent
LOCKS = {"requirements.txt": "requirements.in", "requirements-test.txt": "requirements-test.in"}


def locked(lock: str) -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) from a pip-compile lock with --generate-hashes."""
    text = (REPO / lock).read_text(encoding="utf-8").replace("\\\n", " ")
    entries = {}
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        requirement, *options = line.split(" --hash=")
        name, _, version = requirement.strip().partition("==")
        entries[name.lower()] = (version, [option.strip() for option in options])
    return entries


def direct(source: str) -> list[Requirement]:
    lines = (REPO / source).read_text(encoding="utf-8").splitlines()
    requirements = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            requirements += direct(line[3:].strip())
        elif line and not line.startswith("-"):
            requirements.append(Requirement(line))
    return requirements


@pytest.mark.parametrize("lock", LOCKS)
def test_every_locked_package_has_an_exact_version_and_hashes(lock):
    entries = locked(lock)
    assert entries, f"{lock} is empty"
    for name, (version, hashes) in entries.items():
        assert re.fullmatch(r"[\w.+!-]+", version), f"{lock}: {name} is not pinned with =="
        assert hashes and all(h.startswith("sha256:") for h in hashes), f"{lock}: {name} has no hash"


@pytest.mark.parametrize(("lock", "source"), LOCKS.items())
def test_each_lock_matches_what_its_source_asks_for(lock, source):
    entries = locked(lock)
    for requirement in direct(source):
        name = requirement.name.lower()
        assert name in entries, f"{source} asks for {name}, {lock} lacks it: run make lock"
        assert requirement.specifier.contains(entries[name][0]), (
            f"{lock} has {name}=={entries[name][0]}, {source} asks for {requirement}: run make lock"
        )


def test_the_tests_run_the_same_versions_the_site_builds_with():
    site, tests = locked("requirements.txt"), locked("requirements-test.txt")
    assert site.keys() <= tests.keys(), sorted(site.keys() - tests.keys())
    differing = {name: (site[name][0], tests[name][0]) for name in site if site[name] != tests[name]}
    assert not differing, f"site vs tests lock: {differing}"


@pytest.mark.parametrize("lock", [*LOCKS, "package-lock.json"])
def test_the_locks_name_no_index_so_any_mirror_can_serve_them(lock):
    # The hashes pin the files; where they come from is the installer's
    # setting (a company mirror, a proxy, a local cache), not the lock's.
    text = (REPO / lock).read_text(encoding="utf-8")
    if lock.endswith(".json"):
        packages = json.loads(text)["packages"]
        assert all("integrity" in meta for name, meta in packages.items() if name), (
            f"{lock}: a package without its integrity hash"
        )
        named = [name for name, meta in packages.items() if "resolved" in meta]
        assert not named, f"{lock}: download addresses for {named[:3]}: keep omit-lockfile-registry-resolved in .npmrc"
    else:
        named = re.findall(r"^\s*(--(?:index-url|extra-index-url|find-links|trusted-host)\b.*|-[if] .*)$", text, re.M)
        named += re.findall(r"https?://\S+", text)
        assert not named, f"{lock}: {named[:3]}: keep --no-emit-index-url in make lock"

