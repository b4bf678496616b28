"""The ``diagram`` directive: pictures drawn at build time into inline SVG.

Input: a ``:::{diagram}`` directive (README.md shows one) with an optional
caption, a required ``:alt:`` text alternative, a ``:kind:`` and the diagram's
source as its body: ``sequence`` (the default) is the small language of
``sequence.py``, ``graph`` is Graphviz DOT, laid out by the ``graphviz-pure``
command that ``requirements.txt`` installs.

Output: ``<figure class="diagram">`` holding an ``<svg role="img">`` whose
``<title>`` is the text alternative, then the caption as ``<figcaption>``. A
picture too wide to read once shrunk to the narrowest phone's column keeps a
legible floor (``--legible-width``) and scrolls in its figure, which then takes
keyboard focus so it can be scrolled without a pointer.
The SVG has no colours of its own: ``_static/diagrams.css`` beside this module
paints it, written minified into the picture's own ``<style>`` (a page with a
diagram makes no extra request for it; a stylesheet in an inline SVG applies to
the page, and every copy is the same). Drawings are cached by content
(``portfolio_diagram_cache``), so an unchanged diagram is never drawn twice, not
even by a clean build.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import re
import shutil
import subprocess
import sys
from html import escape
from pathlib import Path

import rcssmin
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from . import sequence
from .checks import warn_while_reading
from .graphviz_svg import GraphError, clean_graphviz_svg

logger = logging.getLogger(__name__)

DIRECTIVE_NAME_DIAGRAM = "diagram"
KINDS = ("sequence", "graph")
GRAPHVIZ_COMMAND = "graphviz-pure"
STYLESHEET = Path(__file__).parent / "_static" / "diagrams.css"
# Part of every cache key, and of the extension's env_version so that pages
# drawn before are read again: raise it whenever a renderer's output changes.
RENDERER_VERSION = 11
GRAPHVIZ_OPTIONS = (
    "-Tsvg",
    # Graphviz sizes boxes from the metrics of the font it is told about. The page
    # draws the text in its own system font; DejaVu Sans is the widest of those
    # (Linux's usual system-ui), so text fits its box in every one of them.
    *(f"-{target}fontname=DejaVu Sans" for target in "GNE"),
    # Defaults that the DOT can override: rounded boxes (an ellipse is about half
    # as wide again for the same label), with room between them (in inches: 29 px
    # between neighbours, 40 px between ranks) for the labels of the edges.
    "-Nshape=box", "-Nstyle=rounded", "-Gnodesep=0.4", "-Granksep=0.55",
)


# A piece's column on a 320 px screen, and the least a picture is scaled to there:
# its 14 px text at 11 px. Below that, the figure scrolls rather than shrink further.
NARROWEST_COLUMN = 288
LEGIBLE_SCALE = 11 / 14


class DiagramError(Exception):
    """A diagram that cannot be drawn as written: the page's *line*, and what to do."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


class diagram(nodes.General, nodes.Element):
    """A drawn diagram: ``svg`` (already labelled), ``caption``, ``alt`` (its text alternative),
    ``legible_width`` (the narrowest it may be shown, when that is more than a phone's column)."""


class DiagramDirective(SphinxDirective):
    """A diagram drawn at build time into inline SVG."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = {"alt": directives.unchanged, "kind": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        try:
            return [self._drawn()]
        except DiagramError as error:
            warn_while_reading(self.env, f"diagram: {error}", "diagram",
                               location=(self.env.docname, error.line))
            # The build fails at its end; meanwhile the page reads on without the picture.
            return [nodes.comment("", "diagram not drawn: see the build's error")]

    def _drawn(self) -> diagram:
        alt = " ".join(self.options.get("alt", "").split())
        if not alt:
            raise DiagramError(
                self.lineno,
                "missing :alt:; add a line ':alt: <what the picture shows, step by step>' "
                "under the diagram's opening line, for readers who cannot see it.",
            )
        kind = self.options.get("kind", "").strip() or "sequence"
        if kind not in KINDS:
            raise DiagramError(
                self.lineno,
                f"':kind: {kind}' is not a kind of diagram; "
                "write ':kind: sequence' or ':kind: graph'.",
            )
        source = "\n".join(self.content).strip("\n")
        if not source.strip():
            raise DiagramError(
                self.lineno,
                "nothing to draw; write the diagram's lines after the options "
                "and a blank line, before the closing ':::'.",
            )
        # The file's line number of the source's first line, for messages about
        # a line of the source. MyST counts content_offset from the directive's
        # opening line (docutils counts it from the top of the file).
        first_line = self.lineno + self.content_offset + 1 + next(
            index for index, line in enumerate(self.content) if line.strip()
        )
        path = str(self.env.doc2path(self.env.docname, False))
        svg = cached_render(
            self.config.portfolio_diagram_cache, kind, source, where=path, first_line=first_line
        )

        # Unique on the page (the serial number) and the same on every build.
        serial = self.env.new_serialno(DIRECTIVE_NAME_DIAGRAM)
        digest = hashlib.sha256(f"{serial}\0{kind}\0{source}".encode()).hexdigest()[:10]
        title_id = f"diagram-{digest}"
        head, _, body = svg.partition(">")
        labelled = (
            f'{head} role="img" aria-labelledby="{title_id}">'
            f'<title id="{title_id}">{escape(alt, quote=False)}</title>{body}'
        )
        caption = " ".join(self.arguments[0].split()) if self.arguments else ""
        legible_width = float(re.search(r' viewBox="[-\d.]+ [-\d.]+ ([\d.]+)', head)[1]) * LEGIBLE_SCALE
        node = diagram(svg=labelled, caption=caption, alt=alt,
                       legible_width=math.ceil(legible_width) if legible_width > NARROWEST_COLUMN else 0)
        self.set_source_info(node)
        return node


def cached_render(cache_dir: str, kind: str, source: str, *, where: str, first_line: int) -> str:
    """The SVG for *source*, from the cache when it was drawn before."""
    key = hashlib.sha256(f"{RENDERER_VERSION}\0{kind}\0{source}".encode()).hexdigest()
    path = Path(cache_dir) / f"{kind}-{key}.svg"
    if path.is_file():
        return path.read_text(encoding="utf-8")
    if kind == "sequence":
        try:
            svg = sequence.render(source)
        except sequence.SequenceError as error:
            raise DiagramError(first_line + error.line - 1, str(error)) from None
    else:
        svg = _render_graph(source, first_line)
    logger.verbose("diagram: drew the %s at %s:%d, cached as %s", kind, where, first_line, path)
    # Parallel readers may draw the same picture: each writes a file of its own, then
    # renames it into place in one step, so no reader sees half a file.
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(svg, encoding="utf-8")
    os.replace(partial, path)
    return svg


def _render_graph(source: str, first_line: int) -> str:
    # The virtual environment's bin folder is not always on PATH (a build run
    # as .venv/bin/sphinx-build), but it is where the interpreter is.
    beside_python = Path(sys.executable).parent / GRAPHVIZ_COMMAND
    command = str(beside_python) if beside_python.exists() else shutil.which(GRAPHVIZ_COMMAND)
    if command is None:
        raise DiagramError(
            first_line,
            f"':kind: graph' needs the '{GRAPHVIZ_COMMAND}' command, which is not installed; "
            "run 'make html' (it installs requirements.txt) or 'pip install -r requirements.txt'.",
        )
    try:
        result = subprocess.run(
            [command, *GRAPHVIZ_OPTIONS], input=source, capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise DiagramError(
            first_line,
            f"'{GRAPHVIZ_COMMAND}' did not draw the graph ({error}); make it smaller, "
            "or reinstall with 'pip install -r requirements.txt'.",
        ) from None
    if result.returncode != 0 or "<svg" not in result.stdout:
        message = " ".join(result.stderr.split()) or f"exit status {result.returncode}"
        match = re.search(r"\bline (\d+)", message)
        raise DiagramError(
            first_line + int(match[1]) - 1 if match else first_line,
            f"Graphviz cannot read this DOT ({message}); "
            "correct the DOT, e.g. 'digraph { rankdir=TB; a -> b; }'.",
        )
    try:
        return clean_graphviz_svg(result.stdout)
    except GraphError as error:
        raise DiagramError(first_line, f"{error}.") from None


@functools.cache
def _stylesheet() -> str:
    return rcssmin.cssmin(STYLESHEET.read_text(encoding="utf-8"))


def visit_diagram_html(self, node: diagram) -> None:
    scrolls = node.get("legible_width")
    floor = f' tabindex="0" style="--legible-width: {scrolls}px"' if scrolls else ""
    head, _, body = node["svg"].partition("</title>")
    self.body.append(f'<figure class="diagram"{floor}>{head}</title><style>{_stylesheet()}</style>{body}')
    if node["caption"]:
        self.body.append(f"<figcaption>{escape(node['caption'], quote=False)}</figcaption>")
    self.body.append("</figure>\n")
    raise nodes.SkipNode


def _resolve_cache_dir(app, config) -> None:
    # Beside the build output by default (`_build/.diagram-cache` for `make html`),
    # so a clean build (a new output folder, or -E) still finds what was drawn
    # before. Never in the source tree: for an output folder straight inside the
    # source (`sphinx-build . _site`) it goes with the doctrees instead.
    beside_output = Path(app.outdir).resolve().parent
    if beside_output == Path(app.srcdir).resolve():
        default = Path(app.doctreedir, "diagram-cache")
    else:
        default = beside_output / ".diagram-cache"
    configured = config.portfolio_diagram_cache or str(default)
    config.portfolio_diagram_cache = str(Path(app.confdir, configured).resolve())


def setup_diagrams(app) -> None:
    app.add_config_value("portfolio_diagram_cache", "", "", types=[str])
    app.add_node(diagram, html=(visit_diagram_html, None))
    app.add_directive(DIRECTIVE_NAME_DIAGRAM, DiagramDirective)
    app.connect("config-inited", _resolve_cache_dir)
