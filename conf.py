"""Sphinx configuration for the portfolio site.

Declarative on purpose: the logic that turns front matter into cards, numbers
and metadata lives in the local extension ``_ext/portfolio``.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

# -- Site identity and contact -----------------------------------------------
# The one place for who this site is about and how to reach them: the pages,
# the titles, the feed, the link previews, the accent of the theme, and the
# share images and icons drawn at build time all derive from it. The contact
# entries are placeholders on reserved example domains until the owner fills
# them in (README, "Make it yours").

portfolio_name = "Ifeanyi"
portfolio_role = "Systems engineer"
portfolio_headline = "Building infrastructure that ships."
# The call to contact: it closes the landing page, every piece and every area.
portfolio_closing_question = "Got something that has to hold up?"
portfolio_contact = [
    {"label": "Email", "url": "mailto:hello@example.com", "text": "hello@example.com"},
    {"label": "GitHub", "url": "https://github.example.com/ifeanyi", "text": "github.example.com/ifeanyi"},
    {"label": "LinkedIn", "url": "https://linkedin.example.com/in/ifeanyi", "text": "linkedin.example.com/in/ifeanyi"},
]
# The accent, one per theme: links, the share images (dark) and the icons (light).
# Each passes WCAG AA (4.5:1 for text) on its theme's background.
portfolio_accent = {"light": "#0e7c61", "dark": "#40967c"}

# -- Project information -----------------------------------------------------

project = f"{portfolio_name}, {portfolio_role.lower()}"
author = portfolio_name
copyright = f"%Y, {portfolio_name}"
language = "en"

# -- General configuration ---------------------------------------------------

extensions = [
    # External
    "myst_parser",
    "sphinx_design",
    "sphinxext.opengraph",
    "sphinx_last_updated_by_git",
    # Local (it loads sphinx-notfound-page for the 404 page)
    "portfolio",
]

# Only the MyST syntax the pages use.
myst_enable_extensions = [
    "attrs_block",
    "attrs_inline",
    "colon_fence",
    "substitution",
]
myst_heading_anchors = 3
myst_title_to_header = True

# The source tree is the repository root: exclude everything that is not a page.
exclude_patterns = [
    "_build",
    "_ext",
    "_readthedocs",
    ".ci",
    ".github",
    ".venv",
    "venv",
    ".pytest_cache",
    ".hypothesis",
    "node_modules",
    "tests",
    "bench",
    "README.md",
    "handbook",
    "LICENSE*",
]
templates_path = ["_templates"]

nitpicky = True

# -- Options for HTML output -------------------------------------------------

html_theme = "furo"
html_title = f"{portfolio_name} · {portfolio_role}"
html_static_path = ["_static"]
html_css_files = ["portfolio.css"]
html_show_sourcelink = False
html_copy_source = False
# No general index: the pages define no index entries, so it would be an empty
# page that every page's head links to.
html_use_index = False
# Code colours drawn from the accent, a light and a dark twin, each token at
# AA contrast on the code's background (_ext/portfolio/code_style.py).
pygments_style = "portfolio.code_style.PortfolioLightStyle"
pygments_dark_style = "portfolio.code_style.PortfolioDarkStyle"

# Furo's knobs first; `_static/portfolio.css` only for what they cannot reach.
# What carries the accent, in each theme: links underlined in the accent, so a
# link is told from the text around it by more than its colour (WCAG 1.4.1), and
# search matches in a tint of the accent, not a second colour.
accent_css_variables = {
    theme: {
        "color-brand-primary": accent,
        "color-brand-content": accent,
        "color-brand-visited": accent,
        "color-link-underline": f"{accent}80",
        "color-link-underline--visited": f"{accent}80",
        "color-link-underline--hover": accent,
        # A search match: the accent at 20 % on the light page, 45 % on the dark one,
        # where 20 % all but vanished (text on it stays above 7:1 in both).
        "color-highlighted-background": f"{accent}{'33' if theme == 'light' else '73'}",
    }
    for theme, accent in portfolio_accent.items()
}
html_theme_options = {
    "light_css_variables": {
        **accent_css_variables["light"],
        # Near-black text.
        "color-foreground-primary": "#1b1d21",
        # Card and rule edges that show (1.7:1 on the page; Furo's are 1.2:1).
        "color-background-border": "#c4c5cb",
        "font-stack": "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
        "font-stack--monospace": "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace",
        "font-stack--headings": "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
        # The page's contents (right, on wide screens) are small links one above the other:
        # 0.6rem apart, each has 24 px of its own to be tapped (WCAG 2.5.8; Furo's is 0.4rem).
        "toc-item-spacing-vertical": "0.6rem",
    },
    "dark_css_variables": {
        **accent_css_variables["dark"],
        "color-foreground-primary": "#eceef0",
        "color-background-border": "#3f4146",
    },
    "navigation_with_keys": False,
    "top_of_page_buttons": [],
}

# -- Publishing and sharing --------------------------------------------------
# The site's absolute address, ending in "/": canonical links, the sitemap, the
# feed, link previews and the 404 page derive from it. Read the Docs gives it;
# the Pages workflow passes the address GitHub gives (PORTFOLIO_BASE_URL); a
# local build uses the `make livehtml` address.
html_baseurl = (
    os.environ.get("READTHEDOCS_CANONICAL_URL")
    or os.environ.get("PORTFOLIO_BASE_URL")
    or "http://127.0.0.1:8000/"
)

# The favicon, the touch icon and each page's share image are drawn from the
# identity at build time (_ext/portfolio/pictures.py); `make livehtml` skips the
# share images (portfolio_share_images), a publishing build never does.
# The browser chrome's colour: Furo's page background in each theme.
portfolio_theme_colors = {"light": "#ffffff", "dark": "#131416"}

# -- Privacy -----------------------------------------------------------------
# Every page carries the fixed Content-Security-Policy that _templates/base.html
# writes (README, "Privacy"). Read the Docs injects its addons into each page it
# serves; on Read the Docs the policy lets them run.
html_context = {"readthedocs_addons": os.environ.get("READTHEDOCS") == "True"}

# Link previews (sphinxext-opengraph). Its site URL follows html_baseurl (the
# extension sets it); each piece's type and description come from its front
# matter, each page's image and its alt text from the portfolio extension,
# which also gives the pages' meta description.
ogp_site_name = html_title
ogp_social_cards = {"enable": False}
ogp_enable_meta_description = False
# Twitter/X reads og:*; the card type has no og: equivalent.
ogp_custom_meta_tags = ['<meta name="twitter:card" content="summary_large_image">']

# When each piece last changed, for the feed: the last commit that touched it
# (sphinx-last-updated-by-git). Outside a git checkout, or in a shallow clone,
# the history does not tell: the feed then dates those pieces from
# SOURCE_DATE_EPOCH or the last commit (README, Dates), without a warning.
suppress_warnings = ["git.subprocess_error", "git.too_shallow"]
