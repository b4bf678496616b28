# _ext is on sys.path via tests/conftest.py; roots are copied elsewhere to build.

extensions = ["myst_parser", "sphinx_design", "sphinxext.opengraph", "sphinx_last_updated_by_git", "portfolio"]
myst_enable_extensions = ["attrs_block", "attrs_inline", "colon_fence", "substitution"]
myst_title_to_header = True
nitpicky = True
html_title = "Ada · Engineer"
html_baseurl = "https://ada.example.com/portfolio/"
portfolio_name = "Ada"
portfolio_role = "Engineer"
portfolio_headline = "Things that hold."
portfolio_contact = [{"label": "Email", "url": "mailto:ada@example.com", "text": "ada@example.com"}]
ogp_social_cards = {"enable": False}
# Copied outside any git checkout by most tests: no history to read there.
suppress_warnings = ["git.subprocess_error", "git.too_shallow"]
