"""Pinned: each lock holds what its source asks for, and the tests run the versions the site builds with."""

from __future__ import annotations

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


