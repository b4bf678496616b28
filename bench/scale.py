"""Grow a copy of the site to a given number of pieces, for the benchmark's scale run.

Input: a copy of the site's source folder and the number of pieces wanted, work
areas and case studies together (as the performance issue counts them: the
site today has 10). Output: the same folder with the case studies copied under
new file names (``articles/<name>-copy-<n>.md``) until the count is reached.
Each copy has its own title and summary and goes to the areas in turn, with
the next free order there, so every copy is listed on an area page and the
strict build still passes. The text is the original's: the same headings,
code, diagrams and links (all of them absolute, so they resolve from the copy
too).
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml


def add_pieces(srcdir: Path, pieces: int) -> list[Path]:
    """Copy the case studies under *srcdir* until it holds *pieces* pieces; the copies' paths."""
    areas = [path.stem for path in sorted((srcdir / "work").glob("*.md"))]
    originals = sorted((srcdir / "articles").glob("*.md"))
    pages = {path: _split(path.read_text(encoding="utf-8")) for path in originals}
    next_order = {
        area: 1 + max((fields["order"] for fields, _ in pages.values() if fields["area"] == area), default=0)
        for area in areas
    }
    copies = []
    for number in range(pieces - len(areas) - len(originals)):
        # 7 case studies and 3 areas: taking each in turn puts every case study in every area.
        original, area = originals[number % len(originals)], areas[number % len(areas)]
        copy_number = 2 + number // len(originals)
        fields, body = pages[original]
        # The copy number inside the summary, not around it: the benchmark's summary
        # edit finds the original's summary by its text, and must not find the copies'.
        fields = {
            **fields,
            "title": f"{fields['title']}, copy {copy_number}",
            "area": area,
            "order": next_order[area],
            "summary": f"{fields['summary'].strip().removesuffix('.')} (copy {copy_number}).",
        }
        next_order[area] += 1
        front_matter = "".join(f"{name}: {json.dumps(value, ensure_ascii=False)}\n" for name, value in fields.items())
        copy = original.with_name(f"{original.stem}-copy-{copy_number}.md")
        copy.write_text(f"---\n{front_matter}---\n{body}", encoding="utf-8")
        copies.append(copy)
    return copies


def _split(text: str) -> tuple[dict, str]:
    """A page's front matter fields and the text after them."""
    front_matter, body = text.removeprefix("---\n").split("\n---\n", 1)
    return yaml.safe_load(front_matter), body
