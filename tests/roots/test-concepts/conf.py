# _ext is on sys.path via tests/conftest.py; roots are copied elsewhere to build.

extensions = ["myst_parser", "portfolio"]
myst_enable_extensions = ["colon_fence"]
nitpicky = True
portfolio_name = "Ada"
portfolio_role = "Engineer"
portfolio_headline = "Things that hold."
portfolio_contact = [{"label": "Email", "url": "mailto:ada@example.com", "text": "ada@example.com"}]
