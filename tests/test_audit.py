"""Lighthouse holds accessibility, best practices and SEO at 100, on phones and desktops.

The four audits (mobile and desktop, the home page and one piece) are ``make audit``'s, which
also reports performance and its timings. Here Lighthouse runs only the three categories
asserted: performance depends on the machine, and skipping it spares a third of each run.
Each form factor's two audits run once per test run, at the same time, on the first
pytest-xdist worker to need them.
"""

from __future__ import annotations

import pytest
from audit import FORM_FACTORS, Audit, run_audits, table
from browser import CHROMIUM, LIGHTHOUSE, NPM_CI, REPO, once_per_run, require_command, require_file

ASSERTED = ["accessibility", "best-practices", "seo"]

pytestmark = pytest.mark.audit


@pytest.fixture(scope="session")
def lighthouse_runs(site, tmp_path_factory):
    """The home page's and a piece's audits for a form factor, run on first use."""
    require_file(CHROMIUM, "Chromium", "apt-get install -y chromium")
    require_file(LIGHTHOUSE, "Lighthouse", f"{NPM_CI} (in {REPO})")
    # Lighthouse is a Node program: without node its launcher fails with a bare "not found".
    require_command("node", "apt-get install -y nodejs")
    cache: dict[str, list[tuple[Audit, dict]]] = {}

    def runs(form_factor: str) -> list[tuple[Audit, dict]]:
        if form_factor not in cache:
            reports = once_per_run(tmp_path_factory, f"lighthouse-{form_factor}", lambda: [
                {"page": audit.page, "report": report}
                for audit, report in run_audits(site.base_url, site.outdir, [form_factor], ASSERTED, together=True)
            ])
            cache[form_factor] = [
                (Audit.from_report(form_factor, run["page"], run["report"]), run["report"]) for run in reports
            ]
            print("\n" + table([audit for audit, _ in cache[form_factor]]))
        return cache[form_factor]

    return runs


@pytest.mark.parametrize("form_factor", FORM_FACTORS)
@pytest.mark.parametrize("category", ASSERTED)
def test_lighthouse_scores_100(lighthouse_runs, form_factor, category):
    runs = lighthouse_runs(form_factor)
    assert len(runs) == 2, f"expected {form_factor} runs on the home page and a piece"
    below = [
        f"{audit.form_factor} {audit.page}: {audit.scores[category]} ("
        + "; ".join(audit.failing_audits(report, category)) + ")"
        for audit, report in runs if audit.scores[category] < 100
    ]
    assert not below, f"Lighthouse {category} under 100:\n  " + "\n  ".join(below)
