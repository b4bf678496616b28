"""Suggested searches for the search page, from the pieces' own titles.

Input: the portfolio's areas and case studies. Output: ``portfolio_search_suggestions``
in the search page's context, a few words that the most titles share (``forex``,
``platform``, ...), which ``_templates/search.html`` offers as links. They come from
whatever pieces the site has, so a fork suggests its own words.
"""

from __future__ import annotations

import re
from collections import Counter

from .collector import page

SUGGESTIONS = 5
# Long enough to name a subject ("forex", "platform"), not a joining word.
_WORD = re.compile(r"[A-Za-z]{5,}")


def search_suggestions(env, count: int = SUGGESTIONS) -> list[str]:
    """The words most titles share, most shared first, then in reading order."""
    pieces = Counter()
    first_seen = {}
    for item in (*env.portfolio.areas, *env.portfolio.articles):
        words = [word.lower() for word in _WORD.findall(page(env, item.docname).title)]
        pieces.update(set(words))
        for word in words:
            first_seen.setdefault(word, len(first_seen))
    ranked = sorted(pieces, key=lambda word: (-pieces[word], first_seen[word]))
    return ranked[:count]


def _suggest_on_search_page(app, pagename, templatename, context, doctree) -> None:
    if pagename == "search":
        context["portfolio_search_suggestions"] = search_suggestions(app.env)


def setup_search_page(app) -> None:
    app.connect("html-page-context", _suggest_on_search_page)
