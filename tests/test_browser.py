"""The site as a visitor meets it: Chromium, light and dark, phone to desktop, keyboard only.

Each test reads the real site built once per session and served on 127.0.0.1 (see
``browser.py``). Failures name the page, the theme and what a visitor would run into.
"""

from __future__ import annotations

import re
import runpy

from urllib.parse import unquote

import pytest
from browser import (
    DESKTOP,
    LAYOUT_SHIFTS_JS,
    REPO,
    PHONE,
    THEMES,
    WIDE,
    WIDTHS,
    one_page_of_each_kind,
    themed_context,
)

pytestmark = pytest.mark.browser


def _report(problems: dict[str, list]) -> str:
    return "\n".join(f"{where}:\n  " + "\n  ".join(map(str, found)) for where, found in problems.items())


def _where(visit) -> str:
    return f"{visit.page} ({visit.theme})"


@pytest.mark.parametrize("theme", THEMES)
def test_axe_reports_no_violations(page_visits, theme):
    problems = {
        _where(v): [f"{x['width']} px: [{x['impact']}] {x['id']}: {x['help']} at {x['targets']}"
                    for x in v.axe_violations]
        for v in page_visits(theme) if v.axe_violations
    }
    assert not problems, "accessibility problems (WCAG 2.2 AA, best practices):\n" + _report(problems)


@pytest.mark.parametrize("theme", THEMES)
def test_pages_log_no_console_errors(page_visits, theme):
    problems = {_where(v): v.console_errors for v in page_visits(theme) if v.console_errors}
    assert not problems, "errors in the browser console:\n" + _report(problems)


@pytest.mark.parametrize("theme", THEMES)
def test_every_request_succeeds(page_visits, theme):
    problems = {_where(v): v.failed_requests for v in page_visits(theme) if v.failed_requests}
    assert not problems, "requests that failed:\n" + _report(problems)


@pytest.mark.parametrize("theme", THEMES)
def test_pages_load_within_their_content_security_policy(page_visits, theme):
    # The policy itself is test_privacy.py's; here every page, built to be published, runs
    # under it in Chromium without a violation.
    problems = {_where(v): v.csp_violations for v in page_visits(theme) if v.csp_violations}
    assert not problems, "blocked by the page's Content-Security-Policy:\n" + _report(problems)
    # Furo's theme script is inline: it ran, so the policy allowed it by its hash.
    not_run = [_where(v) for v in page_visits(theme) if v.theme_set not in ("auto", "light", "dark")]
    assert not not_run, f"Furo's theme script did not run on {not_run}"


@pytest.mark.parametrize("theme", THEMES)
def test_no_page_scrolls_sideways(page_visits, theme):
    problems = {
        _where(v): [
            f"at {width} px: page {o['excess']} px too wide; cut off at the edge: {o['culprits']}"
            for width, o in v.overflow.items() if o["excess"] or o["culprits"]
        ]
        for v in page_visits(theme) if any(o["excess"] or o["culprits"] for o in v.overflow.values())
    }
    assert not problems, f"pages wider than the screen (checked at {WIDTHS} px):\n" + _report(problems)


# -- Diagrams on a phone ---------------------------------------------------------------------------

# Each diagram's text as shown (its 14 px scaled with the picture), and whether its figure
# scrolls sideways and can be reached by keyboard to scroll it.
_DIAGRAM_TEXT_JS = """() => [...document.querySelectorAll('figure.diagram')].map(figure => {
  const svg = figure.querySelector('svg');
  return {text: 14 * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width,
          centred: Math.abs((svg.getBoundingClientRect().left + svg.getBoundingClientRect().right)
                            - (figure.getBoundingClientRect().left + figure.getBoundingClientRect().right)) <= 2,
          scrolls: figure.scrollWidth > figure.clientWidth + 1, focusable: figure.tabIndex >= 0,
          alt: svg.querySelector('title').textContent.slice(0, 50)};
})"""

# Drawn at 14 px, a diagram may shrink to fit a phone's column, down to this; past it, the
# figure scrolls sideways instead, and takes keyboard focus so it can be scrolled.
SMALLEST_DIAGRAM_TEXT = 11
# On a laptop a diagram is shown at a size that uses the column, centred in it.
LAPTOP_DIAGRAM_TEXT = (14, 16)


# Each label of a diagram (an edge's or a message's) against its own line and the other labels,
# in CSS px: the least distance from its letters' box to its line, and the least gap to another
# label beside it (on the same height). Paths are sampled every unit along their length.
_DIAGRAM_LABELS_JS = """() => [...document.querySelectorAll('figure.diagram svg')].flatMap(svg => {
  const scale = svg.getScreenCTM().a;
  const points = shape => shape.points ? [...shape.points].map(p => [p.x, p.y])
    : Array.from({length: Math.ceil(shape.getTotalLength()) + 1},
                 (_, i) => { const p = shape.getPointAtLength(i); return [p.x, p.y]; });
  const labels = [...svg.querySelectorAll('g.edge, g.message')].filter(g => g.querySelector('text')).map(g => {
    const boxes = [...g.querySelectorAll('text')].map(t => t.getBBox());
    return {text: [...g.querySelectorAll('text')].map(t => t.textContent).join(' '),
            l: Math.min(...boxes.map(b => b.x)), t: Math.min(...boxes.map(b => b.y)),
            r: Math.max(...boxes.map(b => b.x + b.width)), b: Math.max(...boxes.map(b => b.y + b.height)),
            line: [...g.querySelectorAll(':scope > path, :scope > polygon')].flatMap(points)};
  });
  return labels.map(a => ({
    alt: svg.querySelector('title').textContent.slice(0, 40), text: a.text,
    line: scale * Math.min(...a.line.map(([x, y]) => Math.hypot(Math.max(a.l - x, 0, x - a.r),
                                                                 Math.max(a.t - y, 0, y - a.b)))),
    beside: Math.min(Infinity, ...labels.filter(b => b !== a && a.t < b.b && b.t < a.b)
                                         .map(b => scale * Math.max(b.l - a.r, a.l - b.r)))}));
})"""
LABEL_TO_LINE = 2  # px, at least
LABEL_TO_LABEL = 14  # px, at least: a word space reads as one phrase


def test_diagrams_use_the_column_and_labels_stand_clear_of_lines_and_each_other(urls_showing, theme_contexts):
    pages = urls_showing("figure.diagram")
    page = theme_contexts["light"].new_page()
    problems, labels = {}, 0
    try:
        page.set_viewport_size(DESKTOP)
        for name in pages:
            page.goto(name)
            found = [f"{f['alt']!r}...: text at {f['text']:.1f} px, not centred" if not f["centred"] else
                     f"{f['alt']!r}...: text at {f['text']:.1f} px"
                     for f in page.evaluate(_DIAGRAM_TEXT_JS)
                     if not LAPTOP_DIAGRAM_TEXT[0] - 0.05 <= f["text"] <= LAPTOP_DIAGRAM_TEXT[1] or not f["centred"]]
            for label in page.evaluate(_DIAGRAM_LABELS_JS):
                labels += 1
                if label["line"] < LABEL_TO_LINE or label["beside"] < LABEL_TO_LABEL:
                    found.append(f"{label['alt']!r}...: {label['text']!r} {label['line']:.1f} px from its line, "
                                 f"{label['beside']:.1f} px from the next label")
            if found:
                problems[name] = found
    finally:
        page.close()
    assert labels, "no diagram has a labelled line: the check would prove nothing"
    assert not problems, "at 1280 px:\n" + _report(problems)


def test_diagram_text_stays_legible_on_the_narrowest_phone(urls_showing, theme_contexts):
    page = theme_contexts["light"].new_page()
    problems = {}
    try:
        page.set_viewport_size({"width": min(WIDTHS), "height": 800})
        for name in urls_showing("figure.diagram"):
            page.goto(name)
            figures = page.evaluate(_DIAGRAM_TEXT_JS)
            found = [
                f"{figure['alt']!r}...: text at {figure['text']:.1f} px" for figure in figures
                if figure["text"] < SMALLEST_DIAGRAM_TEXT - 0.05
            ] + [
                f"{figure['alt']!r}...: scrolls sideways but the keyboard cannot reach it"
                for figure in figures if figure["scrolls"] and not figure["focusable"]
            ]
            if found:
                problems[name] = found
    finally:
        page.close()
    assert not problems, (
        f"at {min(WIDTHS)} px, diagram text under {SMALLEST_DIAGRAM_TEXT} px:\n" + _report(problems))


# -- Nothing hidden behind the header ----------------------------------------------------------

# Every section a link can jump to: its id and the ids of the targets written just inside it.
_SECTION_TARGETS_JS = """() => [...document.querySelectorAll('article[role=main] section')].flatMap(
  section => [section.id, ...[...section.children].filter(c => c.tagName === 'SPAN' && c.id)
                                                    .map(c => c.id)].filter(Boolean))"""

# Jumps to #id from the top of the page, without Furo's smooth scrolling (where the jump ends
# is the question, not how it gets there), waits until scrolling stops, then measures the
# section's heading against the sticky header.
_JUMP_JS = """async (id) => {
  document.documentElement.style.scrollBehavior = 'auto';
  window.scrollTo(0, 0);
  location.hash = id;
  let last = -1, still = 0;
  while (still < 5) {
    await new Promise(r => requestAnimationFrame(r));
    still = window.scrollY === last ? still + 1 : 0;
    last = window.scrollY;
  }
  const target = document.getElementById(id);
  const section = target.closest('section');
  const heading = section.querySelector(':scope > h1, :scope > h2, :scope > h3, :scope > h4');
  const header = document.querySelector('.mobile-header');
  return {heading: heading.textContent.replace('¶', '').trim(),
          top: heading.getBoundingClientRect().top,
          headerBottom: header.getBoundingClientRect().bottom,
          headerShown: getComputedStyle(header).display !== 'none'};
}"""


# Where a jump ends is the header's and the section's styles, which every page of a kind shares:
# one page of each kind (browser.one_page_of_each_kind) stands for the rest. One theme stands for
# both: a theme changes only colours (test_code_is_set_the_same_in_both_themes).
def test_headings_land_below_the_sticky_header_on_a_phone(site, site_address, theme_contexts):
    theme = "dark"
    page = theme_contexts[theme].new_page()
    page.set_viewport_size(PHONE)
    hidden, jumps = {}, 0
    try:
        for name in one_page_of_each_kind(site):
            page.goto(site_address.url(name))
            for target in page.evaluate(_SECTION_TARGETS_JS):
                jump = page.evaluate(_JUMP_JS, target)
                jumps += 1
                assert jump["headerShown"], f"{name}: Furo's phone header is not shown at 375 px"
                if jump["top"] < jump["headerBottom"]:
                    hidden.setdefault(name, []).append(
                        f"#{target} ({jump['heading']!r}): heading top at {jump['top']:.0f} px, "
                        f"header ends at {jump['headerBottom']:.0f} px")
    finally:
        page.close()
    assert jumps > 0, "no section targets found: the check looked at nothing"
    assert not hidden, f"headings hidden behind the header after following a link ({theme}):\n" + _report(hidden)


# -- No layout shift ------------------------------------------------------------------------

# A phone is slower than this machine: with the CPU slowed, a script that changes the layout
# late (after the first paint) has the time to show it. Half the CPU, since the suite runs on
# every core at once and this test already shares its core: at a quarter on top of that,
# Chromium painted the largest page before its header was parsed (its buttons 16 px wide, then
# 64), a frame of parsing, not of the page's scripts or styles. The phone loads each page in one
# theme: the theme is picked before the first paint and only changes colours (that switching
# theme moves nothing is test_code_is_set_the_same_in_both_themes' promise). On a laptop,
# every page is measured in both themes on the one visit each gets (browser.py).
_LAYOUT_SHIFT_SETTINGS = [
    pytest.param("dark", PHONE, 2, id="dark-375px-cpu-2x"),
]


def _shift_report(total: float, shifts: list[dict]) -> list[str]:
    return [f"layout shift {total:.4f}:"] + [
        f"  {shift['value']:.4f}: {'; '.join(shift['moved'])}" for shift in shifts]


@pytest.mark.parametrize("theme", THEMES)
def test_nothing_moves_while_a_page_loads_on_a_laptop(page_visits, theme):
    problems = {
        _where(v): _shift_report(sum(shift["value"] for shift in v.layout_shifts), v.layout_shifts)
        for v in page_visits(theme) if v.layout_shifts
    }
    assert not problems, (
        f"parts of the page move after they are shown (CLS is not 0) at {WIDE['width']} px:\n"
        + _report(problems))


@pytest.mark.parametrize(("theme", "viewport", "slowdown"), _LAYOUT_SHIFT_SETTINGS)
def test_nothing_moves_while_a_page_loads(site, site_address, browser, theme, viewport, slowdown):
    context = themed_context(browser, site_address, theme, viewport=viewport)
    page = context.new_page()
    problems = {}
    try:
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
        # What shifts is a template's, a stylesheet's or a script's, shared by every page of a
        # kind: one page of each kind (browser.one_page_of_each_kind) stands for the rest.
        for name in one_page_of_each_kind(site):
            # A shift the page causes (a late font, image or script) happens on every load.
            # On a loaded machine Chromium now and then paints one frame early (the header's
            # buttons not yet laid out) on a single load: a page counts as shifting only if
            # it shifts on three loads running.
            for _ in range(3):
                page.goto(site_address.url(name), wait_until="networkidle")
                shifts = page.evaluate(LAYOUT_SHIFTS_JS)
                total = sum(shift["value"] for shift in shifts)
                if total == 0:
                    break
            else:
                problems[name] = _shift_report(total, shifts)
    finally:
        context.close()
    assert not problems, (
        f"parts of the page move after they are shown (CLS is not 0) at {viewport['width']} px, "
        f"{theme} theme:\n" + _report(problems))


# -- Theme toggle ------------------------------------------------------------------------------

_THEME_JS = """() => ({theme: document.body.dataset.theme, stored: localStorage.getItem('theme'),
                     background: getComputedStyle(document.body).backgroundColor})"""


def test_theme_toggle_switches_and_remembers(browser, site_address):
    # A first visit: no stored choice, the system asks for light.
    context = browser.new_context(color_scheme="light", viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(site_address.url("index.html"))
        first = page.evaluate(_THEME_JS)
        assert first["theme"] == "auto" and first["stored"] is None, first
        seen = [first]
        for _ in range(2):
            page.locator(".theme-toggle:visible").click()
            picked = page.evaluate(_THEME_JS)
            assert picked["theme"] in ("light", "dark") and picked["theme"] != seen[-1]["theme"], (
                f"the toggle did not switch to another theme: {seen[-1]} -> {picked}")
            assert picked["stored"] == picked["theme"], f"the choice is not stored: {picked}"
            page.reload()
            after_reload = page.evaluate(_THEME_JS)
            assert after_reload == picked, f"the choice is forgotten on reload: {picked} -> {after_reload}"
            seen.append(picked)
        by_theme = {state["theme"]: state["background"] for state in seen}
        assert by_theme["dark"] != by_theme["light"], f"dark and light look the same: {by_theme}"
        assert by_theme["auto"] == by_theme["light"], "with the system in light, auto is not light"
    finally:
        context.close()


# -- Keyboard ----------------------------------------------------------------------------------

# Before any key is pressed: the links a keyboard should reach (shown, not taken out of the tab
# order), in DOM order, and how everything that can take focus, and its ancestors, look unfocused.
_LINKS_BEFORE_TAB_JS = """() => {
  const shown = a => a.getClientRects().length > 0 && getComputedStyle(a).visibility !== 'hidden'
                     && a.tabIndex >= 0 && !a.closest('[inert]');
  const look = el => { const s = getComputedStyle(el);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join('|'); };
  window.__links = [...document.querySelectorAll('a[href]')].filter(shown);
  window.__unfocused = new Map();
  const focusable = document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]');
  for (const control of focusable)
    for (let el = control; el && el !== document.body; el = el.parentElement)
      if (!window.__unfocused.has(el)) window.__unfocused.set(el, look(el));
  return window.__links.length;
}"""

# After each Tab: what has focus, and whether it, or an element around it, now shows a ring
# (an outline or a shadow that was not there before it took focus), and the ring's contrast
# with what is behind it. Null once focus leaves the page or comes round to an element it has
# already visited.
#
# The contrast is WCAG 2.2's non-text contrast (1.4.11, at least 3:1): the ring's colour
# (the outline's, or the first shadow's) against the background it is drawn on, which is the
# element's own when the ring is drawn inside it (a negative outline offset, an inset shadow)
# and its parent's otherwise. That background is every background colour from the root down,
# laid over each other by their alpha; colours are read back through a canvas, so any CSS
# colour syntax compares alike. Background images are not looked at: the site has none
# behind a link.
_FOCUSED_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el.__visitedByTab) return null;
  el.__visitedByTab = true;
  const ring = node => { const s = getComputedStyle(node);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'; };
  const look = node => { const s = getComputedStyle(node);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join('|'); };
  const canvas = document.createElement('canvas').getContext('2d', {willReadFrequently: true});
  const rgba = css => {
    canvas.clearRect(0, 0, 1, 1); canvas.fillStyle = '#000'; canvas.fillStyle = css;
    canvas.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = canvas.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  };
  const over = ([r, g, b, a], [R, G, B]) => [r * a + R * (1 - a), g * a + G * (1 - a), b * a + B * (1 - a)];
  const backgroundOf = node => {
    const chain = [];
    for (let n = node; n; n = n.parentElement) chain.unshift(n);
    return chain.reduce((below, n) => over(rgba(getComputedStyle(n).backgroundColor), below), [255, 255, 255]);
  };
  const luminance = rgb => {
    const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (x, y) => {
    const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p);
    return (hi + 0.05) / (lo + 0.05);
  };
  let visible = false, ringContrast = null, ringColour = '', behind = '';
  for (let node = el; node && node !== document.body; node = node.parentElement) {
    if (!ring(node) || window.__unfocused.get(node) === look(node)) continue;
    visible = true;
    const s = getComputedStyle(node);
    const outlined = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const colour = outlined ? s.outlineColor
      : s.boxShadow.match(/^(?:rgba?|hsla?|color|oklch|oklab|lab|lch)\\([^)]*\\)|^\\S+/)[0];
    const inside = outlined ? parseFloat(s.outlineOffset) < 0 : /\\binset\\b/.test(s.boxShadow.split(/,(?![^(]*\\))/)[0]);
    const background = backgroundOf(inside ? node : node.parentElement || node);
    const drawn = over(rgba(colour), background);
    ringContrast = contrast(drawn, background);
    ringColour = colour;
    behind = `rgb(${background.map(Math.round).join(', ')})`;
    break;
  }
  const text = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('href') || '')
               .replace(/\\s+/g, ' ').trim().slice(0, 50);
  return {index: window.__links.indexOf(el), tag: el.tagName.toLowerCase(), text, visible,
          contrast: ringContrast, colour: ringColour, behind};
}"""

# WCAG 2.2 success criterion 1.4.11 (non-text contrast): a focus indicator against what is next to it.
FOCUS_RING_CONTRAST = 3.0


# Tab order and focus rings come from the templates and the styles every page of a kind shares:
# every link of one page of each kind (browser.one_page_of_each_kind) stands for the rest.
@pytest.mark.parametrize("theme", THEMES)
def test_keyboard_reaches_every_link_in_order_and_sees_where_focus_is(site, site_address, theme_contexts, theme):
    page = theme_contexts[theme].new_page()
    page.set_viewport_size(WIDE)
    problems = {}
    try:
        for name in one_page_of_each_kind(site):
            page.goto(site_address.url(name))
            expected = page.evaluate(_LINKS_BEFORE_TAB_JS)
            tabbed, found = [], []
            for _ in range(expected + 60):
                page.keyboard.press("Tab")
                focused = page.evaluate(_FOCUSED_JS)
                if focused is None:
                    break
                tabbed.append(focused)
            reached = [item for item in tabbed if item["tag"] == "a"]
            indices = [link["index"] for link in reached]
            missed = sorted(set(range(expected)) - set(indices))
            if missed:
                found.append(f"{len(missed)} of {expected} links never take focus (DOM positions {missed[:10]})")
            if indices != sorted(indices) or len(set(indices)) != len(indices):
                found.append(f"focus leaves DOM order: {indices}")
            if expected == 0:
                found.append("no link to reach: the check looked at nothing")
            found += [f"no visible focus ring on {item['tag']} {item['text']!r}" for item in tabbed if not item["visible"]]
            found += [
                f"focus ring on {item['tag']} {item['text']!r} hard to see: {item['colour']} on {item['behind']}, "
                f"contrast {item['contrast']:.2f}:1 (needs {FOCUS_RING_CONTRAST:.0f}:1)"
                for item in tabbed if item["visible"] and item["contrast"] < FOCUS_RING_CONTRAST
            ]
            if found:
                problems[name] = found
    finally:
        page.close()
    assert not problems, f"keyboard navigation ({theme} theme):\n" + _report(problems)


# Where the Tab after the skip link lands, and where it should: the first thing that takes focus
# inside the content, or, on a page whose content has none (the search page before a search,
# an empty index), the first one after it, as from any point in a page.
_AFTER_SKIP_JS = """() => {
  const main = document.getElementById('furo-main-content');
  const takesFocus = el => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== 'hidden' && !el.closest('[inert]');
  const after = el => main.contains(el)
    || !!(main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
  const first = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
    .find(el => takesFocus(el) && after(el));
  const describe = el => !el ? 'nothing' : el.tagName.toLowerCase() + ' '
    + (el.getAttribute('aria-label') || el.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 40);
  return {expected: !!first && document.activeElement === first,
          focused: describe(document.activeElement), first: describe(first)};
}"""


# The skip link is the template's, on one page of each kind (browser.one_page_of_each_kind), in
# one theme: where it appears and where it leads take no colour (that it shows when focused, in
# each theme's colours, is the keyboard test's).
def test_skip_link_is_first_and_jumps_to_the_content(site, site_address, theme_contexts):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = theme_contexts["light"].new_page()
    page.set_viewport_size(PHONE)
    problems = {}
    try:
        for name in one_page_of_each_kind(site):
            page.goto(site_address.url(name))
            page.keyboard.press("Tab")
            if not page.evaluate("document.activeElement.classList.contains('skip-to-content')"):
                problems[name] = ["the first Tab does not land on the skip link"]
                continue
            # It slides into view when focused: wait for it to arrive, then it must be on screen.
            try:
                page.wait_for_function("""() => {
                  const box = document.querySelector('.skip-to-content').getBoundingClientRect();
                  return box.top >= 0 && box.bottom <= innerHeight && box.height > 0;
                }""", timeout=2000)
            except PlaywrightTimeout:
                problems[name] = ["the focused skip link does not come into view"]
                continue
            page.keyboard.press("Enter")
            if page.evaluate("location.hash") != "#furo-main-content":
                problems[name] = [f"the skip link leads to {page.evaluate('location.hash')!r}, not the content"]
                continue
            page.keyboard.press("Tab")
            landed = page.evaluate(_AFTER_SKIP_JS)
            if not landed["expected"]:
                problems[name] = [f"after the skip link, the next Tab goes to {landed['focused']!r}, "
                                  f"not into the page's content (first there: {landed['first']!r})"]
    finally:
        page.close()
    assert not problems, "skip link (375 px):\n" + _report(problems)


# -- Search ------------------------------------------------------------------------------------

def _pieces_mentioning(site, word: str) -> set[str]:
    """The pieces (articles and area essays) whose text has *word*, as the built site shows them."""
    pattern = re.compile(rf"\b{re.escape(word)}s?\b", re.IGNORECASE)
    return {
        page for page in site.pages()
        if page.startswith(("articles/", "work/"))
        and pattern.search(site.soup(page).select_one("article[role=main]").get_text(" "))
    }


def words_to_search(site) -> dict[str, str]:
    """A word only one piece has, and the word the most pieces share, from the pieces' own
    summaries (long words, so never one search leaves out as too common)."""
    texts = [
        site.soup(page).select_one("article[role=main]").get_text(" ")
        for page in site.pages() if page.startswith(("articles/", "work/"))
    ]
    words = {word for text in texts for word in re.findall(r"\b[a-z]{9,}\b", text)}
    counts = {word: len(_pieces_mentioning(site, word)) for word in sorted(words)}
    return {
        "a word one piece has": max((w for w, n in counts.items() if n == 1), key=len),
        "a word many pieces share": max(counts, key=lambda w: (counts[w], len(w))),
    }


@pytest.mark.parametrize("which", ["a word one piece has", "a word many pieces share"])
def test_search_finds_the_pieces_that_mention_a_word(site, site_address, theme_contexts, which):
    word = words_to_search(site)[which]
    expected = _pieces_mentioning(site, word)
    assert expected, f"no piece mentions {word!r}: the search check would prove nothing"
    page = theme_contexts["light"].new_page()
    try:
        page.goto(site_address.url(f"search.html?q={word}"))
        page.wait_for_function(
            "() => (document.querySelector('#search-results .search-summary')?.textContent || '') !== ''")
        hrefs = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(a => a.href)")
        found = {site_address.page_of(href) for href in hrefs}
        assert expected <= found, f"searching {word!r} misses {sorted(expected - found)}; it found {sorted(found)}"
        # A result that has the word as written (the search also finds its other forms) opens
        # with the word marked where it occurs, as a stock Sphinx site does.
        opened = next(i for i, href in enumerate(hrefs) if site_address.page_of(href) in expected)
        page.locator("#search-results ul.search li a").nth(opened).click()
        page.wait_for_selector("article span.highlighted", timeout=5000)
        marked = page.eval_on_selector_all("article span.highlighted", "els => els.map(e => e.textContent)")
    finally:
        page.close()
    assert marked and all(text.lower() == word.lower() for text in marked), marked


# -- The hero -----------------------------------------------------------------------------------

_NAME_AND_HEADLINE_SIZES_JS = """() => {
  const size = el => parseFloat(getComputedStyle(el).fontSize);
  return [size(document.querySelector('article[role=main] h1')),
          size(document.querySelector('.hero-headline'))];
}"""


@pytest.mark.parametrize("width", [320, 1280])
def test_the_name_is_set_smaller_than_the_headline(site_address, theme_contexts, width):
    page = theme_contexts["light"].new_page()
    try:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(site_address.url("index.html"))
        name, headline = page.evaluate(_NAME_AND_HEADLINE_SIZES_JS)
    finally:
        page.close()
    assert name < headline, (
        f"at {width} px the name ({name} px) is not smaller than the headline ({headline} px)"
    )


# -- Reachable from the first screen -----------------------------------------------------------

# The links on screen without scrolling: their addresses, for links shown and inside the viewport.
_LINKS_IN_FIRST_VIEWPORT_JS = """() => [...document.querySelectorAll('article[role=main] a[href]')].filter(a => {
  const box = a.getBoundingClientRect();
  return box.height > 0 && box.top >= 0 && box.bottom <= innerHeight && box.left >= 0 && box.right <= innerWidth
    && getComputedStyle(a).visibility !== 'hidden';
}).map(a => a.getAttribute('href'))"""

FIRST_SCREENS = [{"width": 375, "height": 812}, {"width": 1280, "height": 800}]


@pytest.mark.parametrize("viewport", FIRST_SCREENS, ids=lambda v: f"{v['width']}x{v['height']}")
def test_a_way_to_reach_the_owner_is_on_the_first_screen(site_address, theme_contexts, viewport):
    contact = runpy.run_path(str(REPO / "conf.py"))["portfolio_contact"]
    addresses = {entry["url"] for entry in contact}
    page = theme_contexts["light"].new_page()
    try:
        page.set_viewport_size(viewport)
        page.goto(site_address.url("index.html"))
        on_screen = page.evaluate(_LINKS_IN_FIRST_VIEWPORT_JS)
    finally:
        page.close()
    # Sphinx writes a mailto address with its "@" escaped (%40): the same address.
    assert addresses & {unquote(link) for link in on_screen}, (
        f"at {viewport['width']}x{viewport['height']} no way to reach the owner ({sorted(addresses)}) "
        f"is on the home page's first screen; the links there: {on_screen}")


# -- Pieces at a reading measure -----------------------------------------------------------------

# The most characters on one line of any paragraph or list item of a piece's text (not code,
# diagrams, tables or cards, which may use the full column), and where: each character's line is
# the top of its box as laid out.
_LONGEST_LINE_JS = """() => {
  let longest = 0, where = '', wrapped = 0;  // wrapped: the longest line of a block that wraps
  const range = document.createRange();
  for (const block of document.querySelectorAll('article[role=main] :is(p, li)')) {
    if (block.closest('.sd-card, .hero, figure, .highlight, table, .diagram') || block.querySelector('p')) continue;
    const lines = new Map();
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode());)
      for (let i = 0; i < node.length; i++) {
        range.setStart(node, i); range.setEnd(node, i + 1);
        const box = range.getClientRects()[0];
        if (!box) continue;
        const line = Math.round(box.top / 4);
        lines.set(line, (lines.get(line) || 0) + 1);
      }
    for (const count of lines.values())
      if (count > longest) { longest = count; where = block.textContent.trim().slice(0, 50); }
    if (lines.size > 1) wrapped = Math.max(wrapped, ...lines.values());
  }
  return {longest, where, wrapped};
}"""

# A reading measure: about 60 to 75 characters a line; never past 80 on a laptop.
MEASURE = (60, 80)


def test_pieces_read_at_a_measure_on_a_laptop(site, site_address, theme_contexts):
    pieces = [name for name in site.pages() if name.startswith(("articles/", "work/"))]
    assert pieces, "no pieces to measure"
    page = theme_contexts["light"].new_page()
    outside = {}
    try:
        page.set_viewport_size(DESKTOP)
        for name in pieces:
            page.goto(site_address.url(name))
            line = page.evaluate(_LONGEST_LINE_JS)
            # Too long anywhere; too short only where the text had to wrap (a piece may be short).
            if line["longest"] > MEASURE[1] or 0 < line["wrapped"] < MEASURE[0]:
                outside[name] = [f"longest line {line['longest']} characters ({line['where']!r}...)"]
    finally:
        page.close()
    assert not outside, (
        f"at {DESKTOP['width']} px body text runs outside {MEASURE[0]}-{MEASURE[1]} characters a line:\n"
        + _report(outside))


# -- Browser chrome ------------------------------------------------------------------------------

# The page's background as painted, and the theme-color its head gives for the visitor's scheme.
_BACKGROUND_AND_THEME_COLOR_JS = """() => {
  const hex = rgb => '#' + rgb.match(/\\d+/g).slice(0, 3)
    .map(n => Number(n).toString(16).padStart(2, '0')).join('');
  const tag = [...document.querySelectorAll('meta[name=theme-color]')]
    .find(meta => matchMedia(meta.media || 'all').matches);
  return [hex(getComputedStyle(document.body).backgroundColor), tag && tag.content.toLowerCase()];
}"""


@pytest.mark.parametrize("theme", THEMES)
def test_the_browser_chrome_takes_the_page_background_in_each_theme(site_address, theme_contexts, theme):
    # portfolio_theme_colors (Furo's backgrounds unless conf.py sets it) copies the theme's background: a change to
    # either alone shows here.
    page = theme_contexts[theme].new_page()
    try:
        page.goto(site_address.url("index.html"))
        background, theme_color = page.evaluate(_BACKGROUND_AND_THEME_COLOR_JS)
    finally:
        page.close()
    assert theme_color == background, (
        f"{theme}: theme-color {theme_color} but the page background is {background}: "
        "set portfolio_theme_colors in conf.py to the background"
    )


def test_code_is_set_the_same_in_both_themes(urls_showing, theme_contexts):
    # Switching theme must not reflow a page: the code's type is the theme's
    # colours only (the dark Pygments style once overrode Furo's line height).
    with_code = urls_showing("article .highlight pre")
    measured = {}
    for theme in THEMES:
        page = theme_contexts[theme].new_page()
        try:
            page.goto(with_code[0])
            measured[theme] = page.evaluate("""() => {
              const style = getComputedStyle(document.querySelector('article .highlight pre'));
              return [style.lineHeight, style.fontSize, style.fontFamily];
            }""")
        finally:
            page.close()
    assert measured["light"] == measured["dark"], f"{with_code[0]}: {measured}"


_CODE_BLOCKS_JS = """() => [...document.querySelectorAll('article div.highlight pre')].map(pre => {
  const frame = pre.closest('.code-scroller');
  return {wraps: getComputedStyle(pre).whiteSpace !== 'pre', framed: !!frame,
          scrolls: frame && frame.scrollWidth > frame.clientWidth + 1,
          reachable: frame && frame.tabIndex === 0 && !!frame.getAttribute('aria-label'),
          text: pre.textContent.trim().slice(0, 30)};
})"""


def test_code_keeps_its_lines_and_a_wide_block_scrolls_by_keyboard_on_a_phone(urls_showing, theme_contexts):
    with_code = urls_showing("article div.highlight")
    page = theme_contexts["light"].new_page()
    problems, scrolled = {}, 0
    try:
        page.set_viewport_size({"width": min(WIDTHS), "height": 800})
        for name in with_code:
            page.goto(name)
            for block in page.evaluate(_CODE_BLOCKS_JS):
                scrolled += bool(block["scrolls"])
                if block["wraps"] or not block["framed"] or (block["scrolls"] and not block["reachable"]):
                    problems.setdefault(name, []).append(f"{block}")
    finally:
        page.close()
    assert scrolled, f"no code block is wider than a {min(WIDTHS)} px column: the check would prove nothing"
    assert not problems, "code that wraps, or scrolls out of a keyboard's reach:\n" + _report(problems)


# Every coloured word of every code block against the block's background, as the browser paints
# them: [text colour, background colour, sample] for each distinct pair.
_CODE_COLOURS_JS = """() => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const seen = new Map();
  for (const block of document.querySelectorAll('article div.highlight')) {
    const background = getComputedStyle(block.closest('.code-scroller') || block).backgroundColor;
    for (const el of [block.querySelector('pre'), ...block.querySelectorAll('pre span')]) {
      if (!el.textContent.trim()) continue;
      const key = getComputedStyle(el).color + background;
      if (!seen.has(key)) seen.set(key, [rgb(getComputedStyle(el).color), rgb(background), el.textContent.trim().slice(0, 20)]);
    }
  }
  return [...seen.values()];
}"""


def _contrast(first, second) -> float:
    def luminance(rgb):
        channels = [c / 255 for c in rgb]
        channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("theme", THEMES)
def test_every_code_colour_reads_at_aa_on_the_code_background(urls_showing, theme_contexts, theme):
    with_code = urls_showing("article div.highlight")
    page = theme_contexts[theme].new_page()
    faint = set()
    try:
        for name in with_code:
            page.goto(name)
            for colour, background, sample in page.evaluate(_CODE_COLOURS_JS):
                if _contrast(colour, background) < 4.5:
                    faint.add(f"{name}: {sample!r} rgb{tuple(colour)} on rgb{tuple(background)} "
                              f"({_contrast(colour, background):.2f}:1)")
    finally:
        page.close()
    assert not faint, f"{theme}: code under 4.5:1:\n" + "\n".join(sorted(faint))


# -- Cards ---------------------------------------------------------------------------------------

# The left and right edges of each card grid, and of the text column it sits in (its section,
# whose paragraphs fill it).
_CARD_GRID_EDGES_JS = """() => [...document.querySelectorAll('.case-studies')].map(grid => {
  const cards = [...grid.querySelectorAll('.sd-card')].map(card => card.getBoundingClientRect());
  const box = grid.parentElement.getBoundingClientRect();
  const width = el => grid.querySelector(el).getBoundingClientRect().width;
  // A row short of cards (an area with one case study) ends before the right edge.
  const perRow = Math.round(width('.sd-row') / width('.sd-col'));
  return {text: [box.left, box.right], full: cards.length >= perRow,
          cards: [Math.min(...cards.map(c => c.left)), Math.max(...cards.map(c => c.right))]};
})"""


@pytest.mark.parametrize("width", [320, 768, 1280])
def test_card_grids_line_up_with_the_text_column(site, site_address, theme_contexts, width):
    pages_with_cards = [p for p in site.pages() if site.soup(p).select(".case-studies .sd-card")]
    assert "index.html" in pages_with_cards, "the home page shows no cards"
    page = theme_contexts["light"].new_page()
    misaligned = {}
    try:
        page.set_viewport_size({"width": width, "height": 800})
        for name in pages_with_cards:
            page.goto(site_address.url(name))
            for grid in page.evaluate(_CARD_GRID_EDGES_JS):
                edges = zip(grid["cards"], grid["text"]) if grid["full"] else [
                    (grid["cards"][0], grid["text"][0])]
                if any(abs(card - text) > 1 for card, text in edges):
                    misaligned.setdefault(name, []).append(
                        f"cards {grid['cards']} under text {grid['text']}")
    finally:
        page.close()
    assert not misaligned, f"at {width} px the cards are not flush with the text:\n" + _report(misaligned)


# Each area's title on the home page, as its heading shows it (without its number and "¶").
_AREA_TITLES_JS = """() => [...document.querySelectorAll('p.read-more')].map(p => {
  const heading = p.closest('section').querySelector('h3').cloneNode(true);
  heading.querySelectorAll('.area-number, .headerlink').forEach(el => el.remove());
  return heading.textContent.trim();
})"""


def test_each_read_the_full_piece_link_is_announced_with_its_area(site_address, theme_contexts):
    from playwright.sync_api import expect

    page = theme_contexts["light"].new_page()
    try:
        page.goto(site_address.url("index.html"))
        titles = page.evaluate(_AREA_TITLES_JS)
        links = page.locator(".read-more a")
        assert titles and links.count() == len(titles), "an area without its Read the full piece link"
        for i, title in enumerate(titles):
            # Its name starts with the words seen, then names the area (WCAG 2.5.3, label in
            # name); the arrow after them is the stylesheet's.
            expect(links.nth(i)).to_have_accessible_name(re.compile(rf"^Read the full piece — {re.escape(title)}( →)?$"))
            # ... while what is seen stays the owner's words: the area's title takes no room.
            shown = links.nth(i).evaluate(
                "a => [...a.querySelectorAll('.read-more-area')].map(el => el.getBoundingClientRect().width)")
            assert shown and max(shown) <= 1, f"the link under {title!r} shows the area's title too"
    finally:
        page.close()


def test_each_card_is_one_link_named_by_its_title(site, site_address, theme_contexts):
    # A link's name is the page's structure, not its colours: one theme stands for both.
    from playwright.sync_api import expect

    pages_with_cards = [p for p in site.pages() if site.soup(p).select(".sd-card.case-study")]
    assert "index.html" in pages_with_cards, "the home page shows no cards"
    page = theme_contexts["light"].new_page()
    try:
        for name in pages_with_cards:
            page.goto(site_address.url(name))
            cards = page.locator(".sd-card.case-study")
            for i in range(cards.count()):
                card = cards.nth(i)
                title = card.locator(".sd-card-title").inner_text().strip()
                assert card.locator("a").count() == 1, f"{name}: the card {title!r} holds more than one link"
                link = card.get_by_role("link")
                expect(link).to_have_accessible_name(title)
                # What a screen reader's list of links offers under that name is this card.
                same_name = page.get_by_role("link", name=title, exact=True)
                hrefs = {same_name.nth(j).get_attribute("href") for j in range(same_name.count())}
                assert link.get_attribute("href") in hrefs, f"{name}: no link named {title!r}"
    finally:
        page.close()


# -- Screenshots for people ----------------------------------------------------------------------

