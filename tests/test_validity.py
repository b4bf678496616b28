"""Valid HTML and CSS, as the Nu HTML checker (vnu-jar, from node_modules) sees them.

One JVM run checks every built page and every stylesheet a page links to. An error fails the
test with the file, line and message; warnings are left to people.
"""

from __future__ import annotations

import json
import subprocess
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from browser import NPM_CI, REPO, VNU_JAR, require_command, require_file

JRE_INSTALL = "apt-get install -y default-jre-headless"
# A run of seconds: the JVM's quick compiler alone (half the CPU of the default's two), and the
# deeper stack the checker then needs for its schema (it says so itself without one).
JAVA_OPTIONS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss4m"]


def _vnu_errors(files: list[Path], *options: str) -> dict[str, list[str]]:
    """The checker's errors, by file name relative to the build folder."""
    require_file(VNU_JAR, "The Nu HTML checker (vnu-jar)", f"{NPM_CI} (in {REPO})")
    java = require_command("java", JRE_INSTALL)
    result = subprocess.run(
        [java, *JAVA_OPTIONS, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *options,
         *map(str, files)],
        capture_output=True, text=True, timeout=300,
    )
    # vnu exits 1 when it finds errors and writes its JSON report to stderr either way.
    try:
        report = json.loads(result.stderr or result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"the Nu HTML checker did not run (exit {result.returncode}):\n{result.stderr[-2000:]}")
    errors = defaultdict(list)
    for message in report["messages"]:
        name = unquote(urlsplit(message.get("url", "")).path)
        errors[name].append(f"line {message.get('lastLine', '?')}: {message['message']}")
    return dict(errors)


def _named(errors: dict[str, list[str]], outdir: Path) -> str:
    return "\n".join(
        f"{Path(name).relative_to(outdir) if name.startswith(str(outdir)) else name}:\n  " + "\n  ".join(found)
        for name, found in errors.items()
    )


def _linked_stylesheets(site) -> list[Path]:
    """Every stylesheet of the site's own that a built page links to: what visitors are sent."""
    sheets = set()
    for page in site.pages():
        for link in site.soup(page).select('link[rel~="stylesheet"][href]'):
            url = urljoin(site.base_url + page, link["href"])
            if url.startswith(site.base_url):
                sheets.add(site.outdir / unquote(urlsplit(url.removeprefix(site.base_url)).path))
    return sorted(sheets)


@pytest.fixture(scope="module")
def checked(site) -> tuple[list[Path], dict[str, list[str]]]:
    """The stylesheets the pages link to, and the checker's errors in the pages or those."""
    pages = [site.outdir / page for page in site.pages()]
    sheets = _linked_stylesheets(site)
    existing = [sheet for sheet in sheets if sheet.exists()]
    return sheets, _vnu_errors([*pages, *existing], "--also-check-css")


def _errors_in(errors: dict[str, list[str]], files: list[Path], inside: bool = True) -> dict[str, list[str]]:
    """The errors in *files*, or with *inside* false, in anything else (a message on no file too)."""
    names = {str(path.resolve()) for path in files}
    return {name: found for name, found in errors.items()
            if (bool(name) and str(Path(name).resolve()) in names) == inside}


def test_every_page_is_valid_html(site, checked):
    sheets, everything = checked
    errors = _errors_in(everything, sheets, inside=False)
    assert not errors, "the Nu HTML checker finds errors:\n" + _named(errors, site.outdir.resolve())


def test_shipped_css_parses_without_errors(site, checked):
    sheets, everything = checked
    missing = [sheet for sheet in sheets if not sheet.exists()]
    assert not missing, f"pages link to stylesheets that are not in the build: {missing}"
    assert sheets, "no page links a stylesheet of the site's own: the check would look at nothing"
    errors = _errors_in(everything, sheets)
    assert not errors, "the CSS checker finds errors:\n" + _named(errors, site.outdir.resolve())
