"""Graphviz's SVG, reduced to shapes the page's stylesheet can paint.

Input: what ``graphviz-pure -Tsvg`` prints (an XML prolog, a DOCTYPE,
comments, a white background, black strokes, Times text, sizes in points).

Output: one ``<svg>`` with only a viewBox, coordinates to one decimal, and no
background, size, font family, ids (several diagrams share a page), tooltips or
links. Black becomes ``currentColor`` and white ``none``, so the drawing takes
the theme's text colour; any other fill becomes the class ``filled``. Graphviz's
own classes (``node``, ``edge``, ``cluster``, any written in the DOT, such as
``accent``, ``failure``) stay, for diagrams.css. Edge labels move sideways
until they stand clear of every line (LABEL_CLEARANCE) and of each other's
words (LABEL_SPACING), measured with the same width estimate as the sequence
diagrams. A label on more than two lines, or a picture wider than a piece's
column, raises :class:`GraphError`, naming it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from html import escape

from .diagram_text import COLUMN_WIDTH, DISPLAY_SCALE, MARGIN, MAX_LINES, svg_number, text_width

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
# Graphviz sets an edge's label close beside its line, sometimes touching it, and
# two edges' labels side by side can read as one phrase.
LABEL_CLEARANCE = 5  # at least this between a label's letters and any line
LABEL_SPACING = 24  # at least this between two labels side by side
ASCENT, DESCENT = 11, 4  # of a line of text, from its baseline
MAX_LIFT = 12  # the most a label moves up or down to stand clear
NEAR_MOVES = 600  # the moves tried for a place nearer the label's own line than any other
_PAIR = re.compile(r"(-?[\d.]+)[ ,](-?[\d.]+)")


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
    _check_label_lines(root)
    # Labels are placed in the graph's group, which Graphviz translates 4 units right.
    left, right = (edge + 4 for edge in _clear_labels(root))
    if left < x + MARGIN:
        width, x = width + x + MARGIN - left, left - MARGIN
    width = max(width, right + MARGIN - x)
    if width > COLUMN_WIDTH:
        raise GraphError(f"the graph is {width:.0f} px wide, wider than the column "
                         f"({COLUMN_WIDTH} px); shorten its labels, or draw it top to bottom")
    view_box = " ".join(svg_number(value) for value in (x, y, width, height))
    _drop_background(root)
    body = "".join(_element(child) for child in root)
    return f'<svg class="graph" viewBox="{view_box}" width="{svg_number(width * DISPLAY_SCALE)}">{body}</svg>'


def _groups(root: ElementTree.Element, kind: str) -> list[ElementTree.Element]:
    return [group for group in root.iter() if kind in group.get("class", "").split()]


def _texts(group: ElementTree.Element) -> list[ElementTree.Element]:
    return [child for child in group if _local(child.tag) == "text"]


def _check_label_lines(root: ElementTree.Element) -> None:
    for group in _groups(root, "node") + _groups(root, "edge"):
        if len(texts := _texts(group)) > MAX_LINES:
            label = " ".join(text.text or "" for text in texts)
            raise GraphError(f"the label '{label}' is on {len(texts)} lines; "
                             "shorten it to two at most (one \\n)")


def _points(shape: ElementTree.Element) -> list[tuple[float, float]]:
    """Points along a path (its Bézier curves sampled every few pixels) or round a polygon."""
    numbers = [(float(a), float(b)) for a, b in _PAIR.findall(shape.get("d") or shape.get("points", ""))]
    if _local(shape.tag) != "path":
        return numbers
    points = numbers[:1]
    for start in range(0, len(numbers) - 3, 3):  # M p0 C p1 p2 p3, then two more points a curve
        p0, p1, p2, p3 = numbers[start:start + 4]
        for t in (step / 40 for step in range(1, 41)):
            points.append(tuple((1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t ** 2 * c
                                + t ** 3 * d for a, b, c, d in zip(p0, p1, p2, p3)))
    return points


def _box(texts: list[ElementTree.Element], dx: float = 0, dy: float = 0) -> tuple[float, float, float, float]:
    """A label's box (left, top, right, bottom) from its lines, moved by (dx, dy)."""
    halves = [text_width(text.text or "") / 2 for text in texts]
    xs = [float(text.get("x", "0")) + dx for text in texts]
    ys = [float(text.get("y", "0")) + dy for text in texts]
    return (min(x - h for x, h in zip(xs, halves)), min(ys) - ASCENT,
            max(x + h for x, h in zip(xs, halves)), max(ys) + DESCENT)


def _distance(box: tuple[float, float, float, float], point: tuple[float, float]) -> float:
    left, top, right, bottom = box
    dx, dy = max(left - point[0], 0, point[0] - right), max(top - point[1], 0, point[1] - bottom)
    return (dx * dx + dy * dy) ** 0.5


def _overlaps(box: tuple, other: tuple, gap: float) -> bool:
    return box[0] < other[2] + gap and other[0] < box[2] + gap and box[1] < other[3] and other[1] < box[3]


def _clear_labels(root: ElementTree.Element) -> tuple[float, float]:
    """Move each edge's label the least it takes, until it is clear of every line, every box
    and the labels placed before it, and nearer its own line than any other (where such a
    place exists). The labels' leftmost and rightmost x."""
    edges = {id(group): [point for shape in group if _local(shape.tag) in ("path", "polygon")
                         for point in _points(shape)] for group in _groups(root, "edge")}
    lines = [point for points in edges.values() for point in points]
    boxes = []
    for group in _groups(root, "node"):
        outline = [point for shape in group if _local(shape.tag) != "text" for point in _points(shape)]
        if outline:
            xs, ys = [x for x, _ in outline], [y for _, y in outline]
            boxes.append((min(xs), min(ys), max(xs), max(ys)))
    placed: list[tuple] = []

    def clear(box: tuple) -> bool:
        left, top, right, bottom = (box[0] - LABEL_CLEARANCE, box[1] - LABEL_CLEARANCE,
                                    box[2] + LABEL_CLEARANCE, box[3] + LABEL_CLEARANCE)
        near = [point for point in lines if left <= point[0] <= right and top <= point[1] <= bottom]
        return (all(_distance(box, point) >= LABEL_CLEARANCE for point in near)
                and not any(_overlaps(box, other, LABEL_CLEARANCE) for other in boxes)
                and not any(_overlaps(box, other, LABEL_SPACING) for other in placed))

    for group in _groups(root, "edge"):
        if not (texts := _texts(group)):
            continue
        # The nearest clear place, moving sideways first: a step up or down counts double.
        moves = sorted(((dx, dy) for dx in range(-COLUMN_WIDTH // 2, COLUMN_WIDTH // 2)
                        for dy in range(-MAX_LIFT, MAX_LIFT + 1, 4)), key=lambda m: abs(m[0]) + 2 * abs(m[1]))
        others = [point for key, points in edges.items() if key != id(group) for point in points]

        def its_own(box: tuple) -> bool:
            own = min((_distance(box, point) for point in edges[id(group)]), default=0)
            return own <= min((_distance(box, point) for point in others), default=own)

        clear_moves = [move for move in moves[:NEAR_MOVES] if clear(_box(texts, *move))]
        dx, dy = next((move for move in clear_moves if its_own(_box(texts, *move))),
                      clear_moves[0] if clear_moves else next(
                          (move for move in moves if clear(_box(texts, *move))), (0, 0)))
        for text in texts:
            text.set("x", str(float(text.get("x", "0")) + dx))
            text.set("y", str(float(text.get("y", "0")) + dy))
        placed.append(_box(texts))
    return min((box[0] for box in placed), default=0), max((box[2] for box in placed), default=0)


def _drop_background(root: ElementTree.Element) -> None:
    # Graphviz paints the background as the first shape of the graph's group.
    for group in root:
        if _local(group.tag) == "g" and len(group) and _local(group[0].tag) == "polygon":
            if group[0].get("fill", "").lower() in _NO_PAINT - {"none"}:
                group.remove(group[0])


def _element(element: ElementTree.Element, in_edge: bool = False) -> str:
    tag = _local(element.tag)
    if tag == "title":
        return ""  # node names as tooltips: the figure's own title says it all
    edge = "edge" in element.get("class", "").split()
    children = "".join(_element(child, edge) + _text(child.tail, tag) for child in element)
    if tag == "a":
        return children  # no links inside a diagram
    attributes = _attributes(element, tag, in_edge)
    inner = _text(element.text, tag) + children
    return f"<{tag}{attributes}>{inner}</{tag}>" if inner else f"<{tag}{attributes}/>"


def _text(text: str | None, tag: str) -> str:
    if not text or (tag != "text" and not text.strip()):
        return ""
    return escape(text, quote=False)


def _attributes(element: ElementTree.Element, tag: str, in_edge: bool) -> str:
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
    if tag == "text" and in_edge:
        # The halo diagrams.css draws round edge labels goes under the letters (an
        # attribute: the CSS property is SVG 2, unknown to the stylesheet checker).
        kept.append(("paint-order", "stroke"))
    if classes:
        kept.insert(0, ("class", " ".join(classes)))
    return "".join(f' {name}="{escape(value)}"' for name, value in kept)
