# _ext is on sys.path via tests/conftest.py; roots are copied elsewhere to build.

extensions = ["myst_parser", "sphinx_design", "portfolio"]
myst_enable_extensions = ["attrs_block", "attrs_inline", "colon_fence", "substitution"]
myst_title_to_header = True
myst_heading_anchors = 3
nitpicky = True
portfolio_name = "Ada"
portfolio_role = "Engineer"
portfolio_headline = "Things that hold."
portfolio_contact = [{"label": "Email", "url": "mailto:ada@example.com", "text": "ada@example.com"}]
