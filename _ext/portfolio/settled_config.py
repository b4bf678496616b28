"""Settings other packages fill in late, filled in before the last build's are compared.

Input: the configuration once ``conf.py`` is read. Output: the same
configuration with the values Sphinx, Furo and sphinx-design would add only
when the builder starts, so a rebuild with nothing changed finds the
configuration it saved last time and does not print "The configuration has
changed (3 options: ...)".

Sphinx compares the saved configuration with the new one right after
``config-inited``; the builder starts after that, and each of these changes
the configuration then:

* Furo registers ``pygments_dark_style`` when Sphinx loads it as the theme;
* Sphinx gives each ``html_css_files`` (and ``html_js_files``) entry the
  priority 800, in place;
* sphinx-design appends its static folder to ``html_static_path``.
"""

from __future__ import annotations

from pathlib import Path

# Sphinx's default for the site's own stylesheets and scripts: after the
# extensions' (StandaloneHTMLBuilder.init_css_files, init_js_files).
OWN_ASSET_PRIORITY = 800


def _sphinx_design_static_dir() -> str:
    """The folder sphinx-design appends to ``html_static_path`` (``add_static_assets``)."""
    from sphinx_design.extension import STATIC_DIR

    return str(STATIC_DIR)


def _fill_in_late_settings(app, config) -> None:
    if config.html_theme == "furo":
        # Loading the theme's extension now registers its settings now; Sphinx
        # skips an extension that is already loaded when it loads the theme.
        app.setup_extension("furo")
    for setting in ("html_css_files", "html_js_files"):
        for _, attributes in getattr(config, setting):
            attributes.setdefault("priority", OWN_ASSET_PRIORITY)
    if "sphinx_design" in app.extensions:
        static_dir = _sphinx_design_static_dir()
        if static_dir not in config.html_static_path:
            config.html_static_path = [*config.html_static_path, static_dir]


def _drop_repeated_static_folders(app) -> None:
    """sphinx-design appends its folder again: keep the first of each."""
    seen: set[Path] = set()
    folders = []
    for folder in app.config.html_static_path:
        resolved = Path(app.confdir, folder).resolve()
        if resolved not in seen:
            seen.add(resolved)
            folders.append(folder)
    if folders != app.config.html_static_path:
        app.config.html_static_path = folders


def setup_settled_config(app) -> None:
    # After Sphinx turns plain html_css_files names into (name, attributes) (priority 800).
    app.connect("config-inited", _fill_in_late_settings, priority=900)
    # After sphinx-design's builder-inited handler (default priority 500).
    app.connect("builder-inited", _drop_repeated_static_folders, priority=900)
