"""The portfolio's settings: declared, checked and passed on, in one place.

Input: conf.py (and ``-D`` overrides). Output: the ``portfolio_*`` settings
declared with their types; one warning line per problem (file, setting, fix),
each problem setting falling back so the build goes on to report every one;
and what other packages derive from them: sphinx-notfound-page's URL prefix and
sphinxext-opengraph's site URL from ``html_baseurl``, the copyright's year from
git or ``SOURCE_DATE_EPOCH`` (never the clock), the identity as MyST
substitutions, the drafts left out of every build but the preview (``drafts``),
and the diagrams' cache folder made absolute (``diagrams``). (The diagrams' cache folder is resolved by ``diagrams``.)
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sphinx.util import logging

from .checks import warn
from .content import shown
from .diagrams import resolve_cache_dir
from .drafts import leave_out_drafts
from .placeholders import is_publishing, placeholder_message
from .publishing import build_timestamp

logger = logging.getLogger(__name__)

THEMES = ("light", "dark")
# Furo's own brand colours and page backgrounds, for a site that sets none.
FURO_ACCENT = {"light": "#0a4bff", "dark": "#3d94ff"}
FURO_BACKGROUND = {"light": "#ffffff", "dark": "#131416"}
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def add_settings(app) -> None:
    app.add_config_value("portfolio_name", "", "env", types=[str])
    app.add_config_value("portfolio_role", "", "env", types=[str])
    app.add_config_value("portfolio_headline", "", "env", types=[str])
    app.add_config_value("portfolio_contact", [], "env", types=[list])
    # The call to contact that closes the landing page, every piece and every area.
    app.add_config_value("portfolio_closing_question", "", "env", types=[str])
    # The accent of links, the share images (dark) and the icons (light); the browser
    # chrome's colour, each theme's page background.
    app.add_config_value("portfolio_accent", FURO_ACCENT, "html", types=[dict])
    app.add_config_value("portfolio_theme_colors", FURO_BACKGROUND, "html", types=[dict])
    # Off only for the preview (`make livehtml`), to save it the drawing.
    app.add_config_value("portfolio_share_images", True, "html", types=[bool])
    # Where drawn diagrams are kept between builds (diagrams.resolve_cache_dir).
    app.add_config_value("portfolio_diagram_cache", "", "", types=[str])
    # Before sphinx-notfound-page checks its prefix (priority 500) and Sphinx fills
    # %Y (795) and corrects the year to SOURCE_DATE_EPOCH (800).
    app.connect("config-inited", check_settings, priority=400)


def check_settings(app, config) -> None:
    _check_base_url(app, config)
    _check_identity(config)
    _check_colours(config)
    if message := placeholder_message(config.portfolio_contact):
        if is_publishing():
            warn(message, "placeholders")
        else:
            # A notice, not a warning: strict local builds and the tests keep passing.
            logger.info(message, color="yellow")
    if not config.portfolio_share_images and is_publishing():
        logger.info("portfolio_share_images is off, but a publishing build draws them all the same")
        config.portfolio_share_images = True
    leave_out_drafts(app, config)
    resolve_cache_dir(app, config)
    # Pages write {{ portfolio_name }} and friends; the values live in conf.py only.
    config.myst_substitutions = {
        **config.myst_substitutions,
        **{name: config[name] for name in (
            "portfolio_name", "portfolio_role", "portfolio_headline", "portfolio_closing_question")},
    }


def _base_url_problem(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "is not an absolute http(s) URL"
    if parts.query or parts.fragment:
        return "has a query or a fragment"
    if not parts.path.endswith("/"):
        return "does not end with '/'"
    return ""


def _check_base_url(app, config) -> None:
    url = config.html_baseurl
    problem = _base_url_problem(url) if url else ""
    if problem:
        warn(
            f"conf.py: setting 'html_baseurl': {url!r} {problem}; give the site's full "
            "address ending in '/', such as 'https://user.github.io/portfolio/' (on Read the "
            "Docs it comes from READTHEDOCS_CANONICAL_URL, on GitHub Pages from "
            "PORTFOLIO_BASE_URL).",
            "config",
        )
    # html_baseurl stays the one setting, `-D html_baseurl=...` included: the 404
    # page links by absolute path under its path, the share tags by absolute URL.
    config.notfound_urls_prefix = "/" if problem else (urlsplit(url).path or "/")
    if "ogp_site_url" in config:
        config.ogp_site_url = config.ogp_site_url or url
    # Sphinx fills %Y from the clock unless SOURCE_DATE_EPOCH is set.
    if isinstance(config.copyright, str) and "%Y" in config.copyright:
        config.copyright = config.copyright.replace("%Y", str(build_timestamp(app.srcdir).year))


def _check_identity(config) -> None:
    """The identity and contact settings: one line per problem; incomplete entries are left out."""
    for name in ("portfolio_name", "portfolio_role", "portfolio_headline"):
        if not str(getattr(config, name)).strip():
            warn(f"conf.py: setting '{name}': empty; write the text in conf.py.", "config")
    complete = []
    for index, entry in enumerate(config.portfolio_contact):
        if not isinstance(entry, dict):
            warn(
                f"conf.py: setting 'portfolio_contact', entry {index + 1}: {shown(entry)} is not "
                "a dict; write each entry as {'label': ..., 'url': ..., 'text': ...}.",
                "config",
            )
            continue
        missing = [key for key in ("label", "url", "text") if not str(entry.get(key, "")).strip()]
        if missing:
            warn(
                f"conf.py: setting 'portfolio_contact', entry {index + 1}: missing "
                f"{', '.join(repr(key) for key in missing)}; give each entry a label, a url "
                "and a text.",
                "config",
            )
        else:
            complete.append(entry)
    config.portfolio_contact = complete


def _check_colours(config) -> None:
    for setting, fallback in (("portfolio_theme_colors", FURO_BACKGROUND), ("portfolio_accent", FURO_ACCENT)):
        colours = config[setting]
        if set(colours) != set(THEMES) or not all(
            isinstance(value, str) and HEX_COLOUR.fullmatch(value) for value in colours.values()
        ):
            warn(
                f"conf.py: setting '{setting}': {shown(colours)}; give one '#rrggbb' "
                "colour for each of 'light' and 'dark'.",
                "config",
            )
            config[setting] = fallback
