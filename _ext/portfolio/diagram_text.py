"""Text in the drawn diagrams: how wide a label is, where it wraps, how numbers are written.

Input: a label's text, a width in SVG user units (one unit is one CSS pixel at
the size a picture is drawn). Output: an upper estimate of its width at
FONT_SIZE, its lines wrapped at spaces (or inside a word, after a mark such as
'/' or '-', when a word alone is too wide), and coordinates to one decimal.
Both renderers (``sequence`` and ``graphviz_svg``) share it, so a label is
measured, and a picture held to the column, the same way in both.
"""

from __future__ import annotations

# The page's font is drawn at FONT_SIZE; diagrams.css sets the same size.
FONT_SIZE = 14
# Pictures are shown a little larger than drawn, 15 px text on a laptop where
# the column has room (the svg's width attribute; CSS scales it down to fit).
DISPLAY_SCALE = 15 / 14
# The widest a picture may be drawn: a piece's column on a laptop (Furo's
# content width, 46em), so its text is never under 14 px there.
COLUMN_WIDTH = 736
MAX_LINES = 2  # a label's lines, at most
MARGIN = 4  # around the whole picture, so strokes are not clipped
# Widths are sums of floats: a line measured once to size a gap must still fit
# when the gap is measured back.
WIDTH_SLACK = 0.01


def text_width(text: str) -> float:
    """An upper estimate of *text*'s width at FONT_SIZE."""
    # Advance widths in em, close to DejaVu Sans, the widest of the usual system
    # fonts (measured in Chromium: real widths are 0.87 to 1.02 of the estimate;
    # the padding around every label absorbs the last few percent).
    em = 0.0
    for char in text:
        if char == " ":
            em += 0.32
        elif char in "ijl|.,:;'!I`":
            em += 0.3
        elif char in "frt()[]{}/\\-\"*":
            em += 0.42
        elif char in "mwMW@%":
            em += 0.95
        elif char.isupper():
            em += 0.72
        elif char.isdigit():
            em += 0.64
        elif char.isalpha():
            em += 0.6
        else:
            em += 0.72
    return em * FONT_SIZE


def wrap(text: str, width: float) -> list[str]:
    """Break *text* into lines no wider than *width*, at spaces where possible."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate) <= width + WIDTH_SLACK:
            current = candidate
            continue
        if current:
            lines.append(current)
        pieces = _break_word(word, width)
        lines.extend(pieces[:-1])
        current = pieces[-1]
    if current:
        lines.append(current)
    return lines or [""]


def _break_word(word: str, width: float) -> list[str]:
    """Split one word that is too wide, after a mark such as '/' or '-' if it can."""
    pieces: list[str] = []
    while text_width(word) > width + WIDTH_SLACK:
        fits = 1
        while fits < len(word) and text_width(word[: fits + 1]) <= width + WIDTH_SLACK:
            fits += 1
        soft = max((word.rfind(mark, 0, fits) for mark in "/-_.,=&?"), default=-1)
        cut = soft + 1 if soft > 0 else fits
        pieces.append(word[:cut])
        word = word[cut:]
    pieces.append(word)
    return pieces


def block_width(lines: list[str]) -> float:
    return max(text_width(line) for line in lines)


def svg_number(value: float) -> str:
    """*value* to one decimal, without trailing zeros, as the SVG of both renderers writes it."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
