"""What a browser may load and run on the site's pages.

Input: two settings, ``portfolio_content_security_policy`` (on unless a
preview turns it off) and ``portfolio_readthedocs_addons`` (on for builds on
Read the Docs). Output: ``content_security_policy`` in every page's template
context, the fixed policy that ``_templates/base.html`` writes into the head
(GitHub Pages sends no headers, so the policy travels in the page), or an empty
string when the policy is off.
"""

from __future__ import annotations

from sphinx.application import Sphinx

# The inline scripts the theme writes into every page, allowed by the SHA-256 of
# their exact text, so a changed or injected inline script is refused.
# tests/test_privacy.py fails, naming the hash to put here, when a page runs an
# inline script this list does not allow (after a Furo upgrade, say).
INLINE_SCRIPT_HASHES = [
    # Furo 2025.12.19's theme bootstrap at the top of <body> (its page.html).
    "'sha256-ySvT2PEZeueHGC1y2crNuNTfphBynFPP7i+U21fEgX0='",
    # workarounds.NAME_THE_SIDEBARS, at the end of <body>.
    "'sha256-CY/ONKcA7VKs+6XqAaYNOTDhnygU4p592we3658Ls0I='",
]

# Scripts, styles, images, fonts and requests come from the site itself and
# nowhere else. `data:` images are the icons Furo's stylesheet embeds.
# `frame-ancestors` would be ignored in a meta tag, so it is not set.
#
# Styles allow 'unsafe-inline': Furo writes its CSS-variables <style> from the
# colours in conf.py (a hash would go stale with every colour change) and puts
# `style` attributes on its icons, and Read the Docs' addons add a <style> of
# their own. Inline CSS cannot run script, and any address it names is held to
# the origin by img-src and default-src.
PAGES_POLICY: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'", *INLINE_SCRIPT_HASHES],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}

# Read the Docs serves every page with its addons script (flyout, notifications,
# search), which builds its JSON-schema validators with `new Function` as it
# loads: without 'unsafe-eval' it dies there. Its requests (/_/addons/,
# /_/api/v3/search/) are same-origin and its <style> is inline, both already
# allowed above. EthicalAds, which the community plan adds from another host,
# stays blocked.
READTHEDOCS_POLICY: dict[str, list[str]] = {
    **PAGES_POLICY,
    "script-src": ["'self'", "'unsafe-eval'", *INLINE_SCRIPT_HASHES],
}


def policy_text(policy: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


def _add_policy(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    config = app.config
    if not config.portfolio_content_security_policy:
        context["content_security_policy"] = ""
    elif config.portfolio_readthedocs_addons:
        context["content_security_policy"] = policy_text(READTHEDOCS_POLICY)
    else:
        context["content_security_policy"] = policy_text(PAGES_POLICY)


def setup_security(app: Sphinx) -> None:
    # Off only for a preview (`make livehtml`), whose live-reload script is inline.
    app.add_config_value("portfolio_content_security_policy", True, "html", types=[bool])
    # On for builds on Read the Docs (conf.py reads READTHEDOCS).
    app.add_config_value("portfolio_readthedocs_addons", False, "html", types=[bool])
    app.connect("html-page-context", _add_policy)
