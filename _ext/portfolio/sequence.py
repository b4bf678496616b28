"""The sequence-diagram language of the ``diagram`` directive, drawn to SVG.

Input: the directive's body, one statement a line::

    participant Client                 # a column, labelled with its id
    participant API as Payments API    # a column with a longer label
    Client -> API: POST /charges       # a request
    API --> Client: 201 Created        # a reply: thinner, an open head
    Client => API: POST /charges       # => and ==>: the path the picture is about (accent)
    API -x Client: 201 (lost)          # a failure or a lost message: dotted, ends in a cross
    Client ~> API: POST /charges again # a retry: dashed
    API -> API: check the key          # a message to itself: a loop
    note over API: stored with result  # a note over one column
    note over Client, API: both agree  # a note across columns

Blank lines and lines starting with ``#`` are ignored. A name used in a
message or note before any ``participant`` line becomes a column of its own.

Output: an ``<svg>`` with a viewBox and no colours of its own: shapes carry
classes that ``diagrams.css`` paints with the theme's colours (``message``,
plus ``reply``, ``accent``, ``lost`` or ``retry``). Every label wraps onto at
most two lines; columns are spaced from an estimate of each label's width, so
no label runs past its box or across a neighbour's column, and the picture is
never wider than a piece's column on a laptop. A label that cannot fit raises
:class:`SequenceError`, naming it.
"""

from __future__ import annotations

import re
from collections import namedtuple
from html import escape
from itertools import accumulate

from .diagram_text import (
    COLUMN_WIDTH, DISPLAY_SCALE, MARGIN, MAX_LINES, WIDTH_SLACK, block_width, svg_number, text_width, wrap,
)

# A participant id is one word, so that arrows and commas never need quoting.
_ID = r"[\w.]+"
_TEXT = r"\s*:\s*(?P<text>\S.*)"
_PARTICIPANT = re.compile(rf"participant\s+(?P<id>{_ID})(?:\s+as\s+(?P<label>\S.*))?")
_NOTE = re.compile(rf"note\s+over\s+(?P<first>{_ID})(?:\s*,\s*(?P<last>{_ID}))?{_TEXT}")
_MESSAGE = re.compile(rf"(?P<source>{_ID})\s*(?P<arrow>==>|=>|-->|->|~>|-x(?=\s))\s*(?P<target>{_ID}){_TEXT}")
# Each arrow's classes (diagrams.css draws them; README, "Diagrams").
ARROWS = {"->": "", "-->": "reply", "=>": "accent", "==>": "reply accent", "~>": "retry", "-x": "lost"}

# -- Geometry, in SVG user units: one unit is one CSS pixel at natural size.
LINE_HEIGHT = 17
BASELINE = 13  # from the top of a line of text to its baseline
PAD_X = 9  # inside boxes, left and right of the text
PAD_Y = 6  # inside boxes, above and below the text
ACTOR_SPACING = 28  # at least this much between two participant boxes
ACTOR_MIN_WIDTH = 44
LABEL_MARGIN = 10  # between a message label and the lifelines it spans
ROW_GAP = 14  # between one statement's drawing and the next
LOOP_WIDTH = 24  # how far a message to oneself loops out
HEAD_LENGTH = 8
HEAD_HALF_WIDTH = 4
LABEL_GAP = 7  # between a label's last line and its arrow
CROSS = 4  # half the cross that ends a lost message, drawn this far short of its target: CROSS * 3
NOTE_OVERHANG = 14  # how far a note across columns reaches past them

# A label wraps at its kind's width below, and wraps wider (its columns move
# apart) rather than onto a third line.
ACTOR_WRAP = 100
MESSAGE_WRAP = 150
SELF_WRAP = 150
NOTE_WRAP = 180

# Message labels are stroked in the page's colour (diagrams.css) as a halo where they cross a
# lifeline; the stroke goes under the letters. Written as SVG 2's presentation attribute, which
# the Nu HTML checker knows (validator/validator#1258), rather than as the CSS property, which
# its CSS checker does not know yet; browsers honour both.
_LABEL_HALO = 'paint-order="stroke"'


class SequenceError(ValueError):
    """A line of a sequence diagram that cannot be drawn as written."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line  # 1-based, within the diagram's body


# line: where it is written in the diagram's body, for messages about it.
Participant = namedtuple("Participant", "id label line")
Message = namedtuple("Message", "source target text kind line")  # kind: classes from ARROWS
Note = namedtuple("Note", "first last text line")  # over the columns first to last
Sequence = namedtuple("Sequence", "participants events")


def parse(source: str) -> Sequence:
    """Read a sequence diagram; raise :class:`SequenceError` on a bad line."""
    participants: dict[str, Participant] = {}
    events: list[Message | Note] = []
    for number, raw in enumerate(source.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if match := _PARTICIPANT.fullmatch(line):
            name = match["id"]
            if name in participants:
                raise SequenceError(
                    number,
                    f"'{name}' is already a participant (from line {participants[name].line}); "
                    "declare each participant once, before the messages that use it.",
                )
            participants[name] = Participant(name, " ".join((match["label"] or name).split()), number)
            continue
        if match := _NOTE.fullmatch(line):
            event = Note(match["first"], match["last"] or match["first"], match["text"].strip(), number)
            names = (event.first, event.last)
        elif match := _MESSAGE.fullmatch(line):
            event = Message(match["source"], match["target"], match["text"].strip(),
                            ARROWS[match["arrow"]], number)
            names = (event.source, event.target)
        else:
            raise SequenceError(number, _diagnose(line))
        for name in names:  # a name not declared yet becomes a participant
            participants.setdefault(name, Participant(name, name, number))
        events.append(event)
    if not events:
        raise SequenceError(
            1, "no message or note; add at least one line like 'A -> B: text'."
        )
    return Sequence(list(participants.values()), events)


def _diagnose(line: str) -> str:
    shown = line if len(line) <= 60 else line[:57] + "..."
    if line.startswith("participant"):
        fix = (
            "write 'participant NAME' with a one-word name (letters, digits, _ or .), "
            "or 'participant NAME as Long label'"
        )
    elif line.startswith("note"):
        fix = "write 'note over A: text' or 'note over A, B: text'"
    elif ">" in line.partition(":")[0]:  # an arrow of some kind: meant as a message
        fix = (
            "write 'A -> B: text' (a request), 'A --> B: text' (a reply), '=>' or '==>' (the "
            "main path), '~>' (a retry) or '-x' (lost), with one-word names and a text after the colon"
        )
    else:
        fix = (
            "each line is one of 'participant A', 'participant A as Long label', "
            "'A -> B: text', 'A --> B: text' or 'note over A: text'"
        )
    return f"'{shown}' is not a statement of a sequence diagram; {fix}."


def two_lines(text: str, width: float, line: int) -> list[str]:
    """*text* wrapped at *width*, or as much wider as it takes to stay on two lines."""
    lines = wrap(text, width)
    while len(lines) > MAX_LINES and width < COLUMN_WIDTH:
        width = min(COLUMN_WIDTH, max(width + 10, text_width(text) / MAX_LINES))
        lines = wrap(text, width)
    if len(lines) > MAX_LINES:
        raise SequenceError(
            line, f"the label '{text}' does not fit on two lines, even as wide as the column; "
            "shorten the label.",
        )
    return lines


def _text_lines(lines: list[str], x: float, top: float) -> str:
    return "".join(
        f'<text x="{svg_number(x)}" y="{svg_number(top + index * LINE_HEIGHT + BASELINE)}">'
        f"{escape(line, quote=False)}</text>"
        for index, line in enumerate(lines)
    )


def _column_positions(sequence: Sequence, columns: dict, actor_widths: list[float]) -> tuple[list, list]:
    """Each column's x, and the gaps between neighbours: room for their boxes, then
    widened until every message label fits between the lifelines it spans."""
    count = len(sequence.participants)
    gaps = [(actor_widths[i] + actor_widths[i + 1]) / 2 + ACTOR_SPACING for i in range(count - 1)]
    messages = [event for event in sequence.events if isinstance(event, Message)]
    for message in sorted(messages, key=lambda m: abs(columns[m.target] - columns[m.source])):
        start, end = sorted((columns[message.source], columns[message.target]))
        if start == end:
            if start < count - 1:
                label = block_width(two_lines(message.text, SELF_WRAP, message.line))
                gaps[start] = max(gaps[start], LOOP_WIDTH + 2 * LABEL_MARGIN + label)
            continue
        need = block_width(two_lines(message.text, MESSAGE_WRAP, message.line)) + 2 * LABEL_MARGIN
        have = sum(gaps[start:end])
        if have < need:
            for index in range(start, end):
                gaps[index] += (need - have) / (end - start)
    return list(accumulate(gaps, initial=0.0)), gaps


def _head(x: float, y: float, direction: int, kind: str) -> str:
    """The end of an arrow at (x, y) pointing *direction* (1 right, -1 left)."""
    num, back = svg_number, -direction * HEAD_LENGTH
    if "lost" in kind:  # a cross where the message is lost
        x -= direction * CROSS * 3
        return (f'<path class="cross" d="M{num(x - CROSS)} {num(y - CROSS)}l{2 * CROSS} {2 * CROSS}'
                f'M{num(x - CROSS)} {num(y + CROSS)}l{2 * CROSS}-{2 * CROSS}"/>')
    if "reply" in kind:  # an open head
        return (f'<path class="open" d="M{num(x + back)} {num(y - HEAD_HALF_WIDTH)}L{num(x)} {num(y)}'
                f'L{num(x + back)} {num(y + HEAD_HALF_WIDTH)}"/>')
    return f'<path class="head" d="M{num(x)} {num(y)}l{num(back)}-{HEAD_HALF_WIDTH}v{2 * HEAD_HALF_WIDTH}z"/>'


def _line_end(x: float, direction: int, kind: str) -> float:
    """Where an arrow's line stops: under its filled head, at its open head, or at its cross."""
    if "lost" in kind:
        return x - direction * CROSS * 3
    return x if "reply" in kind else x - direction * HEAD_LENGTH


def render(source: str) -> str:
    """The SVG for a sequence diagram's source (see the module docstring)."""
    sequence = parse(source)
    num = svg_number  # short, for the many coordinates below
    columns = {participant.id: index for index, participant in enumerate(sequence.participants)}
    count = len(sequence.participants)
    actor_lines = [two_lines(actor.label, ACTOR_WRAP, actor.line) for actor in sequence.participants]
    actor_widths = [max(ACTOR_MIN_WIDTH, block_width(lines) + 2 * PAD_X) for lines in actor_lines]
    actor_height = max(len(lines) for lines in actor_lines) * LINE_HEIGHT + 2 * PAD_Y
    xs, gaps = _column_positions(sequence, columns, actor_widths)
    left = min(x - width / 2 for x, width in zip(xs, actor_widths))
    right = max(x + width / 2 for x, width in zip(xs, actor_widths))
    top = MARGIN
    y = top + actor_height + ROW_GAP
    parts: list[str] = []
    for event in sequence.events:
        if isinstance(event, Note):
            first, last = sorted((columns[event.first], columns[event.last]))
            if first == last:
                lines = two_lines(event.text, NOTE_WRAP, event.line)
                width = block_width(lines) + 2 * PAD_X
            else:
                span = xs[last] - xs[first] + 2 * NOTE_OVERHANG
                lines = two_lines(event.text, max(span - 2 * PAD_X, NOTE_WRAP), event.line)
                width = max(span, block_width(lines) + 2 * PAD_X)
            centre = (xs[first] + xs[last]) / 2
            height = len(lines) * LINE_HEIGHT + 2 * PAD_Y
            left, right = min(left, centre - width / 2), max(right, centre + width / 2)
            parts.append(
                f'<g class="note"><rect x="{num(centre - width / 2)}" y="{num(y)}" '
                f'width="{num(width)}" height="{num(height)}" rx="2"/>'
                f"{_text_lines(lines, centre, y + PAD_Y)}</g>"
            )
            y += height + ROW_GAP
            continue
        source, target = columns[event.source], columns[event.target]
        classes = " ".join(("message", *event.kind.split()))
        if source == target:
            x = xs[source]
            room = gaps[source] - LOOP_WIDTH - 2 * LABEL_MARGIN if source < count - 1 else SELF_WRAP
            lines = two_lines(event.text, room, event.line)
            label_x = x + LOOP_WIDTH + LABEL_MARGIN
            right = max(right, label_x + block_width(lines) + MARGIN)
            loop_top, loop_bottom = y + 4, y + max(len(lines) * LINE_HEIGHT, 2 * LINE_HEIGHT - 4)
            parts.append(
                f'<g class="{classes} self" {_LABEL_HALO}><path d="M{num(x)} {num(loop_top)}h{LOOP_WIDTH}'
                f'V{num(loop_bottom)}H{num(_line_end(x, -1, event.kind))}"/>{_head(x, loop_bottom, -1, event.kind)}'
                f"{_text_lines(lines, label_x, y)}</g>"
            )
            y = loop_bottom + ROW_GAP
            continue
        x1, x2 = xs[source], xs[target]
        lines = two_lines(event.text, abs(x2 - x1) - 2 * LABEL_MARGIN, event.line)
        arrow_y = y + len(lines) * LINE_HEIGHT + LABEL_GAP
        direction = 1 if x2 > x1 else -1
        parts.append(
            f'<g class="{classes}" {_LABEL_HALO}>'
            f'<path d="M{num(x1)} {num(arrow_y)}H{num(_line_end(x2, direction, event.kind))}"/>'
            f"{_head(x2, arrow_y, direction, event.kind)}{_text_lines(lines, (x1 + x2) / 2, y)}</g>"
        )
        y = arrow_y + ROW_GAP
    lifelines = "".join(f"M{num(x)} {num(top + actor_height)}V{num(y)}" for x in xs)
    actors = "".join(
        f'<g class="actor"><rect x="{num(x - width / 2)}" y="{num(top)}" width="{num(width)}" '
        f'height="{num(actor_height)}" rx="3"/>'
        f"{_text_lines(lines, x, top + (actor_height - len(lines) * LINE_HEIGHT) / 2)}</g>"
        for x, width, lines in zip(xs, actor_widths, actor_lines)
    )
    view_width = right - left + 2 * MARGIN
    if view_width > COLUMN_WIDTH + WIDTH_SLACK:
        widest = max(sequence.events, key=lambda event: text_width(event.text))
        raise SequenceError(
            widest.line, f"the diagram is {view_width:.0f} px wide, wider than the column "
            f"({COLUMN_WIDTH} px); shorten its longest labels, such as '{widest.text}'.",
        )
    return (
        f'<svg class="sequence" viewBox="{num(left - MARGIN)} 0 {num(view_width)} {num(y + MARGIN)}" '
        f'width="{num(view_width * DISPLAY_SCALE)}"><path class="lifeline" d="{lifelines}"/>{actors}{"".join(parts)}</svg>'
    )
