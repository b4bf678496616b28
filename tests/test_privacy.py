"""Private: every page carries a policy the browser enforces, and honours it.

In the HTML: a Content-Security-Policy meta tag before anything it governs,
with no 'unsafe-inline', that allows exactly the page's own inline code by
hash; a referrer policy; ``rel="noopener noreferrer"`` on links that leave.
In Chromium: every page of the built site, served on 127.0.0.1, loads with
zero CSP violations and zero requests to another origin, and the policy does
refuse an inline script it was not built for.
"""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import urlsplit

import pytest

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"}: ${event.sample}`);
});
"""


def policy_of(soup) -> dict[str, list[str]]:
    meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None, "no Content-Security-Policy meta tag"
    directives = [part.split() for part in meta["content"].split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


def sha256_source(text: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


def test_every_page_has_a_strict_policy_before_anything_it_governs(site):
    for page in site.pages():
        soup = site.soup(page)
        head = [tag for tag in soup.head.find_all(True, recursive=False)]
        assert head[0].name == "meta" and head[0].has_attr("charset"), page
        assert head[1].get("http-equiv") == "Content-Security-Policy", (
            f"{page}: the policy must come right after <meta charset>, before any script or style"
        )
        policy = policy_of(soup)
        assert policy["default-src"] == ["'self'"], page
        assert policy["object-src"] == ["'none'"], page
        for directive in ("script-src", "style-src"):
            assert "'unsafe-inline'" not in policy[directive], f"{page}: {directive}"
            assert policy[directive][0] == "'self'", f"{page}: {directive}"
        assert "'unsafe-hashes'" not in policy["script-src"], page


def test_every_inline_script_and_style_is_allowed_by_its_hash(site):
    for page in site.pages():
        soup = site.soup(page)
        policy = policy_of(soup)
        for script in soup.find_all("script", src=False):
            if script.get("type", "text/javascript") in ("text/javascript", "module"):
                assert sha256_source(script.string or "") in policy["script-src"], (
                    f"{page}: inline script not allowed: {(script.string or '')[:60]!r}"
                )
        for style in soup.find_all("style"):
            assert sha256_source(style.string or "") in policy["style-src"], page
        for tag in soup.find_all(style=True):
            assert sha256_source(tag["style"]) in policy["style-src"], (
                f"{page}: style attribute not allowed: {tag['style']!r}"
            )


def test_every_page_sends_no_referrer_to_other_sites(site):
    for page in site.pages():
        meta = site.soup(page).find("meta", attrs={"name": "referrer"})
        assert meta is not None and meta["content"] in ("same-origin", "no-referrer"), page


def test_every_link_that_leaves_the_site_opens_safely(site):
    checked = 0
    for page in site.pages():
        for link in site.soup(page).find_all("a", href=True):
            if urlsplit(link["href"]).scheme in ("http", "https") or link["href"].startswith("//"):
                assert {"noopener", "noreferrer"} <= set(link.get("rel", [])), (
                    f"{page}: link to {link['href']} lacks rel=\"noopener noreferrer\""
                )
                checked += 1
    assert checked, "the site should have external links (contact, footer) to check"


# -- In the browser ------------------------------------------------------------


@pytest.fixture(scope="module")
def served_site(site):
    """The site where it was built to live: under its sub-path (SubPathHost in conftest), so
    every page, 404.html too, loads its stylesheets and scripts by the addresses it uses."""
    return site.base_url.rstrip("/")


@pytest.fixture(scope="module")
def chromium(browser):
    """The session's one Chromium (tests/browser.py): Playwright's sync API runs one driver at
    a time, and one browser per session keeps the run light."""
    return browser


def visit(chromium, url: str, route: tuple[str, str] | None = None, interact=None) -> dict:
    """Load *url*, then *interact* with it if given; return its CSP violations and CSP
    console errors, and other-origin requests."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    context = chromium.new_context()
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
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


def test_every_page_loads_in_chromium_with_zero_csp_violations(site, served_site, chromium):
    problems = []
    for page in site.pages():
        seen = visit(chromium, f"{served_site}/{page}")
        problems += [f"{page}: CSP: {v}" for v in seen["violations"]]
        problems += [f"{page}: console: {e}" for e in seen["errors"]]
        problems += [f"{page}: request to another origin: {u}" for u in seen["elsewhere"]]
        # The theme bootstrap is an inline script: it ran, so its hash was honoured.
        assert seen["theme"] in ("auto", "light", "dark"), f"{page}: the theme script did not run"
    assert not problems, "\n".join(problems)


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


def test_the_theme_toggle_and_search_run_with_zero_csp_violations(site, served_site, chromium):
    toggled = visit(chromium, f"{served_site}/index.html", interact=toggle_the_theme)
    searched = visit(chromium, f"{served_site}/search.html?q=forex", interact=search_for_a_word)
    problems = []
    for action, seen in (("theme toggle", toggled), ("search", searched)):
        problems += [f"{action}: CSP: {v}" for v in seen["violations"]]
        problems += [f"{action}: console: {e}" for e in seen["errors"]]
        problems += [f"{action}: request to another origin: {u}" for u in seen["elsewhere"]]
    assert not problems, "\n".join(problems)


def test_the_policy_refuses_an_inline_script_it_was_not_built_for(site, served_site, chromium):
    html = (site.outdir / "index.html").read_text(encoding="utf-8")
    tampered = html.replace("</body>", "<script>window.injectedScriptRan = true;</script></body>")
    seen = visit(chromium, f"{served_site}/tampered.html", route=("**/tampered.html", tampered))
    assert not seen["injected"], "an inline script without a hash ran"
    assert any(v.startswith("script-src") for v in seen["violations"]), seen["violations"]
