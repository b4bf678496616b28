"""Keep the shipped placeholder contact details off the published site.

Input: ``portfolio_contact`` and the environment. Output: while any entry still
points at a reserved example domain (RFC 2606: example.com, example.org,
example.net and anything under ``.example``), a local build prints one notice
naming the setting to change, and a publishing build stops with the same words.

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


def is_publishing(environ: os._Environ | dict = os.environ) -> bool:
    return environ.get("READTHEDOCS") == "True" or environ.get("PORTFOLIO_PUBLISH") == "1"


def _host(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme.lower() == "mailto":
        return parts.path.rpartition("@")[2]
    return parts.hostname or ""


def placeholder_entries(contact: list[dict]) -> list[str]:
    """The labels of the entries whose url or text is still a placeholder."""
    labels = []
    for entry in contact:
        text = str(entry.get("text", ""))
        hosts = [_host(str(entry.get("url", ""))), _host(text if ":" in text else f"//{text}")]
        if any(_PLACEHOLDER_HOST.search(host.rstrip(".")) for host in hosts if host):
            labels.append(str(entry.get("label", "?")))
    return labels


def placeholder_message(labels: list[str]) -> str:
    return (
        f"portfolio_contact in conf.py still holds the shipped placeholder contact details "
        f"({', '.join(labels)}, on example domains); replace them with your own before publishing."
    )


def _check_placeholders(app: Sphinx, config) -> None:
    labels = placeholder_entries(config.portfolio_contact)
    if not labels:
        return
    message = placeholder_message(labels)
    if is_publishing():
        warn(message, "placeholders")
        return
    # A notice, not a warning: strict local builds and the tests keep passing.
    logger.info(message, color="yellow")


def setup_placeholders(app: Sphinx) -> None:
    # After checks.check_config (priority 500) has made sure every entry is complete.
    app.connect("config-inited", _check_placeholders, priority=600)
