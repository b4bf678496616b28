"""The code's colours in the dark theme: the Gotthard pair of accessible-pygments (a Furo dependency).

Input: the ``gotthard-dark`` Pygments style. Output: ``PortfolioDarkStyle``, named by
``pygments_dark_style`` in conf.py. Gotthard's sage strings and builtins sit with
the site's green accent, and nothing in it glows; its light twin is used as it is.
Its rose (numbers, constants, errors) reads at only 3.8:1 on Furo's dark code
background, under WCAG AA's 4.5:1, so that one colour is lifted.
"""

from __future__ import annotations

from pygments.styles import get_style_by_name

GotthardDarkStyle = get_style_by_name("gotthard-dark")

_ROSE = "#AB6369"
_ROSE_LIFTED = "#cf8a8f"  # 5.9:1 on Furo's dark secondary background (#1a1c1e)


class PortfolioDarkStyle(GotthardDarkStyle):
    name = "portfolio-dark"
    styles = {token: value.replace(_ROSE, _ROSE_LIFTED) for token, value in GotthardDarkStyle.styles.items()}
