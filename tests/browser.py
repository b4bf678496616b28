"""The site in a real browser: the built site served on 127.0.0.1, Chromium driven by Playwright.

Input: the session ``site`` fixture, built for and served at ``site.base_url``. Output: fixtures for the browser tests
(``site_address``, ``browser``, ``theme_contexts``, ``page_visits``) and the helpers they share with ``audit.py``:
where the tools live, the exact Chromium flags, and a local static server; ``once_per_run`` for the
slow observations (every page in a theme, Lighthouse) that every pytest-xdist worker reads.

Every tool is found or the test fails with the command that installs it: a missing browser is a
failure, never a silent skip.
"""

from __future__ import annotations

import fcntl
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parent.parent
NODE_MODULES = REPO / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = REPO / "_build" / "screenshots"

# The browser talks to 127.0.0.1 only: any other host fails to resolve, and anything that
# tries a proxy hits a closed port. Chromium's background services stay off.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--proxy-server=http://127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]

THEMES = ["light", "dark"]
WIDTHS = [320, 375, 768, 1280]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
# Wide enough for everything Furo shows beside the text: the sidebar and, from 82em (1312 px),
# the page's contents on the right.
WIDE = {"width": 1440, "height": 900}

# WCAG 2.2 level A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Answered by the browser context from node_modules, so the page loads axe like any script
# of its own origin, which the site's Content-Security-Policy allows.
AXE_URL_PATH = "/_checks/axe.min.js"

NPM_CI = "npm ci --ignore-scripts"


def require_file(path: Path, what: str, install: str) -> Path:
    if not path.exists():
        pytest.fail(f"{what} not found at {path}: install it with `{install}`.", pytrace=False)
    return path


def require_command(name: str, install: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"`{name}` not found on PATH: install it with `{install}`.", pytrace=False)
    return found


# -- Once per test run, whatever the number of workers -----------------------------------------


def once_per_run(tmp_path_factory, name: str, observe: Callable[[], object]) -> object:
    """What *observe* returns (JSON), observed once per test run: under pytest-xdist the first
    worker to ask observes and the others wait for and read its result (xdist's documented way
    to make a session fixture once), so the suite spreads over every core without a worker
    repeating a minute of browsing."""
    run_folder = tmp_path_factory.getbasetemp()
    if "PYTEST_XDIST_WORKER" in os.environ:
        run_folder = run_folder.parent  # each worker's base folder sits in the run's own
    result = run_folder / f"{name}.json"
    with open(run_folder / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.exists():
            result.write_text(json.dumps(observe()), encoding="utf-8")
        return json.loads(result.read_text(encoding="utf-8"))


# -- A static server for the built site ------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:
        pass


# Text goes out compressed, as GitHub Pages and Read the Docs send it: Lighthouse weighs the bytes
# that travel, and a stylesheet sent raw would count three to five times its real cost.
_COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


class _CompressingHandler(_QuietHandler):
    def send_head(self):
        # A folder (its redirect and index.html) and anything else go the stock way.
        path = Path(self.translate_path(self.path))
        kind = self.guess_type(str(path))
        if not (path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "")
                and kind.startswith(_COMPRESSED_TYPES)):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class SiteServer:
    """A threaded HTTP server on 127.0.0.1 and a free port, serving *root* (for ``make audit``;
    the tests use the session's own host, which serves the site the way Pages does)."""

    def __init__(self, root: Path) -> None:
        handler = functools.partial(_CompressingHandler, directory=str(root))
        self.root = root
        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}/"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> SiteServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@dataclass(frozen=True)
class SiteAddress:
    """Where the session's site is served (``site.base_url``, under a sub-path like Pages)."""

    base_url: str

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def url(self, page: str) -> str:
        return self.base_url + page

    def page_of(self, url: str) -> str:
        """The page name of one of the site's URLs, without its fragment."""
        return url.removeprefix(self.base_url).partition("#")[0]


# -- The pages that stand for the rest -------------------------------------------------------


def one_page_of_each_kind(site) -> list[str]:
    """The pages a check of what every page of its kind shares (the templates, the theme's and
    the site's styles, how a page is laid out) looks at: each page outside the pieces' folders
    (the home, concepts, search and 404 pages), and of the areas (``work/``) and of the articles
    (``articles/``) the one with the most links, the most for a keyboard to reach."""
    links = {page: len(site.soup(page).select("a[href]")) for page in site.pages()}
    chosen: dict[str, str] = {}
    for page in site.pages():
        kind = page.partition("/")[0]
        if kind not in chosen or links[page] > links[chosen[kind]]:
            chosen[kind] = page
    return sorted(chosen.values())


# -- Every page visited in one theme, one after another ------------------------------------

# How far the page is wider than the screen, and what sticks out past either edge. Furo sets
# `overflow-x: hidden` on <html>, so a too-wide element is clipped rather than scrolled and
# scrollWidth alone would not see it: every element of the header, the content and the footer
# is measured too, except inside a box that scrolls sideways on purpose (a code block).
_OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const sticksOut = box => box.width > 0 && box.height > 0 && (box.right > width + 1 || box.left < -1);
  const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className.trim()
       ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const culprits = [];
  for (const region of document.querySelectorAll('.mobile-header, article[role=main], footer')) {
    for (const el of region.querySelectorAll('*')) {
      if (!sticksOut(el.getBoundingClientRect()) || culprits.some(c => c.contains(el))) continue;
      let scrolled = false;
      for (let box = el.parentElement; box && box !== region.parentElement; box = box.parentElement)
        if (scrolls(box) && !sticksOut(box.getBoundingClientRect())) { scrolled = true; break; }
      if (!scrolled) culprits.push(el);
    }
  }
  return {excess: Math.max(0, document.documentElement.scrollWidth - width),
          culprits: culprits.slice(0, 5).map(name)};
}"""

# Every Content-Security-Policy violation the page reports, from before its first script runs.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"}: ${event.sample}`);
});
"""

# Every layout shift the page has had since it started loading (buffered), except those right
# after a visitor's input, which do not count towards CLS; with what moved, and from where.
LAYOUT_SHIFTS_JS = """() => new Promise(resolve => {
  const shifts = [];
  const name = node => !node || !node.tagName ? String(node && node.nodeName) : node.tagName.toLowerCase()
    + (node.id ? '#' + node.id : '')
    + (typeof node.className === 'string' && node.className.trim()
       ? '.' + node.className.trim().split(/\\s+/).join('.') : '');
  const keep = entries => { for (const entry of entries) if (!entry.hadRecentInput) shifts.push({
    value: entry.value,
    moved: entry.sources.map(s => `${name(s.node)} ${Math.round(s.previousRect.x)},${Math.round(s.previousRect.y)}`
      + ` ${Math.round(s.previousRect.width)}x${Math.round(s.previousRect.height)} -> `
      + `${Math.round(s.currentRect.x)},${Math.round(s.currentRect.y)}`
      + ` ${Math.round(s.currentRect.width)}x${Math.round(s.currentRect.height)}`),
  }); };
  const observer = new PerformanceObserver(list => keep(list.getEntries()));
  observer.observe({type: 'layout-shift', buffered: true});
  setTimeout(() => { keep(observer.takeRecords()); observer.disconnect(); resolve(shifts); }, 250);
})"""

_AXE_RUN_JS = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 4).map(n => n.target.join(' ')),
  }));
}"""


@dataclass
class Visit:
    """What one page did and showed in one theme."""

    page: str
    theme: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    # body[data-theme] once loaded: set by Furo's inline theme script, so it ran (its hash allowed)
    theme_set: str | None = None
    # what moved while it loaded at the wide size, on three loads running (empty if nothing did)
    layout_shifts: list[dict] = field(default_factory=list)
    axe_violations: list[dict] = field(default_factory=list)
    overflow: dict[int, dict] = field(default_factory=dict)


def visit_each(context, server: SiteAddress, page_names: list[str], theme: str) -> list[Visit]:
    """Load each page in turn in one tab, listen to everything it does, run axe, measure
    overflow. One tab, as a visitor browses: a new tab per page costs Chromium a new renderer
    and the scripts compiled again, over a third of the CPU these visits take."""
    records: list[Visit] = []
    page = context.new_page()

    def record() -> Visit:
        return records[-1]

    def note_origin(request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and f"{parts.scheme}://{parts.netloc}" != server.origin:
            record().foreign_requests.append(request.url)

    try:
        page.add_init_script(RECORD_CSP_VIOLATIONS)
        page.on("console", lambda msg: msg.type == "error" and record().console_errors.append(
            f"{msg.text} ({msg.location.get('url', '')})"))
        page.on("pageerror", lambda error: record().console_errors.append(f"uncaught: {error}"))
        page.on("requestfailed", lambda request: record().failed_requests.append(
            f"{request.url}: {request.failure}"))
        page.on("response", lambda response: response.status >= 400 and record().failed_requests.append(
            f"{response.url}: HTTP {response.status}"))
        page.on("request", note_origin)
        for page_name in page_names:
            records.append(Visit(page_name, theme))
            _visit(page, server, record())
    finally:
        page.close()
    return records


def _visit(page, server: SiteAddress, record: Visit) -> None:
    page.set_viewport_size(WIDE)
    page.goto(server.url(record.page), wait_until="load")
    # As in test_nothing_moves_while_a_page_loads: a page shifts only if it does on three
    # loads running (a loaded machine now and then paints one frame early). The quarter
    # second the measure waits also lets the browser report any policy violation.
    for load in range(3):
        if load:
            page.goto(server.url(record.page), wait_until="load")
        record.layout_shifts = page.evaluate(LAYOUT_SHIFTS_JS)
        if not sum(shift["value"] for shift in record.layout_shifts):
            break
    # Read before axe's own script is added: what the page itself did.
    record.csp_violations = page.evaluate("window.__cspViolations")
    record.theme_set = page.evaluate("document.body.dataset.theme")
    page.add_script_tag(url=server.origin + AXE_URL_PATH)
    # axe checks what is shown: the wide layout, then the phone's (its header and menu).
    for viewport in (WIDE, PHONE):
        page.set_viewport_size(viewport)
        record.axe_violations += [
            {**violation, "width": viewport["width"]}
            for violation in page.evaluate(_AXE_RUN_JS, AXE_TAGS)
        ]
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        record.overflow[width] = page.evaluate(_OVERFLOW_JS)


def themed_context(browser, server: SiteAddress, theme: str, **options):
    """A browser context in which Furo shows *theme*, as if the visitor had picked it."""
    context = browser.new_context(color_scheme=theme, **options)
    context.add_init_script(f"localStorage.setItem('theme', '{theme}');")
    context.route(server.origin + AXE_URL_PATH, lambda route: route.fulfill(path=AXE_SCRIPT))
    return context


# -- Fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def site_address(site) -> SiteAddress:
    """The session's built site, served on 127.0.0.1 under its sub-path."""
    return SiteAddress(site.base_url)


@pytest.fixture(scope="session")
def features(rootdir, tmp_path_factory):
    """``tests/roots/test-diagrams`` (both kinds of diagram, and code) built with the site's own
    conf.py, styles and templates, and served: what a browser test needs whether or not the
    site's own pages have it."""
    from conftest import BuiltSite, SubPathHost
    from sphinx.testing.util import SphinxTestApp

    source = tmp_path_factory.mktemp("features") / "src"
    shutil.copytree(rootdir / "test-diagrams", source)
    shutil.copy(REPO / "conf.py", source)
    for folder in ("_static", "_templates"):
        shutil.copytree(REPO / folder, source / folder)
    host = SubPathHost()
    app = SphinxTestApp("html", srcdir=source, builddir=source.parent / "build",
                        confoverrides={"html_baseurl": host.base_url})
    try:
        app.build()
    finally:
        app.cleanup()
    host.serve(app.outdir)
    yield BuiltSite(app.outdir, app.warning.getvalue(), host.base_url, [])
    host.stop()


@pytest.fixture(scope="session")
def urls_showing(site, features):
    """The address of every page, of the site and of the ``features`` root, that has *selector*."""
    return lambda selector: [built.base_url + page for built in (site, features)
                             for page in built.pages() if built.soup(page).select(selector)]


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session: Debian's, with the flags in CHROMIUM_ARGS above."""
    require_file(CHROMIUM, "Chromium", "apt-get install -y chromium")
    require_file(AXE_SCRIPT, "axe-core", f"{NPM_CI} (in {REPO})")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def theme_contexts(browser, site_address):
    """One context per theme, shared by the tests that only look."""
    contexts = {theme: themed_context(browser, site_address, theme) for theme in THEMES}
    yield contexts
    for context in contexts.values():
        context.close()


@pytest.fixture(scope="session")
def page_visits(site, site_address, theme_contexts, tmp_path_factory):
    """Every page of the site visited once in each theme per test run, on first use."""
    cache: dict[str, list[Visit]] = {}

    def visits(theme: str) -> list[Visit]:
        if theme not in cache:
            observed = once_per_run(tmp_path_factory, f"page-visits-{theme}", lambda: [
                asdict(record) for record in visit_each(theme_contexts[theme], site_address, site.pages(), theme)
            ])
            cache[theme] = [Visit(**record) for record in observed]
            for record in cache[theme]:  # JSON keys are strings; the widths are numbers
                record.overflow = {int(width): found for width, found in record.overflow.items()}
        return cache[theme]

    return visits
