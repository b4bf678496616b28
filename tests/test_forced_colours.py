"""The site in a forced-colours (high-contrast) mode, as Windows offers: Chromium's emulation.

In that mode the browser repaints the page in the visitor's few system colours. Each test
reads what the real site (built once per session, see ``browser.py``) computes under the
emulation, in a light palette and a dark one, and holds it to the system colours, as an
element styled with the keywords themselves (CanvasText, LinkText, Highlight, ...) computes
them in the same page.
"""

from __future__ import annotations

import pytest
from browser import WIDE, one_page_of_each_kind, themed_context

pytestmark = pytest.mark.browser

# Windows' high-contrast themes come light and dark; the emulation follows the colour scheme.
PALETTES = ["light", "dark"]

# The system colours, as the page computes them: the background, and the colours drawn on
# it (text, links, buttons' text and borders, selection). Whatever equals the background is
# not a colour to draw with.
_SYSTEM_COLOURS_JS = """() => {
  const probe = keyword => {
    const el = document.createElement('span');
    el.style.color = keyword;
    document.body.append(el);
    const computed = getComputedStyle(el).color;
    el.remove();
    return computed;
  };
  const canvas = probe('Canvas');
  const ink = ['CanvasText', 'LinkText', 'VisitedText', 'ActiveText', 'ButtonText', 'ButtonBorder',
               'Highlight', 'FieldText'].map(probe).filter(colour => colour !== canvas);
  return {canvas, ink: [...new Set(ink)]};
}"""


def forced_colours_page(browser, site_address, palette):
    context = themed_context(browser, site_address, palette, forced_colors="active", viewport=WIDE)
    return context, context.new_page()


def _describe(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{where}: {found[:6]}" for where, found in problems.items())


# -- Diagrams ------------------------------------------------------------------------------------

# Each diagram's paint: its lines' strokes, its boxes' fills, its words' fill and halo.
_DIAGRAM_PAINT_JS = """() => [...document.querySelectorAll('figure.diagram svg')].flatMap(svg =>
  [...svg.querySelectorAll('path, line, polyline, polygon, rect, circle, ellipse, text')].map(el => {
    const style = getComputedStyle(el);
    return {tag: el.tagName, where: el.tagName + ' in ' + (el.parentElement.getAttribute('class') || 'svg'),
            fill: style.fill, stroke: style.stroke};
  }))"""


@pytest.mark.parametrize("palette", PALETTES)
def test_diagram_lines_and_words_take_the_system_colours(urls_showing, site_address, browser, palette):
    context, page = forced_colours_page(browser, site_address, palette)
    problems = {}
    try:
        for name in urls_showing("figure.diagram svg"):
            page.goto(name)
            system = page.evaluate(_SYSTEM_COLOURS_JS)
            ink, canvas = set(system["ink"]), system["canvas"]
            found = []
            for paint in page.evaluate(_DIAGRAM_PAINT_JS):
                fill, stroke = paint["fill"], paint["stroke"]
                if paint["tag"] == "text":
                    # The words in a system colour; their halo, if any, in the background's.
                    if fill not in ink or stroke not in ("none", canvas):
                        found.append(f"{paint['where']}: words {fill}, halo {stroke}")
                elif stroke not in ink | {"none"} or fill not in ink | {"none", canvas}:
                    found.append(f"{paint['where']}: stroke {stroke}, fill {fill}")
                elif paint["tag"] in ("rect", "ellipse", "circle") and fill in ink:
                    # A box is drawn round words: filled with ink it would hide them.
                    found.append(f"{paint['where']}: a box filled with {fill}, the words' colour")
            if found:
                problems[name] = sorted(set(found))
    finally:
        context.close()
    assert not problems, (
        f"diagrams off the system colours ({palette} palette; system: {system}):\n" + _describe(problems))


# -- Cards and area numbers ----------------------------------------------------------------------

_CARDS_AND_NUMBERS_JS = """() => [
  ...[...document.querySelectorAll('.sd-card.case-study')].flatMap(card => {
    const style = getComputedStyle(card);
    const title = card.querySelector('.sd-card-title').textContent.trim();
    return ['Top', 'Right', 'Bottom', 'Left'].map(side => ({
      what: `card ${JSON.stringify(title)}, ${side.toLowerCase()} border`,
      colour: style[`border${side}Color`],
      drawn: style[`border${side}Style`] !== 'none' && parseFloat(style[`border${side}Width`]) > 0,
    }));
  }),
  ...[...document.querySelectorAll('.area-number')].map(number => ({
    what: `area number ${number.textContent.trim()}`,
    colour: getComputedStyle(number).color,
    drawn: number.checkVisibility(),
  })),
]"""


@pytest.mark.parametrize("palette", PALETTES)
def test_card_borders_and_area_numbers_stay_visible(site, site_address, browser, palette):
    with_cards = [p for p in site.pages() if site.soup(p).select(".sd-card.case-study, .area-number")]
    assert "index.html" in with_cards, "the home page shows no cards"
    context, page = forced_colours_page(browser, site_address, palette)
    problems, checked = {}, 0
    try:
        for name in with_cards:
            page.goto(site_address.url(name))
            ink = set(page.evaluate(_SYSTEM_COLOURS_JS)["ink"])
            items = page.evaluate(_CARDS_AND_NUMBERS_JS)
            checked += len(items)
            found = [f"{item['what']}: {item['colour'] if item['drawn'] else 'not drawn'}"
                     for item in items if not item["drawn"] or item["colour"] not in ink]
            if found:
                problems[name] = found
    finally:
        context.close()
    assert checked, "no card border or area number found: the check looked at nothing"
    assert not problems, (
        f"card borders or area numbers lost in forced colours ({palette} palette, "
        f"system ink: {sorted(ink)}):\n" + _describe(problems))


# -- Focus rings ---------------------------------------------------------------------------------

# What has focus after a Tab, and the ring around it: an outline on it or on an element around
# it (the cards draw theirs on the card). Null once focus leaves the page or comes round again.
# A ring drawn as a box-shadow counts as none: forced colours take shadows away.
_FOCUS_RING_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el.__visitedByTab) return null;
  el.__visitedByTab = true;
  const text = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('href') || '')
               .replace(/\\s+/g, ' ').trim().slice(0, 40);
  for (let node = el; node && node !== document.body; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
      return {what: `${el.tagName.toLowerCase()} ${JSON.stringify(text)}`, colour: style.outlineColor};
  }
  return {what: `${el.tagName.toLowerCase()} ${JSON.stringify(text)}`, colour: null};
}"""


# The rings are the styles' that every page of a kind shares: every focusable element of one
# page of each kind (browser.one_page_of_each_kind) stands for the rest.
@pytest.mark.parametrize("palette", PALETTES)
def test_focus_rings_stay_visible(site, site_address, browser, palette):
    context, page = forced_colours_page(browser, site_address, palette)
    problems, focused = {}, 0
    try:
        for name in one_page_of_each_kind(site):
            page.goto(site_address.url(name))
            ink = set(page.evaluate(_SYSTEM_COLOURS_JS)["ink"])
            found = []
            for _ in range(200):
                page.keyboard.press("Tab")
                ring = page.evaluate(_FOCUS_RING_JS)
                if ring is None:
                    break
                focused += 1
                if ring["colour"] not in ink:
                    found.append(f"{ring['what']}: {ring['colour'] or 'no ring'}")
            if found:
                problems[name] = found
    finally:
        context.close()
    assert focused, "nothing took focus: the check looked at nothing"
    assert not problems, (
        f"focus rings lost in forced colours ({palette} palette, system ink: {sorted(ink)}):\n"
        + _describe(problems))
