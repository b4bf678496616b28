"""Graphviz's SVG, reduced to shapes the page's stylesheet can paint.

Input: what ``graphviz-pure -Tsvg`` prints (an XML prolog, a DOCTYPE,
comments, a white background, black strokes, Times text, sizes in points).

Output: one ``<svg>`` with only a viewBox, coordinates to one decimal, and no
background, size, font family, ids (several diagrams share a page), tooltips or
links. Black becomes ``currentColor`` and white ``none``, so the drawing takes
the theme's text colour; any other fill becomes the class ``filled``. Graphviz's
own classes (``node``, ``edge``, ``cluster``, any written in the DOT, such as
``accent``) stay, for diagrams.css. A loop's label moves clear of its loop.
A label on more than two lines, or a picture wider than a piece's column,
raises :class:`GraphError`, naming it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from html import escape

from .sequence import COLUMN_WIDTH, MAX_LINES, svg_number

_NUMBER = re.compile(r"-?\d+\.\d+")
_NUMERIC_ATTRIBUTES = frozenset(
    {"points", "d", "x", "y", "cx", "cy", "rx", "ry", "x1", "y1", "x2", "y2", "transform",
     "viewBox", "font-size"}
)
# Attributes that say nothing once the stylesheet applies, or that would link,
# identify or label elements inside a picture that is one image.
_DROPPED_ATTRIBUTES = frozenset({"id", "font-family", "target"})
_STYLESHEET_DEFAULTS = frozenset({("font-size", "14"), ("text-anchor", "middle")})
_BLACK = frozenset({"black", "#000000", "#000"})
_NO_PAINT = frozenset({"white", "#ffffff", "#fff", "none", "transparent"})
# Graphviz sets a loop's label hard against the loop's arrowhead.
LOOP_LABEL_GAP = 8


class GraphError(ValueError):
    """A graph that Graphviz drew but that would not read well on the page."""


def _round_numbers(value: str) -> str:
    return _NUMBER.sub(lambda match: svg_number(float(match[0])), value)


def _local(name: str) -> str:
    return name.rpartition("}")[2]


def clean_graphviz_svg(raw: str) -> str:
    """The cleaned ``<svg>`` for Graphviz's SVG output *raw*."""
    # The prolog, DOCTYPE and comments go with the parse: ElementTree keeps
    # neither, and never fetches the DTD the DOCTYPE names.
    root = ElementTree.fromstring(raw)
    x, y, width, height = (float(value) for value in root.get("viewBox", "0 0 0 0").split())
    if _place_labels(root):
        width += LOOP_LABEL_GAP
    if width > COLUMN_WIDTH:
        raise GraphError(f"the graph is {width:.0f} px wide, wider than the column "
                         f"({COLUMN_WIDTH} px); shorten its labels, or draw it top to bottom")
    view_box = " ".join(svg_number(value) for value in (x, y, width, height))
    _drop_background(root)
    body = "".join(_element(child) for child in root)
    return f'<svg class="graph" viewBox="{view_box}" width="{view_box.split()[2]}">{body}</svg>'


def _place_labels(root: ElementTree.Element) -> bool:
    """Check each label's lines; move each loop's label clear of its loop. Whether one moved."""
    moved = False
    for group in root.iter():
        if not {"node", "edge"} & set(group.get("class", "").split()):
            continue
        texts = [child for child in group if _local(child.tag) == "text"]
        if len(texts) > MAX_LINES:
            label = " ".join(text.text or "" for text in texts)
            raise GraphError(f"the label '{label}' is on {len(texts)} lines; "
                             "shorten it to two at most (one \\n)")
        title = next((child.text or "" for child in group if _local(child.tag) == "title"), "")
        tail, arrow, head = title.replace("--", "->").partition("->")
        if arrow and tail == head:  # an edge from a node to itself
            for text in texts:
                text.set("x", str(float(text.get("x", "0")) + LOOP_LABEL_GAP))
            moved = moved or bool(texts)
    return moved


def _drop_background(root: ElementTree.Element) -> None:
    # Graphviz paints the background as the first shape of the graph's group.
    for group in root:
        if _local(group.tag) == "g" and len(group) and _local(group[0].tag) == "polygon":
            if group[0].get("fill", "").lower() in _NO_PAINT - {"none"}:
                group.remove(group[0])


def _element(element: ElementTree.Element) -> str:
    tag = _local(element.tag)
    if tag == "title":
        return ""  # node names as tooltips: the figure's own title says it all
    children = "".join(_element(child) + _text(child.tail, tag) for child in element)
    if tag == "a":
        return children  # no links inside a diagram
    attributes = _attributes(element, tag)
    inner = _text(element.text, tag) + children
    return f"<{tag}{attributes}>{inner}</{tag}>" if inner else f"<{tag}{attributes}/>"


def _text(text: str | None, tag: str) -> str:
    if not text or (tag != "text" and not text.strip()):
        return ""
    return escape(text, quote=False)


def _attributes(element: ElementTree.Element, tag: str) -> str:
    classes = element.get("class", "").split()
    kept: list[tuple[str, str]] = []
    for name, value in element.attrib.items():
        if "}" in name or name in _DROPPED_ATTRIBUTES or name == "class":
            continue  # namespaced: xlink:href, xlink:title, xml:space
        if name == "transform":
            value = value.replace("scale(1 1) ", "").replace("rotate(0) ", "")
        if name in _NUMERIC_ATTRIBUTES:
            value = _round_numbers(value)
        if (name, value) in _STYLESHEET_DEFAULTS:
            continue
        if name in ("fill", "stroke"):
            if tag == "text":
                continue  # text takes the theme's colour from the stylesheet
            colour = value.lower()
            if colour in _NO_PAINT:
                value = "none"
            elif name == "fill" and colour not in _BLACK:
                classes.append("filled")
                continue
            else:
                value = "currentColor"
        kept.append((name, value))
    if tag == "text":
        # The halo diagrams.css draws round edge labels goes under the letters (an
        # attribute: the CSS property is SVG 2, unknown to the stylesheet checker).
        kept.append(("paint-order", "stroke"))
    if classes:
        kept.insert(0, ("class", " ".join(classes)))
    return "".join(f' {name}="{escape(value)}"' for name, value in kept)
