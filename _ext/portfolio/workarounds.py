"""Upstream behaviours the site opts out of, each with where it comes from.

Input: the configuration. Output: the configuration with the behaviour undone.
"""

from __future__ import annotations


def _no_last_updated_footer(app, config) -> None:
    # sphinx-last-updated-by-git turns html_last_updated_fmt from None into ""
    # on config-inited, which prints "Last updated on ..." in every page's footer
    # (https://github.com/mgeier/sphinx-last-updated-by-git#readme, "The default
    # value for html_last_updated_fmt is changed"). The site uses its dates for
    # the feed only; the pages show a piece's own front-matter date.
    config.html_last_updated_fmt = None


def setup_workarounds(app) -> None:
    # After sphinx-last-updated-by-git's own config-inited handler (priority 500).
    app.connect("config-inited", _no_last_updated_footer, priority=600)
