"""What a page's head tells browsers, search engines and link previews, beyond the packages.

Input: the page being written, the portfolio's front matter, the ``portfolio_*``
settings and the base URL. Output, in the page's context: for
sphinxext-opengraph (which writes the og:* tags from conf.py's ``ogp_*``), each
piece's type and description as per-page fields; the home page's canonical
address as the base URL itself; and in ``metatags`` what no package writes:
the touch icon, the theme colour for light and dark, the feed's link, noindex
on the 404 page, and on the home page the JSON-LD for the person and the site.

Everything here is data, not script: nothing a Content-Security-Policy blocks.
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

from .checks import warn
from .content import shown
from .pages import page_description
from .publishing import is_published_build

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
THEMES = ("light", "dark")


def _check_sharing_config(app, config) -> None:
    # Each problem is reported and its setting left out, so the build goes on to report every one.
    images = {"portfolio_touch_icon": config.portfolio_touch_icon}
    if "ogp_image" in config and config.ogp_image and "://" not in config.ogp_image:
        images["ogp_image"] = config.ogp_image.removeprefix("_static/")
    for setting, name in images.items():
        if name and not any(Path(app.confdir, folder, name).is_file()
                            for folder in config.html_static_path):
            warn(
                f"conf.py: setting '{setting}': no file {name!r} in html_static_path "
                f"({', '.join(config.html_static_path) or 'empty'}); put the image there or "
                "correct the name.",
                "config",
            )
            config[setting] = None if setting == "ogp_image" else ""
    colours = config.portfolio_theme_colors
    if colours and (set(colours) != set(THEMES) or not all(
        isinstance(value, str) and HEX_COLOUR.fullmatch(value) for value in colours.values()
    )):
        warn(
            f"conf.py: setting 'portfolio_theme_colors': {shown(colours)}; give one '#rrggbb' "
            "colour for each of 'light' and 'dark'.",
            "config",
        )
        config.portfolio_theme_colors = {}


def structured_data(config) -> str:
    """JSON-LD for the home page, as a script element: who the site is about, and the site itself."""
    base = config.html_baseurl
    person = {"@type": "Person", "@id": f"{base}#person", "name": config.portfolio_name,
              "jobTitle": config.portfolio_role, "url": base}
    profiles = [entry["url"] for entry in config.portfolio_contact if entry["url"].startswith(("https://", "http://"))]
    if profiles:
        person["sameAs"] = profiles
    site = {"@type": "WebSite", "@id": f"{base}#website", "url": base, "name": config.html_title,
            "inLanguage": config.language, "author": {"@id": person["@id"]}}
    # "<" escaped so that no text can close the script element early.
    text = json.dumps({"@context": "https://schema.org", "@graph": [person, site]},
                      ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f'<script type="application/ld+json">{text}</script>'


def _add_head_tags(app, pagename, templatename, context, doctree) -> None:
    if not is_published_build(app):
        return
    config = app.config
    touch_icon = context["pathto"](f"_static/{config.portfolio_touch_icon}", resource=True)
    tags = [f'<link rel="apple-touch-icon" href="{escape(touch_icon)}">'] if config.portfolio_touch_icon else []
    tags += [f'<meta name="theme-color" content="{config.portfolio_theme_colors[theme]}" '
             f'media="(prefers-color-scheme: {theme})">'
             for theme in THEMES if theme in config.portfolio_theme_colors]
    tags.append(f'<link rel="alternate" type="application/atom+xml" title="{escape(config.html_title)}" '
                f'href="{escape(config.html_baseurl)}feed.xml">')
    if pagename not in app.env.found_docs:
        # Search and 404: not pages to share or come back to. Sphinx's search page says noindex itself.
        context["pageurl"] = None
        if pagename == config.notfound_pagename:
            tags.insert(0, '<meta name="robots" content="noindex">')
    else:
        fields = dict(context.get("meta") or {})
        piece = app.env.portfolio.by_docname(pagename)
        if piece is not None:
            fields["og:type"] = "article"
        # The page's own description, the one its meta description gives.
        if description := page_description(app, pagename, doctree):
            fields["og:description"] = description
        if pagename == config.root_doc:
            context["pageurl"] = fields["og:url"] = config.html_baseurl
            tags.append(structured_data(config))
        context["meta"] = fields
    context["metatags"] = context.get("metatags", "") + "".join(f"\n    {tag}" for tag in tags)


def setup_sharing(app) -> None:
    app.add_config_value("portfolio_touch_icon", "", "html", types=[str])
    app.add_config_value("portfolio_theme_colors", {}, "html", types=[dict])
    app.connect("config-inited", _check_sharing_config)
    # Before sphinxext-opengraph (500) reads the per-page fields; after sphinx-notfound-page
    # (400), whose pathto makes the 404 page's links absolute.
    app.connect("html-page-context", _add_head_tags, priority=450)
