"""Drafts: pieces written and previewed, not yet published.

Input: each piece's front matter (``draft: true``) and the kind of build.
Output: in every build but the preview, the drafts added to
``exclude_patterns`` at ``config-inited``, so Sphinx never reads them: no
page, card, navigation entry, search entry, sitemap line, feed entry or
``llms`` line (``content.load_portfolio`` leaves them out of the portfolio
too). The preview is ``make livehtml`` (``-A portfolio_preview=1``); a
publishing build (``placeholders.is_publishing``) leaves drafts out whatever
it is told.
"""

from __future__ import annotations

from pathlib import Path

from .content import ARTICLES_DIR
from .front_matter import PortfolioError, read_front_matter
from .placeholders import is_publishing


def includes_drafts(config) -> bool:
    return bool(config.html_context.get("portfolio_preview")) and not is_publishing()


def draft_paths(srcdir: str | Path) -> list[str]:
    """The pieces under *srcdir* whose front matter says ``draft: true``."""
    drafts = []
    for path in sorted((Path(srcdir) / ARTICLES_DIR).glob("*.md")):
        relpath = f"{ARTICLES_DIR}/{path.name}"
        try:
            data, _ = read_front_matter(path.read_bytes(), relpath)
        except PortfolioError:  # reported, with its fix, when the portfolio is read
            continue
        if data.get("draft") is True:
            drafts.append(relpath)
    return drafts


def _leave_out_drafts(app, config) -> None:
    if not includes_drafts(config):
        config.exclude_patterns = [*config.exclude_patterns, *draft_paths(app.srcdir)]


def setup_drafts(app) -> None:
    app.connect("config-inited", _leave_out_drafts)
