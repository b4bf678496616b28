"""What a page's head tells browsers, search engines and link previews.

Input: the page being written, its description (set by ``pages``), the
``portfolio_*`` identity and the base URL. Output, appended to the page's
``metatags``: OpenGraph and Twitter card tags with absolute URLs, the touch
icon, the theme colour for light and dark, the feed's link, and on the home
page the JSON-LD for the person and the site. The canonical link is Sphinx's
own (from ``html_baseurl``); the home page's points at the base URL itself.

Everything here is data, not script: nothing a Content-Security-Policy blocks.
"""

from __future__ import annotations

import json
import re
import struct
from html import escape
from pathlib import Path

from .checks import report_config_problem
from .content import shown
from .files import static_file
from .publishing import FEED_FILE, NOT_CONTENT_PAGES, base_url, is_published_build, page_url

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
THEMES = ("light", "dark")


def _png_size(path: Path) -> tuple[int, int] | None:
    """Width and height from a PNG's header, so the tags never disagree with the image."""
    head = path.read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def _check_sharing_config(app, config) -> None:
    # Each problem is reported and its setting left out, so the build goes on
    # to report every problem and fails at its end (checks.fail_on_problems).
    for setting in ("portfolio_share_image", "portfolio_touch_icon"):
        name = getattr(config, setting)
        if name and static_file(app, name) is None:
            report_config_problem(
                app,
                f"conf.py: setting '{setting}': no file {name!r} in html_static_path "
                f"({', '.join(config.html_static_path) or 'empty'}); put the image there or "
                "correct the name.",
            )
            setattr(config, setting, "")
    if config.portfolio_share_image and not config.portfolio_share_image_alt.strip():
        report_config_problem(
            app,
            "conf.py: setting 'portfolio_share_image_alt': empty; describe what the share "
            "image shows, for people who cannot see it.",
        )
        config.portfolio_share_image = ""
    colours = config.portfolio_theme_colors
    if colours and (set(colours) != set(THEMES) or not all(
        isinstance(value, str) and HEX_COLOUR.fullmatch(value) for value in colours.values()
    )):
        report_config_problem(
            app,
            f"conf.py: setting 'portfolio_theme_colors': {shown(colours)}; give one '#rrggbb' "
            "colour for each of 'light' and 'dark'.",
        )
        config.portfolio_theme_colors = {}


def _meta(attribute: str, key: str, value: str, **extra: str) -> str:
    more = "".join(f' {name}="{escape(text)}"' for name, text in extra.items())
    return f'<meta {attribute}="{key}" content="{escape(value)}"{more}>'


def _share_tags(app, pagename: str, context: dict) -> list[str]:
    config = app.config
    url = page_url(app, pagename)
    is_home = pagename == config.root_doc
    title = config.html_title if is_home else _page_title(app, pagename, context)
    tags = [
        _meta("property", "og:type", "website" if is_home else "article"),
        _meta("property", "og:site_name", config.html_title),
        _meta("property", "og:title", title),
        _meta("property", "og:url", url),
    ]
    description = context.get("page_description", "")
    if description:
        tags.append(_meta("property", "og:description", description))
    if config.portfolio_share_image:
        tags.append(_meta("property", "og:image", f"{base_url(config)}_static/{config.portfolio_share_image}"))
        size = _png_size(static_file(app, config.portfolio_share_image))
        if size:
            tags.append(_meta("property", "og:image:width", str(size[0])))
            tags.append(_meta("property", "og:image:height", str(size[1])))
        tags.append(_meta("property", "og:image:alt", config.portfolio_share_image_alt))
        # Twitter/X reads og:title, og:description and og:image; the card type and
        # the image's alt text have no OpenGraph equivalent it uses.
        tags.append(_meta("name", "twitter:card", "summary_large_image"))
        tags.append(_meta("name", "twitter:image:alt", config.portfolio_share_image_alt))
    else:
        tags.append(_meta("name", "twitter:card", "summary"))
    return tags


def _page_title(app, pagename: str, context: dict) -> str:
    title = app.env.titles.get(pagename)
    return title.astext() if title is not None else re.sub(r"<[^>]+>", "", context.get("title", ""))


def _head_tags(app, pagename: str, context: dict) -> list[str]:
    """What every page carries, the 404 page and the search page included."""
    config = app.config
    pathto = context["pathto"]
    tags = []
    if config.portfolio_touch_icon:
        href = pathto(f"_static/{config.portfolio_touch_icon}", resource=True)
        tags.append(f'<link rel="apple-touch-icon" href="{escape(href)}">')
    for theme in THEMES:
        if theme in config.portfolio_theme_colors:
            tags.append(_meta(
                "name", "theme-color", config.portfolio_theme_colors[theme],
                media=f"(prefers-color-scheme: {theme})",
            ))
    tags.append(
        f'<link rel="alternate" type="application/atom+xml" '
        f'title="{escape(config.html_title)}" href="{escape(base_url(config) + FEED_FILE)}">'
    )
    return tags


def structured_data(app) -> dict:
    """JSON-LD for the home page: who the site is about, and the site itself."""
    config = app.config
    base = base_url(config)
    person = {
        "@type": "Person",
        "@id": f"{base}#person",
        "name": config.portfolio_name,
        "jobTitle": config.portfolio_role,
        "url": base,
    }
    profiles = [entry["url"] for entry in config.portfolio_contact if entry["url"].startswith(("https://", "http://"))]
    if profiles:
        person["sameAs"] = profiles
    site = {
        "@type": "WebSite",
        "@id": f"{base}#website",
        "url": base,
        "name": config.html_title,
        "inLanguage": config.language,
        "author": {"@id": person["@id"]},
    }
    return {"@context": "https://schema.org", "@graph": [person, site]}


def _json_ld(data: dict) -> str:
    # "<" escaped so that no text can close the script element early.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f'<script type="application/ld+json">{text}</script>'


def _add_head_tags(app, pagename, templatename, context, doctree) -> None:
    if not is_published_build(app):
        return
    tags = _head_tags(app, pagename, context)
    if pagename in NOT_CONTENT_PAGES or pagename == app.config.notfound_pagename:
        if templatename != "search.html":  # Sphinx's search template says noindex itself.
            tags.insert(0, '<meta name="robots" content="noindex">')
        # Not a page to share or to come back to: no canonical address.
        context["pageurl"] = None
    elif pagename in app.env.found_docs:
        context["pageurl"] = page_url(app, pagename)
        tags += _share_tags(app, pagename, context)
        if pagename == app.config.root_doc:
            tags.append(_json_ld(structured_data(app)))
    context["metatags"] = context.get("metatags", "") + "".join(f"\n    {tag}" for tag in tags)


def setup_sharing(app) -> None:
    app.add_config_value("portfolio_share_image", "", "html", types=[str])
    app.add_config_value("portfolio_share_image_alt", "", "html", types=[str])
    app.add_config_value("portfolio_touch_icon", "", "html", types=[str])
    app.add_config_value("portfolio_theme_colors", {}, "html", types=[dict])
    app.connect("config-inited", _check_sharing_config)
    # After pages' meta description (500), which it reuses for og:description, and
    # after sphinx-notfound-page (400), whose pathto makes the 404's links absolute.
    app.connect("html-page-context", _add_head_tags, priority=600)
