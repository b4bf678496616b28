"""What a browser may load, run and send from each page.

Input: every HTML page the builder renders. Output: the same page with

* a ``Content-Security-Policy`` meta tag, first thing after ``<meta charset>``
  (GitHub Pages sends no headers, so the policy travels in the page). Scripts
  and styles come from the site itself; the few inline ones the theme writes
  (Furo's theme bootstrap, its CSS-variable block, the ``style`` attributes on
  its icons) are allowed by the SHA-256 of their exact text in this page, so
  the policy needs no ``'unsafe-inline'`` and a changed or injected inline
  script is refused;
* a referrer policy that sends nothing to another origin;
* ``rel="noopener noreferrer"`` on every link that leaves the site, from the
  page body or the theme's templates alike.

The rewrite wraps the builder's template renderer: the hashes can only be taken
from the page as rendered, and this is the one place every page passes through.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html import escape, unescape
from html.parser import HTMLParser

from sphinx.application import Sphinx

from .checks import report_config_problem

REFERRER_POLICY = "same-origin"
EXTERNAL_REL = ("noopener", "noreferrer")

# The policy before the per-page hashes. `data:` images are the icons that
# Furo's stylesheet embeds; `frame-ancestors` cannot be set from a meta tag.
BASE_POLICY: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}

# Script types a browser runs; a JSON-LD block is data and needs no hash.
_EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
_CHARSET_META = re.compile(r"<meta\s+charset=[^>]*>", re.IGNORECASE)
_HEAD_TAG = re.compile(r"<head(?:\s[^>]*)?>", re.IGNORECASE)
_LINK_START = re.compile(r"<a\s[^>]*>", re.IGNORECASE)
_HREF = re.compile(r"""\shref\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_REL = re.compile(r"""\srel\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)


class InlineCode(HTMLParser):
    """Collect the text of inline scripts and styles, and style attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.style_attributes: list[str] = []
        self._open: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("style") is not None:
            self.style_attributes.append(attributes["style"])
        if tag == "script" and "src" not in attributes:
            kind = (attributes.get("type") or "").strip().lower()
            if kind in _EXECUTABLE_SCRIPT_TYPES:
                self._open = ("script", [])
        elif tag == "style":
            self._open = ("style", [])

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == self._open[0]:
            target = self.scripts if tag == "script" else self.styles
            target.append("".join(self._open[1]))
            self._open = None


def inline_code(html: str) -> InlineCode:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser


def csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(html: str, extra_scripts: tuple[str, ...] = ()) -> str:
    """The policy for *html*: the base policy plus the hashes of its inline code."""
    found = inline_code(html)
    policy = {directive: list(sources) for directive, sources in BASE_POLICY.items()}
    scripts = sorted({csp_hash(text) for text in (*found.scripts, *extra_scripts)})
    styles = sorted({csp_hash(text) for text in found.styles})
    attributes = sorted({csp_hash(text) for text in found.style_attributes})
    policy["script-src"] += scripts
    if attributes:
        # 'unsafe-hashes' lets exactly these attribute values through, nothing else.
        policy["style-src"].append("'unsafe-hashes'")
    policy["style-src"] += sorted(set(styles) | set(attributes))
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


def is_external(href: str, baseurl: str = "") -> bool:
    href = href.strip().lower()
    if baseurl and href.startswith(baseurl.lower()):
        return False
    return href.startswith(("http://", "https://", "//"))


def protect_external_links(html: str, baseurl: str = "") -> str:
    """Add ``rel="noopener noreferrer"`` to every link that leaves the site."""

    def rewrite(match: re.Match) -> str:
        tag = match.group(0)
        href = _HREF.search(tag)
        if href is None or not is_external(unescape(href.group(2)), baseurl):
            return tag
        rel = _REL.search(tag)
        if rel is None:
            return f'<a rel="{" ".join(EXTERNAL_REL)}"{tag[2:]}'
        tokens = rel.group(2).split()
        tokens += [token for token in EXTERNAL_REL if token not in tokens]
        return f'{tag[: rel.start()]} rel="{" ".join(tokens)}"{tag[rel.end():]}'

    return _LINK_START.sub(rewrite, html)


def secure_page(html: str, baseurl: str = "", extra_scripts: tuple[str, ...] = ()) -> str:
    """Return *html* with its policy tags and safe external links."""
    anchor = _CHARSET_META.search(html) or _HEAD_TAG.search(html)
    if anchor is None:
        return html  # not a whole page: a fragment has no head to carry a policy
    html = protect_external_links(html, baseurl)
    anchor = _CHARSET_META.search(html) or _HEAD_TAG.search(html)
    policy = content_security_policy(html, extra_scripts)
    tags = (
        f'\n    <meta http-equiv="Content-Security-Policy" content="{escape(policy, quote=False)}">'
        f'\n    <meta name="referrer" content="{REFERRER_POLICY}">'
    )
    return html[: anchor.end()] + tags + html[anchor.end():]


def livereload_scripts(address: str) -> tuple[str, ...]:
    """The script sphinx-autobuild adds to each page it serves at *address*.

    Taken from sphinx-autobuild itself, so the preview's live reload runs under
    the same policy as the published site, with nothing loosened.
    """
    if not address:
        return ()
    return tuple(inline_code(_web_socket_script()(address)).scripts)


def _web_socket_script():
    """sphinx-autobuild's ``web_socket_script``, without importing its server.

    Importing ``sphinx_autobuild.middleware`` pulls in Starlette and asyncio, a
    quarter of a second on every rebuild of ``make livehtml`` (each rebuild is a
    fresh process). The function only formats a string, so it is compiled alone
    from the module's source; if it ever needs more, the module is imported.
    """
    import ast
    import importlib.util

    spec = importlib.util.find_spec("sphinx_autobuild.middleware")
    try:
        with open(spec.origin, encoding="utf-8") as source:
            tree = ast.parse(source.read(), spec.origin)
        function = next(node for node in tree.body
                        if isinstance(node, ast.FunctionDef) and node.name == "web_socket_script")
        function.decorator_list = []
        function.returns = None
        for argument in function.args.args:
            argument.annotation = None
        namespace: dict = {}
        exec(compile(ast.Module([function], []), spec.origin, "exec"), {"__builtins__": __builtins__}, namespace)
        namespace["web_socket_script"]("127.0.0.1:0")
        return namespace["web_socket_script"]
    except (AttributeError, OSError, StopIteration, SyntaxError, NameError, TypeError):
        from sphinx_autobuild.middleware import web_socket_script

        return web_socket_script


def _wrap_renderer(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    templates = app.builder.templates
    render = templates.render
    extra_scripts = livereload_scripts(app.config.portfolio_livereload)

    def render_secured(template: str, context: dict) -> str:
        return secure_page(render(template, context), app.config.html_baseurl, extra_scripts)

    templates.render = render_secured


# host:port, the host a name, an IPv4 address or a bracketed IPv6 address.
_LIVERELOAD_ADDRESS = re.compile(r"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):[0-9]{1,5}")


def _check_livereload(app: Sphinx, config) -> None:
    address = config.portfolio_livereload
    if address and not _LIVERELOAD_ADDRESS.fullmatch(address):
        report_config_problem(
            app,
            f"conf.py: setting 'portfolio_livereload': {address!r} is not host:port; give the "
            "preview's address, such as '127.0.0.1:8000', or leave it empty.",
        )
        # The build goes on to report every problem, without a live-reload script.
        config.portfolio_livereload = ""


def setup_security(app: Sphinx) -> None:
    # host:port of a sphinx-autobuild preview (`make livehtml` sets it).
    app.add_config_value("portfolio_livereload", "", "html", types=[str])
    app.connect("config-inited", _check_livereload)
    app.connect("builder-inited", _wrap_renderer)
