"""What a page's head tells browsers, search engines and link previews, beyond the packages.

Input: the page being written, the portfolio's front matter, the ``portfolio_*``
settings and the base URL. Output, in the page's context: for
sphinxext-opengraph (which writes the og:* tags from conf.py's ``ogp_*``), as
per-page fields, each piece's type, the locale, each page's description and its own share
image (drawn by ``pictures``); the home page's canonical address as the base
URL itself; and in ``metatags`` what no package writes: the favicon and touch
icon (drawn by ``pictures``), the share image's alt text for Twitter/X, the
theme colour for light and dark, the feed's link, noindex on the 404 page, the
JSON-LD of each piece and area page (an Article) and, on the home page, of the
person and the site.

Everything here is data, not script: nothing a Content-Security-Policy blocks.
"""

from __future__ import annotations

import json
import re
from html import escape

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from .checks import warn
from .content import shown
from .pages import page_description
from .pictures import FAVICON, SHARE_SIZE, share_image, touch_icon_path
from .publishing import first_published, is_published_build, last_updated

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
THEMES = ("light", "dark")
# Furo's own brand colours, for a site that sets no accent.
FURO_ACCENT = {"light": "#0a4bff", "dark": "#3d94ff"}


def _check_colours(app, config) -> None:
    # Each problem is reported and the setting falls back, so the build goes on to report every one.
    for setting, fallback in (("portfolio_theme_colors", {}), ("portfolio_accent", FURO_ACCENT)):
        colours = config[setting]
        if (colours or setting == "portfolio_accent") and (set(colours) != set(THEMES) or not all(
            isinstance(value, str) and HEX_COLOUR.fullmatch(value) for value in colours.values()
        )):
            warn(
                f"conf.py: setting '{setting}': {shown(colours)}; give one '#rrggbb' "
                "colour for each of 'light' and 'dark'.",
                "config",
            )
            config[setting] = fallback


def og_locale(language: str) -> str:
    """Sphinx's ``language`` in Open Graph's form, language_TERRITORY: 'en' -> 'en_US',
    the territory CLDR finds likeliest (Babel, which Sphinx uses); 'en-GB' -> 'en_GB'."""
    try:
        locale = Locale.parse(language.replace("-", "_"))
        if locale.territory is None:
            likely = get_global("likely_subtags")
            locale = Locale.parse(likely.get(str(locale)) or likely[locale.language])
    except (ValueError, KeyError, UnknownLocaleError):
        return language.replace("-", "_")
    return f"{locale.language}_{locale.territory}"


def _json_ld(data: dict) -> str:
    # "<" escaped so that no text can close the script element early.
    text = json.dumps({"@context": "https://schema.org", **data},
                      ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f'<script type="application/ld+json">{text}</script>'


def article_data(app, item, url: str, image_url: str | None) -> str:
    """JSON-LD for a piece or an area page: an Article by the home page's Person."""
    data = {"@type": "Article", "headline": item.title, "description": " ".join(item.summary.split()),
            "author": {"@id": f"{app.config.html_baseurl}#person"}, "url": url}
    if published := first_published(app, item):
        data["datePublished"] = published.isoformat()
    if updated := last_updated(app, item):
        data["dateModified"] = updated.isoformat()
    if image_url:
        data["image"] = image_url
    return _json_ld(data)


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
    return _json_ld({"@graph": [person, site]})


def _add_head_tags(app, pagename, templatename, context, doctree) -> None:
    if app.builder.format != "html":
        return
    pathto = context["pathto"]
    tags = [f'<link rel="icon" href="{escape(pathto(f"_static/{FAVICON}", resource=True))}" type="image/svg+xml">',
            f'<link rel="apple-touch-icon" href="{escape(pathto(touch_icon_path(app.config), resource=True))}">']
    if is_published_build(app):
        tags += _published_head_tags(app, pagename, context, doctree)
    context["metatags"] = context.get("metatags", "") + "".join(f"\n    {tag}" for tag in tags)


def _published_head_tags(app, pagename, context, doctree) -> list[str]:
    """What a build with an absolute address adds: the per-page fields in the context, and tags."""
    config = app.config
    tags = [f'<meta name="theme-color" content="{config.portfolio_theme_colors[theme]}" '
            f'media="(prefers-color-scheme: {theme})">'
            for theme in THEMES if theme in config.portfolio_theme_colors]
    tags.append(f'<link rel="alternate" type="application/atom+xml" title="{escape(config.html_title)}" '
                f'href="{escape(config.html_baseurl)}feed.xml">')
    if pagename not in app.env.found_docs:
        # Search and 404: not pages to share or come back to. Sphinx's search page says noindex itself.
        context["pageurl"] = None
        if pagename == config.notfound_pagename:
            tags.insert(0, '<meta name="robots" content="noindex">')
        return tags
    fields = dict(context.get("meta") or {})
    fields["og:locale"] = og_locale(config.language)
    piece = app.env.portfolio.by_docname(pagename)
    if piece is not None:
        fields["og:type"] = "article"
    # The page's own description, the one its meta description gives.
    if description := page_description(app, pagename, doctree):
        fields["og:description"] = description
    if image := share_image(app, pagename):
        # Its own picture, drawn for it (pictures.py); Twitter/X has no og: name for the alt text.
        width, height = SHARE_SIZE
        fields.update({"og:image": config.html_baseurl + image.path, "og:image:alt": image.alt,
                       "og:image:type": "image/png", "og:image:width": str(width),
                       "og:image:height": str(height)})
        tags.append(f'<meta name="twitter:image:alt" content="{escape(image.alt)}">')
    if piece is not None:
        tags.append(article_data(app, piece, context["pageurl"], fields.get("og:image")))
    if pagename == config.root_doc:
        context["pageurl"] = fields["og:url"] = config.html_baseurl
        tags.append(structured_data(config))
    context["meta"] = fields
    return tags


def setup_sharing(app) -> None:
    app.add_config_value("portfolio_accent", FURO_ACCENT, "html", types=[dict])
    app.add_config_value("portfolio_theme_colors", {}, "html", types=[dict])
    app.connect("config-inited", _check_colours)
    # Before sphinxext-opengraph (500) reads the per-page fields; after sphinx-notfound-page
    # (400), whose pathto makes the 404 page's links absolute.
    app.connect("html-page-context", _add_head_tags, priority=450)
