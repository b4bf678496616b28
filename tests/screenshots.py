"""Screenshots of the built site for people to look at (the README shows some): ``make screenshots``.

Input: a built site folder (``_build/html`` unless given). Output: PNGs in ``_build/screenshots/``:
the home page and a piece, each at 375 and 1280 px in light and dark, the first diagram of a
piece likewise, a printed piece, and a piece on a phone in a dark high-contrast mode. Chromium
runs with the browser tests' flags against a server on 127.0.0.1.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import (  # noqa: E402
    CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, REPO, SCREENSHOTS, THEMES, SiteAddress, SiteServer, themed_context,
)

# The printable part of an A4 page (less the margins portfolio.css gives it), at 96 px an inch.
A4_PRINTED_AREA = {"width": 680, "height": 1001}
CENTRE_FIRST_DIAGRAM = "document.querySelector('figure.diagram').scrollIntoView({block: 'center', behavior: 'instant'})"


def pages_of(outdir: Path) -> tuple[str, str | None]:
    """The first card's piece, and the first piece with a diagram (None if no piece has one)."""
    home = (outdir / "index.html").read_text(encoding="utf-8")
    piece = re.search(r'<a class="[^"]*sd-stretched-link[^"]*" href="([^"]+)"', home)[1]
    with_diagram = next((path.relative_to(outdir).as_posix() for path in sorted(outdir.glob("articles/*.html"))
                         if 'class="diagram' in path.read_text(encoding="utf-8")), None)
    return piece, with_diagram


def shoot(page, url: str, path: Path, diagram: bool = False) -> None:
    page.goto(url, wait_until="load")
    if diagram:
        page.evaluate(CENTRE_FIRST_DIAGRAM)
        page.wait_for_timeout(200)
        # Furo shows "Back to top" after a jump; a visitor reading on scrolls it away.
        page.mouse.wheel(0, 40)
        page.wait_for_timeout(300)
    page.screenshot(path=path)
    print(path.relative_to(REPO))


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    outdir = Path(argv[1] if len(argv) > 1 else REPO / "_build" / "html")
    if not (outdir / "index.html").exists():
        raise SystemExit(f"{outdir}: no built site; run `make html` first.")
    piece, with_diagram = pages_of(outdir)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with SiteServer(outdir) as server, sync_playwright() as playwright:
        address = SiteAddress(server.base_url)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for theme in THEMES:
            page = themed_context(browser, address, theme).new_page()
            for viewport in (PHONE, DESKTOP):
                page.set_viewport_size(viewport)
                for name, label in (("index.html", "home"), (piece, "piece")):
                    shoot(page, address.url(name), SCREENSHOTS / f"{label}-{viewport['width']}-{theme}.png")
                if with_diagram:
                    shoot(page, address.url(with_diagram), SCREENSHOTS / f"diagram-{viewport['width']}-{theme}.png",
                          diagram=True)
        # Paper is printed light, whatever the visitor's theme on screen.
        page = themed_context(browser, address, "dark", viewport=A4_PRINTED_AREA).new_page()
        page.emulate_media(media="print")
        shoot(page, address.url(piece), SCREENSHOTS / "piece-print.png")
        page = themed_context(browser, address, "dark", forced_colors="active", viewport=PHONE).new_page()
        shoot(page, address.url(with_diagram or piece), SCREENSHOTS / "piece-375-forced-colours-dark.png",
              diagram=bool(with_diagram))
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
