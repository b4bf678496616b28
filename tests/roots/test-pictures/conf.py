# _ext is on sys.path via tests/conftest.py; roots are copied elsewhere to build.
# A made-up owner whose pictures are drawn at build time: a share image per page, the icons.

extensions = ["myst_parser", "sphinx_design", "sphinxext.opengraph", "sphinx_last_updated_by_git", "portfolio"]
myst_enable_extensions = ["attrs_block", "attrs_inline", "colon_fence", "substitution"]
myst_title_to_header = True
nitpicky = True
html_baseurl = "https://folio.example.com/"

# -- Site identity and contact --
portfolio_name = "Nkem Obi"
portfolio_role = "Reliability engineer"
portfolio_headline = "Quiet pagers."
portfolio_contact = [
    {"label": "Email", "url": "mailto:nkem@obi.test", "text": "nkem@obi.test"},
]
portfolio_accent = {"light": "#7a2e0e", "dark": "#f0a070"}

html_title = f"{portfolio_name} · {portfolio_role}"
ogp_social_cards = {"enable": False}
ogp_enable_meta_description = False
# Copied outside any git checkout: no history to read there.
suppress_warnings = ["git.subprocess_error", "git.too_shallow"]
