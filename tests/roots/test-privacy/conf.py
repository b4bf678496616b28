# _ext is on sys.path via tests/conftest.py; roots are copied elsewhere to build.
# One page in Furo, built with the site's templates (the test passes templates_path):
# what policy each kind of build carries, and what it lets run.

extensions = ["myst_parser", "portfolio"]
myst_title_to_header = True
nitpicky = True
portfolio_name = "Ada"
portfolio_role = "Engineer"
portfolio_headline = "Things that hold."
portfolio_contact = [{"label": "Email", "url": "mailto:ada@example.com", "text": "ada@example.com"}]
html_theme = "furo"
