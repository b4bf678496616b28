"""What a plain rebuild redoes that Sphinx alone would leave stale.

Input: the pages Sphinx found removed, git's ``HEAD`` now and at the last
build, and the pieces git had no date for. Output (``env-get-outdated``): the
pages to read again, so that ``make html`` after replacing the pages, or after
a commit, gives what ``make clean html`` would:

* a page removed: every page is read and written again, and ``searchindex.js``
  starts afresh. Sphinx's index drops a removed page from each word's pages
  but keeps the word itself (``IndexBuilder.prune``), so the removed pages'
  words would stay in the file;
* a commit since the last build: the pieces it touched, so their "Updated"
  date is the new commit's; a piece git had no date for (written, not yet
  committed) is read on every build until it has one.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def _git(srcdir, *args: str) -> str | None:
    """git's output in *srcdir*, or None outside a checkout (or without git)."""
    try:
        result = subprocess.run(["git", *args], cwd=srcdir, capture_output=True, text=True,
                                timeout=30, check=False)
    except OSError:
        return None
    return result.stdout if result.returncode == 0 else None


def _outdated(app, env, added, changed, removed) -> list[str]:
    if removed:
        if index := getattr(app.builder, "searchindex_filename", None):
            (Path(app.outdir) / index).unlink(missing_ok=True)
        return sorted(env.found_docs)
    head = (_git(app.srcdir, "rev-parse", "HEAD") or "").strip() or None
    previous, env.portfolio_git_head = getattr(env, "portfolio_git_head", None), head
    if head is None:
        return []
    stale = set()
    if previous and previous != head:
        paths = _git(app.srcdir, "diff", "--name-only", "--relative", previous, head) or ""
        stale = {env.path2doc(path) for path in paths.splitlines()} - {None}
    portfolio = getattr(env, "portfolio", None)
    dates = getattr(env, "git_last_updated", {})  # sphinx-last-updated-by-git's record
    for piece in (*portfolio.areas, *portfolio.articles) if portfolio else ():
        if getattr(piece, "date", None) is None and (dates.get(piece.docname) or (None,))[0] is None:
            stale.add(piece.docname)
    return sorted(stale & env.found_docs)


def setup_rebuilds(app) -> None:
    app.connect("env-get-outdated", _outdated)
