"""The portfolio's Sphinx wiring.

Front matter in ``work/`` and ``articles/`` is read once per build, validated,
and kept on the environment; directives and transforms render it. This module
only connects the pieces: ``content`` (the portfolio read from front matter;
``front_matter`` reads and checks one page's), ``directives`` (what the pages
show, and the identity as substitutions), ``diagrams`` (pictures drawn at
build time: ``sequence`` draws sequence diagrams, ``graphviz_svg`` tidies
Graphviz's SVG), ``pages`` (per-page additions), ``publishing`` (base URL,
sitemap, robots.txt), ``rebuilds`` (what a rebuild must redo after pages are
removed or a commit), ``feed`` (the Atom feed, with feedgen), ``llms``
(llms.txt and llms-full.txt), ``concepts`` (where each glossary entry is
discussed), ``sharing`` (what sphinxext-opengraph needs per page, icons and
structured data), ``pictures`` (the share images and icons, drawn from the
identity), ``not_found`` (the 404 page), ``search_page`` (the search page's
suggestions), ``code_style`` (the code's colours, and code blocks that scroll), ``checks`` (how
a problem is reported, and the settings and site-wide checks),
``drafts`` (pieces left out of all but the preview),
``placeholders`` (contact details on example domains never get published),
``assets`` (which components' files a page leaves out, and the site's own
stylesheets minified) and ``workarounds`` (each upstream problem worked around, with
its issue).
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.util.typing import ExtensionMetadata

from .assets import setup_assets
from .checks import setup_checks
from .code_style import setup_code
from .concepts import setup_concepts
from .content import PortfolioError, load_portfolio
from .diagrams import RENDERER_VERSION, setup_diagrams
from .drafts import setup_drafts
from .directives import setup_directives
from .feed import setup_feed
from .llms import setup_llms
from .not_found import setup_not_found
from .pages import setup_pages
from .pictures import setup_pictures
from .placeholders import setup_placeholders
from .publishing import setup_publishing
from .rebuilds import setup_rebuilds
from .search_page import setup_search_page
from .sharing import setup_sharing
from .workarounds import setup_workarounds

__version__ = "1.0.0"
__all__ = ["PortfolioError", "load_portfolio", "setup"]


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_config_value("portfolio_name", "", "env", types=[str])
    app.add_config_value("portfolio_role", "", "env", types=[str])
    app.add_config_value("portfolio_headline", "", "env", types=[str])
    app.add_config_value("portfolio_contact", [], "env", types=[list])
    # The call to contact that closes the landing page, every piece and every area.
    app.add_config_value("portfolio_closing_question", "", "env", types=[str])
    setup_drafts(app)
    setup_directives(app)
    setup_diagrams(app)
    setup_code(app)
    setup_pages(app)
    setup_publishing(app)
    setup_rebuilds(app)
    setup_feed(app)
    setup_llms(app)
    setup_concepts(app)
    setup_sharing(app)
    setup_pictures(app)
    setup_not_found(app)
    setup_search_page(app)
    setup_checks(app)
    setup_placeholders(app)
    setup_assets(app)
    setup_workarounds(app)
    return {
        "version": __version__,
        # 6: pieces may be drafts; the JSON-LD gives datePublished, og:locale a territory.
        # 5: the read-more links' hidden area names take the site's own class.
        # 4: the environment keeps what each page's text gave (front matter,
        # reading time, its Markdown for llms-full.txt).
        # Both parts only ever go up, so their sum changes whenever either does.
        "env_version": 6 + RENDERER_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
