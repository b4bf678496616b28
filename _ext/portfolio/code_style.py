"""How code is shown: one palette drawn from the accent, and blocks that scroll.

Input: nothing but the colours below. Output: ``PortfolioLightStyle`` and
``PortfolioDarkStyle``, Pygments styles named by ``pygments_style`` and
``pygments_dark_style`` in conf.py. Keywords take the accent, function names and
strings two neighbours of its green (a teal, a leaf), numbers a warm ochre that
sets them apart without a second bright colour, comments a quiet grey; the rest
is the page's own text colour.
Each colour reads at 4.5:1 or more (WCAG AA) on the code's background, Furo's
secondary background in that theme (``CODE_BACKGROUNDS``; tests/test_site.py
measures every token). Few token kinds on purpose: each one adds three rules
to every code page's stylesheet (light, dark, and dark by system preference).

Code keeps its lines at every width: in an HTML build each code block sits in
a ``<div class="code-scroller" role="group" tabindex="0" aria-label="...">``
that scrolls sideways when a line is wider than the column (portfolio.css),
and that a keyboard can reach and scroll, named for the reader who lands on it
("Python code").
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from pygments.lexers import find_lexer_class_by_name
from pygments.style import Style
from pygments.util import ClassNotFound
from sphinx.transforms.post_transforms import SphinxPostTransform
from pygments.token import Comment, Keyword, Name, Number, String

# Furo's --color-background-secondary, on which portfolio.css sets every code block.
CODE_BACKGROUNDS = {"light": "#f8f9fb", "dark": "#1a1c1e"}


def _styles(accent: str, teal: str, leaf: str, ochre: str, grey: str) -> dict:
    return {
        Comment: f"italic {grey}",
        Keyword: f"bold {accent}",
        Name.Function: teal,
        String: leaf,
        Number: ochre,
    }


class PortfolioLightStyle(Style):
    name = "portfolio-light"
    background_color = CODE_BACKGROUNDS["light"]
    highlight_color = "#dcefe8"
    styles = _styles(accent="#0b6a52", teal="#0f5f6e", leaf="#3f6b12",
                     ochre="#8a4f00", grey="#5c6168")


class PortfolioDarkStyle(Style):
    name = "portfolio-dark"
    background_color = CODE_BACKGROUNDS["dark"]
    highlight_color = "#24372f"
    styles = _styles(accent="#5cc0a0", teal="#74c4d2", leaf="#aacd7a",
                     ochre="#e0ae6a", grey="#9ba1a8")


class code_scroller(nodes.General, nodes.Element):
    """A code block's frame: it scrolls, and a keyboard reaches it. ``label``: its name."""


def _label(language: str) -> str:
    try:
        return f"{find_lexer_class_by_name(language).name} code"
    except ClassNotFound:  # "text", "default", or none
        return "Code"


class WrapCodeInScrollers(SphinxPostTransform):
    """Each code block inside a ``code_scroller``."""

    default_priority = 900
    formats = ("html",)

    def run(self, **kwargs) -> None:
        for block in list(self.document.findall(nodes.literal_block)):
            scroller = code_scroller(label=_label(block.get("language", "")))
            block.replace_self(scroller)
            scroller += block


def visit_code_scroller(self, node: code_scroller) -> None:
    self.body.append(f'<div class="code-scroller" role="group" tabindex="0" aria-label="{escape(node["label"])}">')


def depart_code_scroller(self, node: code_scroller) -> None:
    self.body.append("</div>\n")


def setup_code(app) -> None:
    app.add_node(code_scroller, html=(visit_code_scroller, depart_code_scroller))
    app.add_post_transform(WrapCodeInScrollers)
