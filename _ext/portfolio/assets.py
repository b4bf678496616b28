"""What each page loads: one stylesheet every page shares, the rest only where it is used.

Input: the stylesheets and scripts that Sphinx, Furo, sphinx-design and
``html_css_files`` register, and each page's doctree. Output, per page:

* ``_static/site.<hash>.css``: Furo's core rules, the colour variables from
  ``html_theme_options`` (Furo would inline them in every page's head) and the
  site's own ``html_css_files``, in one file named by its content, so a browser
  can cache it forever;
* ``_static/extras-<features>.<hash>.css`` only on a page that contains
  highlighted code, admonitions, tables, footnotes, API signatures, maths or
  diagrams: Furo's rules for those (and the Pygments colours for code, the
  diagram styles), one file per combination;
* Furo's script (theme toggle, header, contents); Sphinx's search scripts on
  the search page only; sphinx-design's stylesheet and tab script only on a
  page that uses a sphinx-design component the site does not style itself.

Everything is derived at build time from the installed packages and the
configuration; equal inputs give byte-identical files. After a successful
build, hashed stylesheets that no page links any more (left by an earlier
build: ``make html`` starts from a copy of the last site) are removed.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes

from .diagrams import STYLESHEET as DIAGRAMS_STYLESHEET
from .diagrams import diagram
from .files import static_file, write_if_changed
from .stylesheets import FEATURE_ORDER, minify, split_by_feature, strip_source_map, theme_variables

STATIC = "_static"
FURO_EXTENSIONS_CSS = "_static/styles/furo-extensions.css"
PYGMENTS_CSS = "_static/pygments.css"
SPHINX_DESIGN_CSS = "_static/sphinx-design.min.css"
SPHINX_DESIGN_TABS_JS = "_static/design-tabs.js"
# searchtools.js reads DOCUMENTATION_OPTIONS and Documentation.gettext (doctools.js)
# and highlights the terms in the results with sphinx_highlight.js; Furo's
# search template adds searchtools.js and language_data.js itself.
SEARCH_SCRIPTS = frozenset({
    "_static/documentation_options.js", "_static/doctools.js", "_static/sphinx_highlight.js",
})
SEARCH_PAGE = "search"

# The sphinx-design classes the cards carry whose rules live in the site's own
# stylesheet (``_static/portfolio.css``, section "Cards"). A page with any other
# sd-* class gets sphinx-design's own stylesheet.
CARRIED_SPHINX_DESIGN_CLASSES = frozenset({
    "sd-container-fluid", "sd-sphinx-override", "sd-mb-4", "sd-row", "sd-row-cols-1",
    "sd-row-cols-xs-1", "sd-row-cols-sm-2", "sd-row-cols-md-2", "sd-row-cols-lg-3",
    "sd-g-3", "sd-g-xs-3", "sd-g-sm-3", "sd-g-md-3", "sd-g-lg-3", "sd-col", "sd-d-flex-row",
    "sd-card", "sd-w-100", "sd-shadow-sm", "sd-card-hover", "sd-card-body", "sd-card-title",
    "sd-font-weight-bold", "sd-card-text", "sd-stretched-link", "sd-hide-link-text",
})

# The rules this extension ships for its own nodes: folded into the extras file
# of a page that shows one, never a file or a request of their own.
OWN_FEATURE_STYLESHEETS = {"diagram": DIAGRAMS_STYLESHEET}
EXTRAS_ORDER = (*FEATURE_ORDER, *OWN_FEATURE_STYLESHEETS)

_HASH_LENGTH = 12
# The names _hashed_name gives: the shared stylesheet and the per-feature extras.
_HASHED_STYLESHEET = re.compile(rf"\b(?:site|extras-[a-z-]+)\.[0-9a-f]{{{_HASH_LENGTH}}}\.css\b")


class SiteStyles:
    """The shared stylesheet and the per-feature rules, computed once per build."""

    def __init__(self, app) -> None:
        self.outdir = Path(app.outdir)
        self.cachedir = Path(app.doctreedir)
        self.code_styles = _code_style_names(app)
        furo_css, own_css = _stylesheet_sources(app)
        variables = _furo_colour_variables(app)
        core, self.feature_rules = _cached_split(Path(app.doctreedir), furo_css)
        self.site_css = "\n".join([core, variables, *own_css]) + "\n"
        self.site_name = _hashed_name("site", self.site_css)
        self.own_files = {f"{STATIC}/{name}" for name in _own_css_names(app)}
        for feature, path in OWN_FEATURE_STYLESHEETS.items():
            self.feature_rules[feature] = minify(path.read_text(encoding="utf-8"))
        # What every page's links depend on: when it changes, every page is rewritten.
        self.fingerprint = _hashed_name(self.site_name, json.dumps(self.feature_rules, sort_keys=True))
        self._extras: dict[tuple[str, ...], str] = {}

    def write_site_css(self) -> None:
        write_if_changed(self.outdir / STATIC / self.site_name, self.site_css.encode("utf-8"))

    def _pygments_css(self) -> str:
        """Furo's light and dark highlighting rules, computed once per pair of styles.

        Furo builds them from both Pygments styles, which takes longer than
        writing a one-page rebuild's HTML; they only change with the styles.
        """
        import pygments

        key = f"{self.code_styles}|{pygments.__version__}"
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:_HASH_LENGTH]
        cache = self.cachedir / f"portfolio-pygments.{digest}.css"
        try:
            return cache.read_text(encoding="utf-8")
        except OSError:
            pass
        text = minify(_pygments_css())
        self.cachedir.mkdir(parents=True, exist_ok=True)
        write_if_changed(cache, text.encode("utf-8"))
        return text

    def extras_name(self, features: tuple[str, ...]) -> str:
        """The file holding the rules for *features*, written on first use."""
        if features not in self._extras:
            # The Pygments colours first, as stock Furo links pygments.css before its own
            # stylesheet: where both set a property at equal specificity (the dark
            # style's `line-height: 125%` on code), Furo's rule must win in both themes.
            parts = [self._pygments_css()] if "code" in features else []
            parts += [self.feature_rules.get(feature, "") for feature in features]
            text = "\n".join(part for part in parts if part) + "\n"
            name = _hashed_name("extras-" + "-".join(features), text)
            write_if_changed(self.outdir / STATIC / name, text.encode("utf-8"))
            self._extras[features] = name
        return self._extras[features]


def _cached_split(cachedir: Path, furo_css: str) -> tuple[str, dict[str, str]]:
    """Split the theme's stylesheet once per content, not once per build.

    The split costs tens of milliseconds, a tenth of a one-page rebuild; the
    result is kept next to the doctrees, under the hash of its input.
    """
    digest = hashlib.sha256(furo_css.encode("utf-8")).hexdigest()[:_HASH_LENGTH]
    cache = cachedir / f"portfolio-stylesheet-split.{digest}.json"
    try:
        cached = json.loads(cache.read_text(encoding="utf-8"))
        return cached["core"], cached["features"]
    except (OSError, ValueError, KeyError):
        pass
    core, features = split_by_feature(strip_source_map(furo_css))
    cachedir.mkdir(parents=True, exist_ok=True)
    write_if_changed(cache, json.dumps({"core": core, "features": features}).encode("utf-8"))
    return core, features


def _stylesheet_sources(app) -> tuple[str, list[str]]:
    theme = app.builder.theme
    stylesheet = theme.get_config("theme", "stylesheet").split(",")[0].strip()
    for theme_dir in theme.get_theme_dirs():
        candidate = Path(theme_dir) / "static" / stylesheet
        if candidate.is_file():
            furo_css = candidate.read_text(encoding="utf-8")
            break
    else:
        raise FileNotFoundError(f"the theme's stylesheet {stylesheet} is not in any theme folder")
    paths = [static_file(app, name) for name in _own_css_names(app)]
    own_css = [minify(path.read_text(encoding="utf-8")) for path in paths if path is not None]
    return furo_css, own_css


def _own_css_names(app) -> list[str]:
    """``html_css_files`` entries that are files of this site (not URLs)."""
    names = []
    for entry in app.config.html_css_files:
        name = entry[0] if isinstance(entry, tuple) else entry
        if "://" not in name and not name.startswith("/"):
            names.append(name)
    return names


def _furo_colour_variables(app) -> str:
    # The same values Furo's _head_css_variables.html template would inline.
    import furo
    from sphinx.highlighting import PygmentsBridge

    options = app.builder.theme.get_options(app.config.html_theme_options)
    light_style = app.builder.highlighter.formatter_args["style"]
    dark_style = PygmentsBridge("html", app.config.pygments_dark_style).formatter_args["style"]
    return theme_variables(
        options.get("light_css_variables") or {},
        options.get("dark_css_variables") or {},
        furo.get_pygments_style_colors(light_style, fallbacks={"foreground": "black", "background": "white"}),
        furo.get_pygments_style_colors(dark_style, fallbacks={"foreground": "white", "background": "black"}),
    )


def _code_style_names(app) -> str:
    from sphinx.highlighting import PygmentsBridge

    light = app.builder.highlighter.formatter_args["style"]
    dark = PygmentsBridge("html", app.config.pygments_dark_style).formatter_args["style"]
    return "|".join(f"{style.__module__}.{style.__qualname__}" for style in (light, dark))


def _pygments_css() -> str:
    # Furo's light and dark highlighting, the file it writes as pygments.css.
    import furo

    return furo.get_pygments_stylesheet()


def _hashed_name(stem: str, text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:_HASH_LENGTH]
    return f"{stem}.{digest}.css"


def page_features(templatename: str, doctree) -> tuple[str, ...]:
    """The content features a page shows, in the order their rules are stacked."""
    found: set[str] = set()
    if doctree is not None:
        for node in doctree.findall(nodes.Element):
            if isinstance(node, nodes.literal_block | nodes.doctest_block):
                found.add("code")
            elif isinstance(node, nodes.Admonition):
                found.add("admonition")
            elif isinstance(node, nodes.table):
                found.add("table")
            elif isinstance(node, nodes.footnote | nodes.citation | nodes.footnote_reference):
                found.add("footnote")
            elif isinstance(node, addnodes.desc):
                found.add("api")
            elif isinstance(node, nodes.math | nodes.math_block):
                found.add("math")
            elif isinstance(node, diagram):
                found.add("diagram")
    if templatename == "search.html":
        # Furo's search template shows an admonition when JavaScript is off.
        found.add("admonition")
    if templatename in {"genindex.html", "genindex-single.html", "genindex-split.html", "domainindex.html"}:
        found |= {"genindex", "table"}
    return tuple(feature for feature in EXTRAS_ORDER if feature in found)


def sphinx_design_use(doctree) -> tuple[bool, bool]:
    """Whether the page needs sphinx-design's own stylesheet, and its tab script."""
    if doctree is None:
        return False, False
    classes = {name for node in doctree.findall(nodes.Element) for name in node.get("classes", ())}
    design_classes = {name for name in classes if name.startswith("sd-")}
    return bool(design_classes - CARRIED_SPHINX_DESIGN_CLASSES), "sd-tab-set" in design_classes


def _builder_inited(app) -> None:
    # The shared stylesheet is cut from Furo's and carries Furo's variables.
    if app.builder.name not in {"html", "dirhtml"} or app.config.html_theme != "furo":
        return
    styles = SiteStyles(app)
    styles.write_site_css()
    app.portfolio_site_styles = styles
    # Before every other stylesheet a page may still link (extras, other extensions).
    app.add_css_file(styles.site_name, priority=100)


def _cache_compiled_templates(app) -> None:
    """Keep the theme's compiled Jinja templates next to the doctrees.

    Sphinx compiles every template it renders again in each new process, and
    ``make livehtml`` starts a new process for every save; compiling Furo's
    templates costs about a tenth of a second of a one-page rebuild. Jinja
    checks each cached template against its source, so an edited template is
    compiled afresh.
    """
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is None or environment.bytecode_cache is not None:
        return
    from jinja2 import FileSystemBytecodeCache

    cachedir = Path(app.doctreedir) / "portfolio-templates"
    cachedir.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(str(cachedir))


def _pages_to_rewrite(app, env) -> list[str]:
    """Every page, when the shared stylesheet's name changed since the last build."""
    styles = getattr(app, "portfolio_site_styles", None)
    if styles is None:
        return []
    previous = getattr(env, "portfolio_site_stylesheet", None)
    env.portfolio_site_stylesheet = styles.fingerprint
    if previous is None or previous == styles.fingerprint:
        return []
    return sorted(env.found_docs)


def _page_assets(app, pagename, templatename, context, doctree) -> None:
    styles = getattr(app, "portfolio_site_styles", None)
    if styles is None or "css_files" not in context:
        return
    needs_design_css, needs_design_tabs = sphinx_design_use(doctree)
    dropped_css = {
        *styles.own_files,
        _theme_stylesheet_path(app),
        PYGMENTS_CSS,
        *(() if needs_design_css else (SPHINX_DESIGN_CSS, FURO_EXTENSIONS_CSS)),
    }
    context["css_files"][:] = [
        css for css in context["css_files"] if _filename(css) not in dropped_css
    ]
    features = page_features(templatename, doctree)
    if features:
        app.add_css_file(styles.extras_name(features), priority=150)

    dropped_js = set()
    if pagename != SEARCH_PAGE:
        dropped_js |= SEARCH_SCRIPTS
    if not needs_design_tabs:
        dropped_js.add(SPHINX_DESIGN_TABS_JS)
    context["script_files"][:] = [
        js for js in context["script_files"] if _filename(js) not in dropped_js
    ]


def _remove_unlinked_stylesheets(app, exception) -> None:
    """Delete the hashed stylesheets no page of the finished site links.

    Each build names its stylesheets by content and every rebuild starts from
    the last site, so without this every change of a stylesheet would leave its
    old file behind for good. Only after a build that succeeded: a failed one
    may have left pages unwritten that still need their files.
    """
    if exception is not None or getattr(app, "portfolio_site_styles", None) is None:
        return
    outdir = Path(app.outdir)
    linked: set[str] = set()
    for page in outdir.rglob("*.html"):
        linked.update(_HASHED_STYLESHEET.findall(page.read_text(encoding="utf-8", errors="replace")))
    for stylesheet in (outdir / STATIC).glob("*.css"):
        if _HASHED_STYLESHEET.fullmatch(stylesheet.name) and stylesheet.name not in linked:
            stylesheet.unlink()


def _theme_stylesheet_path(app) -> str:
    stylesheet = app.builder.theme.get_config("theme", "stylesheet").split(",")[0].strip()
    return f"{STATIC}/{stylesheet}"


def _filename(asset) -> str:
    name = getattr(asset, "filename", asset)
    return re.sub(r"\?.*$", "", str(name))


def setup_assets(app) -> None:
    app.connect("builder-inited", _builder_inited)
    app.connect("builder-inited", _cache_compiled_templates)
    app.connect("env-get-updated", _pages_to_rewrite)
    # After Furo and sphinx-design have added theirs (default priority 500).
    app.connect("html-page-context", _page_assets, priority=900)
    app.connect("build-finished", _remove_unlinked_stylesheets)
