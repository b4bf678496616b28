"""Private: every page carries a policy the browser enforces, and honours it.

In the HTML: a Content-Security-Policy meta tag before anything it governs, the
same fixed policy on every page, that never allows an inline script by
'unsafe-inline' and allows every inline script a page runs by its hash; a
referrer policy. A preview build leaves the policy out, a Read the Docs build
lets Read the Docs' own addons evaluate code. In Chromium: the theme toggle
and search run with zero CSP violations; the policy refuses an inline script
it was not written for; a stand-in for Read the Docs' addons runs under the
Read the Docs policy and is stopped under the GitHub Pages one. That every
page loads without a violation is checked on the browser tests' one visit of
each page (test_browser.py).
"""

from __future__ import annotations

import base64
import hashlib
import re
import runpy
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from browser import RECORD_CSP_VIOLATIONS, SiteServer
from conftest import REPO, copy_root

# What a browser runs as script; any other type (JSON-LD, for one) is data.
EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
# Where the policy's hashes are kept, for the message when one is missing.
HASHES_HOME = "the policy in _templates/base.html"


def policy_of(soup) -> dict[str, list[str]]:
    meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None, "no Content-Security-Policy meta tag"
    directives = [part.split() for part in meta["content"].split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


def sha256_source(text: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


def is_executable(tag) -> bool:
    return tag.name == "script" and tag.get("type", "").strip().lower() in EXECUTABLE_SCRIPT_TYPES


def executable_inline_scripts(soup) -> list[str]:
    return [script.string or "" for script in soup.find_all("script", src=False) if is_executable(script)]


def test_every_page_carries_the_policy_before_any_script_or_style(site):
    for page in site.pages():
        head = site.soup(page).head
        policy = head.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert policy is not None, f"{page}: no Content-Security-Policy in the head"
        before = [tag for tag in policy.find_all_previous(True) if head in tag.parents]
        assert any(tag.has_attr("charset") for tag in before), f"{page}: the policy comes before <meta charset>"
        governed = [str(tag)[:80] for tag in before if tag.name == "style" or is_executable(tag)
                    or (tag.name == "link" and {"stylesheet", "preload", "modulepreload"} & set(tag.get("rel", [])))]
        assert not governed, f"{page}: the policy must come before these, which it does not govern: {governed}"


def test_every_page_carries_the_same_strict_policy(site):
    policies = {page: policy_of(site.soup(page)) for page in site.pages()}
    assert len({str(policy) for policy in policies.values()}) == 1, "pages carry different policies"
    policy = policies["index.html"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["script-src"][0] == "'self'"
    assert {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'"}.isdisjoint(policy["script-src"]), (
        "outside Read the Docs, the policy lets scripts run only from the site's files and by hash"
    )


def test_every_inline_script_a_page_runs_is_allowed_by_the_policy(site):
    checked = 0
    for page in site.pages():
        soup = site.soup(page)
        allowed = policy_of(soup)["script-src"]
        for text in executable_inline_scripts(soup):
            assert sha256_source(text) in allowed, (
                f"{page} runs an inline script the policy does not allow: {text.strip()[:70]!r}. "
                f"If the theme wrote it, add {sha256_source(text)} to {HASHES_HOME}."
            )
            checked += 1
        # Inline handlers and javascript: links are inline scripts that no hash allows here.
        for tag in soup.find_all(True):
            handlers = [name for name in tag.attrs if name.lower().startswith("on")]
            assert not handlers, f"{page}: <{tag.name} {handlers[0]}=...> would be refused"
            assert not str(tag.get("href", "")).strip().lower().startswith("javascript:"), (
                f"{page}: a javascript: link would be refused"
            )
    assert checked, "Furo's theme script should be on every page: nothing was checked"


def test_every_page_sends_no_referrer_to_other_sites(site):
    for page in site.pages():
        meta = site.soup(page).find("meta", attrs={"name": "referrer"})
        assert meta is not None and meta["content"] in ("same-origin", "no-referrer"), page


# -- Nothing from another origin ----------------------------------------------


def is_other_origin(url: str, site=None) -> bool:
    """True for a URL on another host; the site's own base URL is not another origin."""
    if site is not None and url.strip().startswith(site.base_url):
        return False
    split = urlsplit(url.strip())
    return bool(split.netloc) or split.scheme not in ("", "data")


RESOURCE_ATTRIBUTES = [
    ("link[href]", "href"), ("script[src]", "src"), ("img[src]", "src"),
    ("img[srcset]", "srcset"), ("source[src]", "src"), ("source[srcset]", "srcset"),
    ("iframe[src]", "src"), ("video[src]", "src"), ("audio[src]", "src"),
    ("object[data]", "data"), ("embed[src]", "src"),
]
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""")


def test_no_page_loads_anything_from_another_origin(site):
    loads = []
    for page in site.pages():
        soup = site.soup(page)
        for selector, attribute in RESOURCE_ATTRIBUTES:
            for tag in soup.select(selector):
                for url in tag[attribute].split(","):
                    if is_other_origin(url.split()[0] if url.split() else url, site):
                        loads.append(f"{page}: <{tag.name} {attribute}={tag[attribute]!r}>")
        inline_css = [style.get_text() for style in soup.select("style")]
        inline_css += [tag["style"] for tag in soup.select("[style]")]
        for css in inline_css:
            loads += [f"{page}: {m[0] or m[1]}" for m in CSS_URL.findall(css)
                      if is_other_origin(m[0] or m[1], site)]
    for stylesheet in sorted(site.outdir.glob("_static/**/*.css")):
        css = stylesheet.read_text(encoding="utf-8")
        loads += [f"{stylesheet.name}: {m[0] or m[1]}" for m in CSS_URL.findall(css)
                  if is_other_origin(m[0] or m[1])]
    assert loads == [], "resources from another origin:\n" + "\n".join(loads)


# -- The policy of each kind of build ------------------------------------------


@pytest.fixture(scope="module")
def builds(rootdir, tmp_path_factory) -> dict[str, Path]:
    """The one-page root built as GitHub Pages, Read the Docs and a preview build it."""
    from sphinx.testing.util import SphinxTestApp

    overrides = {
        "pages": {},
        "readthedocs": {"html_context": {"readthedocs_addons": True}},
        "preview": {"html_context": {"portfolio_preview": True}},
    }
    outdirs = {}
    for kind, settings in overrides.items():
        tmp = tmp_path_factory.mktemp(f"privacy-{kind}")
        app = SphinxTestApp(
            "html", srcdir=copy_root(rootdir, "privacy", tmp), builddir=tmp / "_build",
            confoverrides={"templates_path": [str(REPO / "_templates")], **settings},
        )
        try:
            app.build()
        finally:
            app.cleanup()
        outdirs[kind] = Path(app.outdir)
    return outdirs


def soup_of(outdir: Path, page: str = "index.html") -> BeautifulSoup:
    return BeautifulSoup((outdir / page).read_text(encoding="utf-8"), "html.parser")


def test_a_read_the_docs_build_lets_scripts_evaluate_and_nothing_else(builds):
    pages, readthedocs = policy_of(soup_of(builds["pages"])), policy_of(soup_of(builds["readthedocs"]))
    assert "'unsafe-eval'" in readthedocs["script-src"], "Read the Docs' addons need 'unsafe-eval'"
    readthedocs["script-src"].remove("'unsafe-eval'")
    assert readthedocs == pages, "the Read the Docs policy differs from the Pages one in more than eval"


def test_a_preview_build_has_no_policy_so_live_reload_runs(builds):
    soup = soup_of(builds["preview"])
    assert soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"}) is None
    assert soup.find("meta", attrs={"name": "referrer"})["content"] == "same-origin"


@pytest.mark.parametrize(("environment", "expected"), [({"READTHEDOCS": "True"}, True), ({}, False)],
                         ids=["on Read the Docs", "elsewhere"])
def test_the_site_conf_lets_read_the_docs_addons_run_only_there(monkeypatch, environment, expected):
    monkeypatch.delenv("READTHEDOCS", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "path", list(sys.path))  # conf.py adds _ext to it
    assert runpy.run_path(str(REPO / "conf.py"))["html_context"]["readthedocs_addons"] is expected


# -- In the browser ------------------------------------------------------------


def visit(chromium, url: str, route: tuple[str, str] | None = None, interact=None) -> dict:
    """Load *url*, then *interact* with it if given; return its CSP violations and CSP
    console errors, and other-origin requests."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    context = chromium.new_context()
    page = context.new_page()
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    errors: list[str] = []
    elsewhere: list[str] = []
    # Only the policy's own reports: other console errors are the browser tests' concern.
    page.on(
        "console",
        lambda message: message.type == "error"
        and ("Content Security Policy" in message.text or "Refused to" in message.text)
        and errors.append(message.text),
    )
    page.on(
        "request",
        lambda request: request.url.startswith((origin, "data:")) or elsewhere.append(request.url),
    )
    if route:
        pattern, html = route
        page.route(pattern, lambda r: r.fulfill(body=html, content_type="text/html"))
    page.goto(url, wait_until="load")
    if interact is not None:
        interact(page)
    page.wait_for_timeout(100)  # violations are reported asynchronously
    result = {
        "violations": page.evaluate("window.__cspViolations"),
        "errors": errors,
        "elsewhere": elsewhere,
        "theme": page.evaluate("document.body.dataset.theme"),
        "injected": page.evaluate("window.injectedScriptRan === true"),
    }
    context.close()
    return result


def wait_until(page, expression: str, what: str) -> None:
    # Polled from here: page.wait_for_function would evaluate a string in the page,
    # which the policy (rightly) refuses as 'unsafe-eval'.
    for _ in range(100):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    pytest.fail(f"{what} did not happen within 10 seconds")


def toggle_the_theme(page) -> None:
    before = page.evaluate("document.body.dataset.theme")
    page.locator(".theme-toggle:visible").first.click()
    wait_until(page, f"document.body.dataset.theme !== {before!r}", "the theme change")


def search_for_a_word(page) -> None:
    wait_until(
        page, "(document.querySelector('#search-results .search-summary')?.textContent || '') !== ''",
        "the search results",
    )
    assert page.locator("#search-results ul.search li a").count() > 0, "the search found nothing"


def test_the_theme_toggle_and_search_run_with_zero_csp_violations(site, browser):
    toggled = visit(browser, f"{site.base_url}index.html", interact=toggle_the_theme)
    # The longest word of a piece's title: a word the search certainly finds.
    first_piece = next(page for page in site.pages() if page.startswith("articles/"))
    word = max(re.findall(r"\w+", site.soup(first_piece).select_one("article h1").get_text()), key=len)
    searched = visit(browser, f"{site.base_url}search.html?q={word}", interact=search_for_a_word)
    problems = []
    for action, seen in (("theme toggle", toggled), ("search", searched)):
        problems += [f"{action}: CSP: {v}" for v in seen["violations"]]
        problems += [f"{action}: console: {e}" for e in seen["errors"]]
        problems += [f"{action}: request to another origin: {u}" for u in seen["elsewhere"]]
    assert not problems, "\n".join(problems)


def test_the_policy_refuses_an_inline_script_it_was_not_built_for(site, browser):
    html = (site.outdir / "index.html").read_text(encoding="utf-8")
    tampered = html.replace("</body>", "<script>window.injectedScriptRan = true;</script></body>")
    seen = visit(browser, f"{site.base_url}tampered.html", route=("**/tampered.html", tampered))
    assert not seen["injected"], "an inline script without a hash ran"
    assert any(v.startswith("script-src") for v in seen["violations"]), seen["violations"]


# What Read the Docs' proxy adds to the <head> of every page it serves.
READTHEDOCS_INJECTION = (
    '<script async src="/_/static/javascript/readthedocs-addons.js"></script>'
    '<meta name="readthedocs-project-slug" content="portfolio">'
    '<meta name="readthedocs-version-slug" content="latest">'
)
ADDONS_STAND_IN = Path(__file__).parent / "fixtures" / "readthedocs-addons.js"


def as_read_the_docs_serves(chromium, outdir: Path) -> dict:
    """Serve *outdir* the way Read the Docs does, with its addons (our stand-in), and load
    the home page; return how far the stand-in got and the policy's violations."""
    with SiteServer(outdir) as server:
        context = chromium.new_context()
        try:
            def inject(route):
                page = route.fetch()
                body = page.text().replace("</head>", READTHEDOCS_INJECTION + "</head>", 1)
                route.fulfill(response=page, body=body)

            context.route(server.base_url, inject)
            context.route("**/_/static/javascript/readthedocs-addons.js",
                          lambda route: route.fulfill(path=ADDONS_STAND_IN))
            context.route("**/_/addons/**", lambda route: route.fulfill(json={"addons": {"flyout": {}}}))
            page = context.new_page()
            page.add_init_script(RECORD_CSP_VIOLATIONS)
            page.goto(server.base_url, wait_until="load")
            for _ in range(50):  # done, or stopped with a violation; reported asynchronously
                page.wait_for_timeout(100)
                if page.evaluate("window.readthedocsStandIn?.done || window.__cspViolations.length > 0"):
                    break
            page.wait_for_timeout(200)
            return {
                "ran": page.evaluate("window.readthedocsStandIn || {}"),
                "violations": page.evaluate("window.__cspViolations"),
            }
        finally:
            context.close()


def test_read_the_docs_addons_run_under_its_policy_and_are_stopped_under_the_pages_one(builds, browser):
    readthedocs = as_read_the_docs_serves(browser, builds["readthedocs"])
    ran = readthedocs["ran"]
    assert ran.get("evaluated") and ran.get("fetched") and ran.get("styled"), (
        f"under the Read the Docs policy the addons did not run through: {ran}, {readthedocs['violations']}"
    )
    assert not ran.get("adLoaded"), "an ad loaded from another host"
    assert [v for v in readthedocs["violations"] if "server.ethicalads.io" not in v] == [], readthedocs
    assert any(v.startswith("connect-src") and "server.ethicalads.io" in v for v in readthedocs["violations"]), (
        f"the request to the ad host was not refused by the policy: {readthedocs['violations']}"
    )

    pages = as_read_the_docs_serves(browser, builds["pages"])
    assert pages["ran"].get("evaluated") is False, f"under the Pages policy the addons evaluated code: {pages}"
    assert any(v.startswith("script-src") and "eval" in v for v in pages["violations"]), pages["violations"]
