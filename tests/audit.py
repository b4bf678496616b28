"""Lighthouse on the built site: mobile and desktop, the home page and one piece.

Input: a built site folder (``_build/html`` unless given). Output: on stdout, a table of the four
category scores and the core figures (FCP, LCP, TBT, CLS, Speed Index) for each run; the full
reports in ``_build/lighthouse/``. ``make audit`` runs it; ``test_audit.py`` runs the same four
audits once per test session (each form factor's two on one worker) and holds accessibility,
best practices and SEO at 100.

Lighthouse (from node_modules) drives Debian's Chromium with the same flags as the browser tests,
against a server on 127.0.0.1: nothing leaves the machine.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import CHROMIUM, CHROMIUM_ARGS, LIGHTHOUSE, REPO, SiteServer  # noqa: E402

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
FIGURES = {
    "FCP": "first-contentful-paint",
    "LCP": "largest-contentful-paint",
    "TBT": "total-blocking-time",
    "CLS": "cumulative-layout-shift",
    "SI": "speed-index",
}
FORM_FACTORS = ["mobile", "desktop"]
REPORTS = REPO / "_build" / "lighthouse"


class _FirstCardLink(HTMLParser):
    """The first card's link on the home page: the piece the audit looks at."""

    def __init__(self) -> None:
        super().__init__()
        self.href: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if self.href is None and tag == "a" and "sd-stretched-link" in (attributes.get("class") or ""):
            self.href = attributes.get("href")


def audited_pages(outdir: Path) -> list[str]:
    """The home page and the piece its first card links to."""
    parser = _FirstCardLink()
    parser.feed((outdir / "index.html").read_text(encoding="utf-8"))
    if parser.href is None:
        raise SystemExit(f"{outdir / 'index.html'}: no card links to a piece; is this the portfolio's build?")
    return ["index.html", parser.href]


@dataclass
class Audit:
    """The figures of one Lighthouse run."""

    form_factor: str
    page: str
    scores: dict[str, int]
    figures: dict[str, float]

    @classmethod
    def from_report(cls, form_factor: str, page: str, report: dict) -> Audit:
        # A run of some categories only (the tests': no performance) has only their scores and figures.
        scores = {name: round(category["score"] * 100) for name, category in report["categories"].items()}
        figures = {label: report["audits"][key]["numericValue"] for label, key in FIGURES.items()
                   if key in report["audits"]}
        return cls(form_factor, page, scores, figures)

    def failing_audits(self, report: dict, category: str) -> list[str]:
        """What keeps *category* under 100: the scored audits that did not pass."""
        failing = []
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                failing.append(f"{ref['id']}: {audit['title']}")
        return failing


def chrome_flags() -> str:
    """CHROMIUM_ARGS as one --chrome-flags value: Lighthouse splits it like a shell would."""
    flags = []
    for arg in CHROMIUM_ARGS:
        name, equals, value = arg.partition("=")
        flags.append(f"{name}={shlex.quote(value)}" if equals and " " in value else arg)
    return " ".join(flags)


def run_lighthouse(url: str, form_factor: str, categories: list[str] = CATEGORIES) -> dict:
    """One Lighthouse run on *url*; its JSON report."""
    command = [
        str(LIGHTHOUSE), url,
        "--output=json", "--output-path=stdout", "--quiet",
        f"--only-categories={','.join(categories)}",
        f"--chrome-path={CHROMIUM}",
        f"--chrome-flags={chrome_flags()}",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    result = subprocess.run(command, capture_output=True, text=True, timeout=240)
    if result.returncode != 0:
        raise RuntimeError(f"Lighthouse failed on {url} ({form_factor}):\n{result.stderr[-3000:]}")
    report = json.loads(result.stdout)
    if report.get("runtimeError"):
        raise RuntimeError(f"Lighthouse could not load {url}: {report['runtimeError']}")
    return report


def run_audits(base_url: str, outdir: Path, form_factors: list[str] = FORM_FACTORS,
               categories: list[str] = CATEGORIES, together: bool = False) -> list[tuple[Audit, dict]]:
    """The audits (mobile and desktop, or those of *form_factors*; home page and a piece) of the
    site *outdir* as served at *base_url*, in *categories*; reports saved. *together* runs a
    form factor's pages at once: Lighthouse spends half its time waiting for the page to
    settle. Its timings are then not a phone's or a laptop's, so only runs that read no timing
    (the tests) ask for it."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    pages = audited_pages(outdir)
    results = []
    with ThreadPoolExecutor(max_workers=len(pages) if together else 1) as runner:
        for form_factor in form_factors:
            urls = [base_url + page for page in pages]
            reports = runner.map(run_lighthouse, urls, [form_factor] * len(urls), [categories] * len(urls))
            for page, report in zip(pages, reports):
                name = page.removesuffix(".html").replace("/", "-")
                (REPORTS / f"{form_factor}-{name}.json").write_text(json.dumps(report), encoding="utf-8")
                results.append((Audit.from_report(form_factor, page, report), report))
    return results


def table(audits: list[Audit]) -> str:
    header = ["run", "page", "perf", "a11y", "best", "seo", "FCP ms", "LCP ms", "TBT ms", "CLS", "SI ms"]
    rows = [header]
    for audit in audits:
        figures = audit.figures
        rows.append([
            audit.form_factor, audit.page, *(str(audit.scores.get(name, "-")) for name in CATEGORIES),
            *("-" if label not in figures else f"{figures[label]:.3f}" if label == "CLS" else f"{figures[label]:.0f}"
              for label in ("FCP", "LCP", "TBT", "CLS", "SI")),
        ])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) for row in rows)


def main(argv: list[str]) -> int:
    outdir = Path(argv[1] if len(argv) > 1 else REPO / "_build" / "html")
    if not (outdir / "index.html").exists():
        raise SystemExit(f"{outdir}: no built site; run `make html` first.")
    for path, install in ((CHROMIUM, "apt-get install -y chromium"), (LIGHTHOUSE, "npm ci --ignore-scripts")):
        if not path.exists():
            raise SystemExit(f"{path} not found: install it with `{install}`.")
    with SiteServer(outdir) as server:
        results = run_audits(server.base_url, outdir)
    print(table([audit for audit, _ in results]))
    print(f"\nMedians are not taken: one run each. Full reports: {REPORTS.relative_to(REPO)}/")
    below = [
        f"{audit.form_factor} {audit.page} {category} {audit.scores[category]}: "
        + "; ".join(audit.failing_audits(report, category))
        for audit, report in results
        for category in ("accessibility", "best-practices", "seo")
        if audit.scores[category] < 100
    ]
    if below:
        print("\nBelow 100:\n  " + "\n  ".join(below))
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
