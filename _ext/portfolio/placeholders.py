"""Keep placeholder contact details off the published site.

Input: ``portfolio_contact`` and the environment. Output: while any entry points at a
reserved example domain (RFC 2606: example.com, example.org, example.net and anything
under ``.example``) or holds an obvious placeholder (``you@yourdomain.com``,
``github.com/YOUR-USERNAME``, ``yourname``, ``<...>``), a local build prints one notice, and a publishing build stops with
the same words. The notice names what it found: the placeholders the site ships with
(``SHIPPED_PLACEHOLDERS``, which conf.py carries until its owner fills it in), or an
address of the owner's own on an example domain, or the placeholder word; and why that blocks publishing: nobody
can be reached there.

A publishing build is one on Read the Docs (which sets ``READTHEDOCS=True``) or
one that says so with ``PORTFOLIO_PUBLISH=1``, as the GitHub Pages workflow
does. A plain CI run of the tests on GitHub Actions is not publishing, so it
keeps building with the placeholders.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from sphinx.application import Sphinx
from sphinx.util import logging

from .checks import warn

logger = logging.getLogger(__name__)

_PLACEHOLDER_HOST = re.compile(r"(^|\.)(example\.(com|org|net)|example)$", re.IGNORECASE)
# The contact urls conf.py ships with (a test holds conf.py to them while it has any).
SHIPPED_PLACEHOLDERS = {
    "mailto:hello@example.com",
    "https://github.example.com/ifeanyi",
    "https://linkedin.example.com/in/ifeanyi",
}
# Words a template leaves for its user to fill in, wherever they stand in a url or text.
_PLACEHOLDER_WORD = re.compile(
    r"your[-_ .]?(?:user[-_ ]?name|name|domain|handle|e-?mail|site|profile|account|id)\b"
    r"|\byou@|<[^<>]+>|\bchange[-_ ]?me\b|\bplaceholder\b|\bx{3,}\b",
    re.IGNORECASE,
)
_WHY = (
    "nobody can be reached at such an address, so a published site would send "
    "visitors nowhere; replace each with your own address (or remove the entry) before publishing."
)


def is_publishing(environ: os._Environ | dict = os.environ) -> bool:
    return environ.get("READTHEDOCS") == "True" or environ.get("PORTFOLIO_PUBLISH") == "1"


def _host(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme.lower() == "mailto":
        return parts.path.rpartition("@")[2]
    return parts.hostname or ""


def _example_host(entry: dict) -> str | None:
    """The reserved example domain the entry's url or text points at, if any."""
    text = str(entry.get("text", ""))
    hosts = [_host(str(entry.get("url", ""))), _host(text if ":" in text else f"//{text}")]
    return next((h.rstrip(".") for h in hosts if h and _PLACEHOLDER_HOST.search(h.rstrip("."))), None)


def _placeholder_word(entry: dict) -> str | None:
    """The placeholder left in the entry's url or text ('YOUR-USERNAME'), if any."""
    found = _PLACEHOLDER_WORD.search(f"{entry.get('url', '')} {entry.get('text', '')}")
    return found.group() if found else None


def placeholder_entries(contact: list[dict]) -> list[str]:
    """The labels of the entries on a reserved example domain or holding a placeholder."""
    return [str(entry.get("label", "?")) for entry in contact
            if _example_host(entry) or _placeholder_word(entry)]


def placeholder_message(contact: list[dict]) -> str | None:
    """One line naming each entry on an example domain, shipped or typed, and why it blocks."""
    shipped, typed, filler = [], [], []
    for entry in contact:
        host, word = _example_host(entry), _placeholder_word(entry)
        label, url = str(entry.get("label", "?")), str(entry.get("url", "")).strip()
        if url in SHIPPED_PLACEHOLDERS:
            shipped.append(f"{label}: {url}")
        elif host is not None:
            typed.append(f"{label} ({url or entry.get('text')}) on {host}")
        elif word is not None:
            filler.append(f"{label} ({url or entry.get('text')}) with {word!r}")
    if not (shipped or typed or filler):
        return None
    found = []
    if shipped:
        found.append(f"still holds the placeholder contact details the site ships with "
                     f"({', '.join(shipped)})")
    if typed:
        found.append(f"points {', '.join(typed)}, "
                     f"{'domains' if len(typed) > 1 else 'a domain'} reserved for examples (RFC 2606)")
    if filler:
        found.append(f"leaves a template's placeholder in {', '.join(filler)}")
    return f"portfolio_contact in conf.py {' and '.join(found)}: {_WHY}"


def _check_placeholders(app: Sphinx, config) -> None:
    message = placeholder_message(config.portfolio_contact)
    if message is None:
        return
    if is_publishing():
        warn(message, "placeholders")
        return
    # A notice, not a warning: strict local builds and the tests keep passing.
    logger.info(message, color="yellow")


def setup_placeholders(app: Sphinx) -> None:
    # After checks.check_config (priority 500) has made sure every entry is complete.
    app.connect("config-inited", _check_placeholders, priority=600)
