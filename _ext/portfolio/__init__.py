"""The portfolio's Sphinx wiring.

Front matter in ``work/`` and ``articles/`` is read once per build, validated,
and kept on the environment; directives and transforms render it. This module
only connects the pieces: see ``content`` (reading and validation),
``directives`` (what the pages show), ``pages`` (per-page additions) and
``assets`` (which stylesheets and scripts each page loads).
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.util.typing import ExtensionMetadata

from .assets import setup_assets
from .content import PortfolioError, load_portfolio
from .directives import setup_directives
from .pages import setup_pages

__version__ = "1.0.0"
__all__ = ["PortfolioError", "load_portfolio", "setup"]


def _check_config(app: Sphinx, config) -> None:
    for name in ("portfolio_name", "portfolio_role", "portfolio_headline"):
        if not str(getattr(config, name)).strip():
            raise PortfolioError(f"conf.py: setting '{name}': empty; write the text in conf.py.")
    for index, entry in enumerate(config.portfolio_contact):
        missing = [key for key in ("label", "url", "text") if not str(entry.get(key, "")).strip()]
        if missing:
            raise PortfolioError(
                f"conf.py: setting 'portfolio_contact', entry {index + 1}: missing "
                f"{', '.join(repr(key) for key in missing)}; give each entry a label, a url and a text."
            )
    # Pages write {{ portfolio_name }} and friends; the values live in one place.
    config.myst_substitutions = {
        **config.myst_substitutions,
        "portfolio_name": config.portfolio_name,
        "portfolio_role": config.portfolio_role,
        "portfolio_headline": config.portfolio_headline,
    }


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_config_value("portfolio_name", "", "env", types=[str])
    app.add_config_value("portfolio_role", "", "env", types=[str])
    app.add_config_value("portfolio_headline", "", "env", types=[str])
    app.add_config_value("portfolio_contact", [], "env", types=[list])
    app.connect("config-inited", _check_config)
    setup_directives(app)
    setup_pages(app)
    setup_assets(app)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
