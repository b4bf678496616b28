"""Which of the registered stylesheets and scripts a page links.

Input: each page's doctree and the ``css_files`` and ``script_files`` of its
``html-page-context`` context, as Sphinx, Furo and sphinx-design fill them.
Output: the same lists without

* sphinx-design's stylesheet and tab script, and Furo's stylesheet for
  extensions (its rules are for sphinx-design's components and others the
  site does not use), on a page whose only sphinx-design component is the
  cards: ``_static/portfolio.css`` styles those;
* the code colours (Furo's ``pygments.css``) on a page without highlighted
  code;
* Sphinx's search scripts on every page but the search page, the one that
  searches.

Every file still ships whole in ``_static``; Furo's own stylesheet and script
stay on every page. Only the page context's lists change, nothing deeper.

The site's own stylesheets (``html_css_files`` and ``diagrams.css``) keep their
comments in the source and reach visitors without them: after the build has
copied them, each is rewritten minified (rcssmin) in the output.
"""

from __future__ import annotations

from pathlib import Path

import rcssmin
from docutils import nodes

from .diagrams import STYLESHEET_NAME

SEARCH_PAGE = "search"
# The container the cards' grid carries (``directives.py``, ``:class-container:``).
CARDS_CLASS = "case-studies"
SPHINX_DESIGN_CLASS_PREFIX = "sd-"
SPHINX_DESIGN_FILES = frozenset({
    "_static/sphinx-design.min.css", "_static/design-tabs.js", "_static/styles/furo-extensions.css",
})
CODE_COLOURS = "_static/pygments.css"
# Sphinx adds these to every page; only the search page runs a search.
SEARCH_SCRIPTS = frozenset({
    "_static/documentation_options.js", "_static/doctools.js", "_static/sphinx_highlight.js",
})


def _uses_sphinx_design_beyond_the_cards(node: nodes.Element) -> bool:
    """Whether *node* holds a sphinx-design component that is not one of the cards."""
    classes = node.get("classes", ())
    if CARDS_CLASS in classes:
        return False
    if any(name.startswith(SPHINX_DESIGN_CLASS_PREFIX) for name in classes):
        return True
    return any(
        _uses_sphinx_design_beyond_the_cards(child)
        for child in node.children if isinstance(child, nodes.Element)
    )


def _shows_code(doctree) -> bool:
    return next(doctree.findall(nodes.literal_block), None) is not None


def _filename(asset) -> str:
    return str(getattr(asset, "filename", asset)).partition("?")[0]


def _leave_out_unused(app, pagename, templatename, context, doctree) -> None:
    if "css_files" not in context or "script_files" not in context:
        return
    unused = set()
    if doctree is None or not _uses_sphinx_design_beyond_the_cards(doctree):
        unused |= SPHINX_DESIGN_FILES
    if doctree is None or not _shows_code(doctree):
        unused.add(CODE_COLOURS)
    if pagename != SEARCH_PAGE:
        unused |= SEARCH_SCRIPTS
    context["css_files"][:] = [css for css in context["css_files"] if _filename(css) not in unused]
    context["script_files"][:] = [js for js in context["script_files"] if _filename(js) not in unused]


def _minify_own_stylesheets(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    # Sphinx keeps each html_css_files entry as a name or a (name, attributes) pair.
    own = [entry[0] if isinstance(entry, tuple) else entry for entry in app.config.html_css_files]
    for name in (*own, STYLESHEET_NAME):
        path = Path(app.outdir, "_static", name)
        if path.is_file():
            path.write_text(rcssmin.cssmin(path.read_text(encoding="utf-8")), encoding="utf-8")


def setup_page_assets(app) -> None:
    app.connect("build-finished", _minify_own_stylesheets)
    # After Furo and sphinx-design have filled the page's lists (default priority 500).
    app.connect("html-page-context", _leave_out_unused, priority=900)
