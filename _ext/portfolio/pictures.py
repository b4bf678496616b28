"""The pictures that carry the site's identity, drawn at build time.

Input: the identity settings (``portfolio_name``, ``portfolio_role``,
``portfolio_headline``, ``portfolio_accent``), each page's title (an area's or
a piece's from its front matter, any other page's from its heading; the home
page, whose title is the name, shows the headline) and
``portfolio_share_images``. Output, in an HTML build's ``_static/``:
``share/<page>.<key>.png`` for every page, 1200x630 (name and role, the page's
title, the accent, on Furo's dark background), and ``favicon.svg`` and
``apple-touch-icon.<key>.png`` (the name's initial on the accent).

The key in a PNG's name is a hash of what it shows, so the output folder is
its own cache: a rebuild (``make html`` starts from a copy of the last site)
draws only the pictures whose text changed (most draw none, and never load
Pillow), a changed picture gets a new address that no link preview or home
screen has cached, and pictures of old keys are removed. Pillow draws with the font it bundles, never a system font, and the
PNGs carry no metadata: the same bytes on every machine.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from .collector import page
from .publishing import is_published_build

if TYPE_CHECKING:
    from PIL import Image, ImageFont

logger = logging.getLogger(__name__)

# Part of every share image's key: a new renderer or a new Pillow (its font,
# its rasteriser) draws every image again.
RENDERER = hashlib.sha256(
    Path(__file__).read_bytes().replace(b"\r\n", b"\n") + version("pillow").encode()).hexdigest()
SHARE_SIZE = (1200, 630)
SHARE_DIR = "share"
TOUCH_ICON = "apple-touch-icon"  # _static/apple-touch-icon.<key>.png
FAVICON = "favicon.svg"
MARGIN = 88


@dataclass(frozen=True)
class ShareImage:
    path: str  # under the output folder, with '/'
    alt: str
    shows: tuple[str, ...]


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    # Pillow's bundled TrueType font (Aileron Regular): the same glyphs on every machine.
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def _lines(text: str, size: int, width: int) -> list[str] | None:
    """*text* wrapped at *width* in the font at *size*; None if a word is wider."""
    font, lines = _font(size), []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and font.getlength(candidate) <= width:
            lines[-1] = candidate
        elif font.getlength(word) <= width:
            lines.append(word)
        else:
            return None
    return lines


def _fitted(text: str, width: int, height: int, largest: int, smallest: int) -> tuple[int, list[str]]:
    """The largest size at which *text* fits the box, and its lines; cut short at the smallest."""
    for size in range(largest, smallest - 1, -2):
        lines = _lines(text, size, width)
        if lines is not None and len(lines) * round(size * 1.15) <= height:
            return size, lines
    # Only a very long title gets here; a word wider than the box runs off its edge.
    lines = _lines(text, smallest, width) or [text]
    fit = max(1, height // round(smallest * 1.15))
    if len(lines) > fit:
        lines = lines[:fit]
        lines[-1] = (lines[-1].rpartition(" ")[0] or lines[-1]) + " …"
    return smallest, lines


def _to_png(text_ink: Image.Image, accent_ink: Image.Image, background: str, accent: str) -> bytes:
    """The two inks, coverage masks, laid over the background."""
    # Two inks over one background fit a palette of two 128-step ramps: a third
    # of the bytes to compress that full colour would take, with no visible loss.
    palette, base = [], _rgb(background)
    for ink in ((255, 255, 255), _rgb(accent)):
        palette += [round(b + (i - b) * step / 127) for step in range(128) for b, i in zip(base, ink)]
    picture = text_ink.point([value >> 1 for value in range(256)])
    picture.paste(accent_ink.point([128 + (value >> 1) for value in range(256)]),
                  mask=accent_ink.point([0] + [255] * 255))
    picture.putpalette(palette)
    out = io.BytesIO()
    # No text chunks, no time: only the pixels. Level 3 compresses in two thirds of
    # the default's time, for a few KB more.
    picture.save(out, format="PNG", compress_level=3)
    return out.getvalue()


def draw_share_image(name: str, role: str, title: str, accent: str, background: str) -> bytes:
    """The share image: name and role, the title as large as fits, the accent."""
    from PIL import Image, ImageDraw

    width, height = SHARE_SIZE
    text_ink, accent_ink = Image.new("L", SHARE_SIZE, 0), Image.new("L", SHARE_SIZE, 0)
    text, tint = ImageDraw.Draw(text_ink), ImageDraw.Draw(accent_ink)
    tint.rectangle((0, 0, width - 1, 11), fill=255)
    # One line: no room for two at any size from 34 down to 20.
    size, _ = _fitted(f"{name} · {role}", width - 2 * MARGIN, 40, 34, 20)
    font, left = _font(size), MARGIN
    text.text((left, 72), name, font=font, fill=255)
    left += font.getlength(name)
    text.text((left, 72), " · ", font=font, fill=170)
    tint.text((left + font.getlength(" · "), 72), role, font=font, fill=255)
    box_top, box_bottom = 150, 515
    size, lines = _fitted(title, width - 2 * MARGIN - 8, box_bottom - box_top, 96, 40)
    step = round(size * 1.15)
    top = box_top + (box_bottom - box_top - step * len(lines)) // 2
    for number, line in enumerate(lines):
        # A stroke of the ink's own colour stands in for a bold weight Pillow does not bundle.
        text.text((MARGIN, top + number * step), line, font=_font(size), fill=255,
                  stroke_width=max(1, size // 45), stroke_fill=255)
    tint.rectangle((MARGIN, height - 80, MARGIN + 159, height - 73), fill=255)
    return _to_png(text_ink, accent_ink, background, accent)


def _initial(name: str) -> str:
    return name.strip()[:1].upper() or "?"


def draw_touch_icon(name: str, accent: str) -> bytes:
    """180x180, opaque (iOS rounds the corners itself): the initial on the accent."""
    from PIL import Image, ImageDraw

    icon = Image.new("RGB", (180, 180), accent)
    ImageDraw.Draw(icon).text((90, 92), _initial(name), font=_font(112), fill="#ffffff",
                              anchor="mm", stroke_width=3, stroke_fill="#ffffff")
    out = io.BytesIO()
    icon.save(out, format="PNG")
    return out.getvalue()


def favicon_svg(name: str, accent: str) -> bytes:
    """The initial on the accent, as text: the browser's sans-serif draws it."""
    letter = _initial(name).replace("&", "&amp;").replace("<", "&lt;")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
        f'<rect width="32" height="32" rx="6" fill="{accent}"/>'
        '<text x="16" y="23" text-anchor="middle" font-family="system-ui, sans-serif" '
        f'font-size="20" font-weight="700" fill="#fff">{letter}</text></svg>\n'
    ).encode()


def touch_icon_path(config) -> str:
    """The touch icon's path in the output folder, named by what it shows."""
    shows = (RENDERER, config.portfolio_name, config.portfolio_accent["light"])
    return f"_static/{TOUCH_ICON}.{hashlib.sha256(repr(shows).encode()).hexdigest()[:16]}.png"


def share_image(app, docname: str) -> ShareImage | None:
    """The share image of *docname*, or None if this build draws none."""
    config = app.config
    if not (config.portfolio_share_images and is_published_build(app)) or docname not in app.env.found_docs:
        return None
    # The home page's title is the name, which the picture shows already: it shows the headline.
    title = config.portfolio_headline if docname == config.root_doc else page(app.env, docname).title
    shows = (config.portfolio_name, config.portfolio_role, title,
             config.portfolio_accent["dark"], config.portfolio_theme_colors["dark"])
    key = hashlib.sha256(repr((RENDERER, shows)).encode()).hexdigest()[:16]
    return ShareImage(f"_static/{SHARE_DIR}/{docname}.{key}.png",
                      f"{config.portfolio_name}, {config.portfolio_role}: {shows[2]}", shows)


def _write(path: Path, data: bytes) -> None:
    """Write *path* whole (a reader never sees half a file), and only if it changed."""
    if path.is_file() and path.read_bytes() == data:
        return  # its mtime stays: nothing was redrawn
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_bytes(data)
    os.replace(partial, path)


def _write_pictures(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    config, static = app.config, Path(app.outdir, "_static")
    _write(static / FAVICON, favicon_svg(config.portfolio_name, config.portfolio_accent["light"]))
    touch_icon = Path(app.outdir, touch_icon_path(config))
    if not touch_icon.is_file():
        _write(touch_icon, draw_touch_icon(config.portfolio_name, config.portfolio_accent["light"]))
    for path in static.glob(f"{TOUCH_ICON}*.png"):
        if path != touch_icon:
            path.unlink()
    wanted, drawn = set(), 0
    for docname in sorted(app.env.found_docs):
        image = share_image(app, docname)
        if image is None:
            continue
        path = Path(app.outdir, image.path)
        wanted.add(path)
        if not path.is_file():
            _write(path, draw_share_image(*image.shows))
            drawn += 1
    if wanted:
        logger.info("share images: %d drawn, %d unchanged", drawn, len(wanted) - drawn)
    # The images of old titles and identities, and of removed pages.
    for path in static.joinpath(SHARE_DIR).rglob("*.png"):
        if path not in wanted:
            path.unlink()


def setup_pictures(app) -> None:
    app.connect("build-finished", _write_pictures)
