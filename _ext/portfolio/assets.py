"""What each page links, and the site's own stylesheets made small.

Input: each page's doctree, in ``html-page-context``. Output: the template
variable ``portfolio_unused_assets``, the files of components the page does not
use (``_templates/base.html`` leaves those out of the lists Sphinx hands it):

* sphinx-design's tab script where the page has no tabs;
* sphinx-design's stylesheet where the page uses no sphinx-design component
  (the cards are one: a page with cards ships it whole);
* Furo's stylesheet for extensions (its colours for sphinx-design's
  components) where the page's only components are the cards, which take
  theirs from ``_static/portfolio.css``;
* the code colours (``pygments.css``) where the page shows no code.

Sphinx's own scripts, the search-term highlighting among them, ship on every
page, as they do on a stock site. Every file ships whole in ``_static``.

The site's own stylesheets (``html_css_files``) keep their
comments in the source and reach visitors without them: after the build has
copied them, each is rewritten minified (rcssmin) in the output.
"""

from __future__ import annotations

from pathlib import Path

import rcssmin
from docutils import nodes

SPHINX_DESIGN_CLASS_PREFIX = "sd-"
# The grid of cards the engine writes (directives.py, ``:class-container:``).
CARDS_CLASS = "case-studies"
TABS_CLASS = "sd-tab-set"
TABS_SCRIPT = "design-tabs.js"
DESIGN_STYLESHEET = "sphinx-design.min.css"
FURO_EXTENSIONS_STYLESHEET = "styles/furo-extensions.css"
CODE_COLOURS = "pygments.css"


def _design_classes(node: nodes.Element, *, skip_cards: bool) -> set[str]:
    """The sphinx-design classes in *node*'s tree (outside the cards' grids, with *skip_cards*)."""
    classes = node.get("classes", ())
    if skip_cards and CARDS_CLASS in classes:
        return set()
    found = {name for name in classes if name.startswith(SPHINX_DESIGN_CLASS_PREFIX)}
    for child in node.children:
        if isinstance(child, nodes.Element):
            found |= _design_classes(child, skip_cards=skip_cards)
    return found


def unused_assets(doctree) -> set[str]:
    """The ``_static`` files of components a page with *doctree* does not use."""
    if doctree is None:  # a page Sphinx or an extension makes: search, 404
        return {TABS_SCRIPT, DESIGN_STYLESHEET, FURO_EXTENSIONS_STYLESHEET, CODE_COLOURS}
    unused = set()
    design = _design_classes(doctree, skip_cards=False)
    if TABS_CLASS not in design:
        unused.add(TABS_SCRIPT)
    if not design:
        unused.add(DESIGN_STYLESHEET)
    # Furo's colours for sphinx-design's components: the cards take theirs from
    # portfolio.css, so a page whose only components are the cards does without.
    if not _design_classes(doctree, skip_cards=True):
        unused.add(FURO_EXTENSIONS_STYLESHEET)
    if next(doctree.findall(nodes.literal_block), None) is None:
        unused.add(CODE_COLOURS)
    return unused


def _note_unused_assets(app, pagename, templatename, context, doctree) -> None:
    context["portfolio_unused_assets"] = sorted(f"_static/{name}" for name in unused_assets(doctree))


def _minify_own_stylesheets(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    # Sphinx keeps each html_css_files entry as a name or a (name, attributes) pair.
    own = [entry[0] if isinstance(entry, tuple) else entry for entry in app.config.html_css_files]
    for name in own:
        path = Path(app.outdir, "_static", name)
        if path.is_file():
            path.write_text(rcssmin.cssmin(path.read_text(encoding="utf-8")), encoding="utf-8")


def setup_assets(app) -> None:
    app.connect("html-page-context", _note_unused_assets)
    app.connect("build-finished", _minify_own_stylesheets)
