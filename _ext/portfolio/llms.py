"""``llms.txt`` and ``llms-full.txt``: the site for language models and search tools.

Input: the configuration (name, role, headline, ``html_baseurl``), the portfolio
from front matter and each page's text, kept as Markdown when the page is read
(so a rebuild converts only the pages it reads). Output, after an HTML build, at the
site root: ``llms.txt`` (the llms.txt format: the owner and headline, the
areas, and every piece with its summary and absolute address, as the links
its sections allow, each with its note) and
``llms-full.txt`` (the same, then each area's essay and each piece in full, as
Markdown). Every address is a page the site publishes: page sources are not
copied (``html_copy_source`` is off), so none points at one. Not
sphinx-llms-txt: it builds both files from the copied sources and writes
neither without them (README, Publishing).
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes

from .content import AREAS_DIR, Area
from .diagrams import diagram
from .pages import page_description
from .publishing import is_published_build, last_updated, page_url

# A page that is not a piece but belongs in the list: the concepts' glossary.
CONCEPTS_DOCNAME = "concepts"


def _keep_page_text(app, doctree) -> None:
    docname = app.env.docname
    app.env.portfolio_page_text[docname] = (page_description(app, docname, doctree), _markdown(doctree))


def _init_env(app) -> None:
    if not hasattr(app.env, "portfolio_page_text"):  # a new environment
        app.env.portfolio_page_text = {}  # docname -> (description, Markdown lines)


def _purge_doc(app, env, docname: str) -> None:
    env.portfolio_page_text.pop(docname, None)


def _merge_info(app, env, docnames, other) -> None:
    for docname in docnames:
        env.portfolio_page_text[docname] = other.portfolio_page_text[docname]


def _header(app) -> list[str]:
    config = app.config
    root = config.root_doc
    intro = app.env.portfolio_page_text[root][0]
    return [
        f"# {config.portfolio_name}", "",
        f"> {config.portfolio_role}. {config.portfolio_headline}", "",
        *([intro, ""] if intro else []),
        f"Home page: {page_url(app, root)}", "",
    ]


def _entry(app, piece, note: str = "") -> str:
    return f"- [{piece.title}]({page_url(app, piece.docname)}): {note}{' '.join(piece.summary.split())}"


def llms_txt(app) -> str:
    portfolio = app.env.portfolio
    lines = _header(app)
    for area in portfolio.areas:
        # A '##' section holds only a list of links (llms.txt): the tagline opens the area's note.
        lines += [f"## {portfolio.number(area)} {area.title}", "", _entry(app, area, f"{area.tagline} ")]
        lines += [_entry(app, article) for article in portfolio.articles_in(area.slug)]
        lines.append("")
    if CONCEPTS_DOCNAME in app.env.found_docs:
        title = app.env.titles[CONCEPTS_DOCNAME].astext()
        lines += ["## Optional", "",
                  f"- [{title}]({page_url(app, CONCEPTS_DOCNAME)}): the recurring ideas the pieces "
                  "explain, each defined in a sentence or two, with links to where each is discussed.", ""]
    return "\n".join(lines)


def llms_full_txt(app) -> str:
    portfolio = app.env.portfolio
    lines = _header(app)
    pieces = [item for area in portfolio.areas for item in (area, *portfolio.articles_in(area.slug))]
    for piece in pieces:
        kind = f"Work area {portfolio.number(piece)}" if isinstance(piece, Area) else (
            f"Part of {portfolio.by_docname(f'{AREAS_DIR}/{piece.area}').title}")
        updated = last_updated(app, piece)
        lines += [
            "---", "",
            f"# {piece.title}", "",
            f"Address: {page_url(app, piece.docname)}",
            kind + (f". Updated {updated.date().isoformat()}." if updated else "."), "",
            " ".join(piece.summary.split()), "",
        ]
        lines += app.env.portfolio_page_text[piece.docname][1]
    if CONCEPTS_DOCNAME in app.env.found_docs:
        lines += ["---", "", f"# {app.env.titles[CONCEPTS_DOCNAME].astext()}", "",
                  f"Address: {page_url(app, CONCEPTS_DOCNAME)}", ""]
        lines += app.env.portfolio_page_text[CONCEPTS_DOCNAME][1]
    return "\n".join(lines).rstrip("\n") + "\n"


def _text(node: nodes.Node) -> str:
    return " ".join(node.astext().split())


def _markdown(doctree) -> list[str]:
    """A page's text below its title, as Markdown: headings, paragraphs, lists, code, diagrams."""
    lines: list[str] = []

    def walk(node: nodes.Node, depth: int) -> None:
        for child in node.children:
            if not isinstance(child, nodes.Element):
                continue
            if isinstance(child, nodes.section):
                lines.extend(["#" * min(depth + 1, 6) + " " + _text(child[0]), ""])
                walk(child, depth + 1)
            elif isinstance(child, nodes.title) or "byline" in child.get("classes", ()) \
                    or set(child.get("classes", ())) & {"lead", "area-kicker", "area-tagline"}:
                continue  # the title and the lead: written above, from the front matter
            elif isinstance(child, nodes.paragraph):
                lines.extend([_text(child), ""])
            elif isinstance(child, (nodes.bullet_list, nodes.enumerated_list)):
                for index, item in enumerate(child.children, 1):
                    marker = f"{index}." if isinstance(child, nodes.enumerated_list) else "-"
                    lines.append(f"{marker} {_text(item)}")
                lines.append("")
            elif isinstance(child, nodes.literal_block):
                lines.extend([f"```{child.get('language', '')}", child.astext(), "```", ""])
            elif isinstance(child, diagram):
                lines.extend([f"[Diagram: {child['caption'].rstrip('.')}. {child.get('alt', '')}]", ""])
            elif isinstance(child, nodes.definition_list_item):
                terms = ", ".join(_text(term) for term in child.findall(nodes.term))
                lines.extend([f"**{terms}**: {_text(child.children[-1])}", ""])
            elif not isinstance(child, nodes.Invisible):
                walk(child, depth)

    walk(next(iter(doctree.findall(nodes.section)), doctree), 1)
    return lines


def _write_llms_files(app, exception) -> None:
    if exception is not None or not is_published_build(app) or not getattr(app.env, "portfolio", None):
        return
    Path(app.outdir, "llms.txt").write_text(llms_txt(app), encoding="utf-8")
    Path(app.outdir, "llms-full.txt").write_text(llms_full_txt(app), encoding="utf-8")


def setup_llms(app) -> None:
    app.connect("builder-inited", _init_env)
    app.connect("doctree-read", _keep_page_text)
    app.connect("env-purge-doc", _purge_doc)
    app.connect("env-merge-info", _merge_info)
    app.connect("build-finished", _write_llms_files)
