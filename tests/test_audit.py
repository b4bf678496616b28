"""Lighthouse holds accessibility, best practices and SEO at 100, on phones and desktops.

The four audits (mobile and desktop, the home page and one piece) run once per session, as
``make audit`` runs them; performance is reported there, not asserted here.
"""

from __future__ import annotations

import pytest
from audit import Audit, run_audits, table
from browser import CHROMIUM, LIGHTHOUSE, NPM_CI, REPO, require_command, require_file

pytestmark = pytest.mark.audit


@pytest.fixture(scope="session")
def lighthouse_runs(site) -> list[tuple[Audit, dict]]:
    require_file(CHROMIUM, "Chromium", "apt-get install -y chromium")
    require_file(LIGHTHOUSE, "Lighthouse", f"{NPM_CI} (in {REPO})")
    # Lighthouse is a Node program: without node its launcher fails with a bare "not found".
    require_command("node", "apt-get install -y nodejs")
    runs = run_audits(site.base_url, site.outdir)
    print("\n" + table([audit for audit, _ in runs]))
    return runs


@pytest.mark.parametrize("category", ["accessibility", "best-practices", "seo"])
def test_lighthouse_scores_100(lighthouse_runs, category):
    assert len(lighthouse_runs) == 4, "expected mobile and desktop runs on the home page and a piece"
    below = [
        f"{audit.form_factor} {audit.page}: {audit.scores[category]} ("
        + "; ".join(audit.failing_audits(report, category)) + ")"
        for audit, report in lighthouse_runs if audit.scores[category] < 100
    ]
    assert not below, f"Lighthouse {category} under 100:\n  " + "\n  ".join(below)
