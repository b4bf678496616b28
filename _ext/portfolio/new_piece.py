"""``make new-piece AREA=<area> SLUG=<name>``: start a piece.

Input: an area (the name of a page under ``work/``, without ``.md``) and the new
piece's name, which becomes its file name and address. Output:
``articles/<name>.md`` with valid front matter, marked as a draft (``make
livehtml`` shows it, other builds leave it out) and last in its area's order;
or one line saying what is wrong and what to do, and exit status 1. It never
overwrites a file.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .content import AREAS_DIR, ARTICLES_DIR, load_portfolio

NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A start to write over, in the shape of the README's example piece ("Writing a piece").
TEMPLATE = """\
---
title: {title}
area: {area}
order: {order}
summary: >-
  One paragraph: what the system was and what you did. It shows on the cards,
  as the page's opening paragraph and as its description in search results.
draft: true
---

## A heading that says what this section says

The full piece starts here. No `# title` line: the title comes from the front matter.
"""


def new_piece(srcdir: Path, area: str, name: str) -> Path:
    """Write the piece; a ``ValueError`` with the one line to print when it cannot."""
    areas = sorted(path.stem for path in (srcdir / AREAS_DIR).glob("*.md"))
    if area not in areas:
        raise ValueError(f"AREA={area!r} is not an area; use one of: {', '.join(areas) or 'none yet'} "
                         f"(the pages under {AREAS_DIR}/).")
    if not NAME.fullmatch(name):
        raise ValueError(f"SLUG={name!r}: write the piece's name in lower-case letters, digits and "
                         "hyphens, such as SLUG=payment-gateway; it becomes its address.")
    path = srcdir / ARTICLES_DIR / f"{name}.md"
    if path.exists():
        raise ValueError(f"{ARTICLES_DIR}/{name}.md exists already; choose another SLUG "
                         "(nothing was written).")
    orders = [a.order for a in load_portfolio(srcdir, drafts=True).articles if a.area == area]
    title = name.replace("-", " ").capitalize()
    path.parent.mkdir(exist_ok=True)
    with path.open("x", encoding="utf-8") as file:  # "x": never over a file made meanwhile
        file.write(TEMPLATE.format(title=title, area=area, order=max(orders, default=0) + 1))
    return path


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not all(argv):
        print("make new-piece: give the area and the name: make new-piece AREA=<area> SLUG=<name>",
              file=sys.stderr)
        return 1
    try:
        path = new_piece(Path.cwd(), *argv)
    except ValueError as problem:
        print(f"make new-piece: {problem}", file=sys.stderr)
        return 1
    print(f"Wrote {path.relative_to(Path.cwd())}, a draft: `make livehtml` shows it; remove its "
          "'draft: true' line to publish it.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
