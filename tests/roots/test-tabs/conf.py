# _ext is on sys.path via tests/conftest.py; roots are copied elsewhere to build.
# One page with tabs, one without: what each loads of sphinx-design's assets.

extensions = ["myst_parser", "sphinx_design", "portfolio"]
myst_enable_extensions = ["colon_fence"]
myst_title_to_header = True
nitpicky = True
portfolio_name = "Ada"
portfolio_role = "Engineer"
portfolio_headline = "Things that hold."
portfolio_contact = [{"label": "Email", "url": "mailto:ada@example.com", "text": "ada@example.com"}]
html_theme = "furo"  # Furo adds its stylesheet for extensions, which goes with sphinx-design's
