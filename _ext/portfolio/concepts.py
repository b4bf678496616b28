"""The concepts' glossary says where each concept is discussed.

Input: the pages' ``{term}`` links to glossary entries (MyST's form of
Sphinx's ``:term:``) and the glossary itself (``concepts.md``). Output: under
each entry's definition, "Discussed in" and a link to the section of every
page that links to it, in reading order; a page whose links change rewrites
the glossary's page too.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes

from .collector import page


def _reading_order(env) -> list[str]:
    """Every page, in the order the navigation lists them."""
    order = [env.config.root_doc]
    for docname in order:
        record = page(env, docname)
        order += [child for child in (record.lists if record else ()) if child not in order]
    return order + sorted(set(env.found_docs) - set(order))


def _discussed_in(app, doctree, docname: str) -> None:
    glossaries = list(doctree.findall(addnodes.glossary))
    if not glossaries:
        return
    links = {name: dict(record.term_links) for name, record in app.env.portfolio_pages.items() if record.term_links}
    order = [name for name in _reading_order(app.env) if name in links and name != docname]
    for item in (item for glossary in glossaries for item in glossary.findall(nodes.definition_list_item)):
        terms = {term.astext().lower() for term in item.findall(nodes.term)}
        places = [(name, links[name][term]) for name in order for term in sorted(terms) if term in links[name]]
        seen, refs = set(), []
        for page_name, (section_id, _) in places:
            if page_name in seen:
                continue
            seen.add(page_name)
            uri = app.builder.get_relative_uri(docname, page_name) + (f"#{section_id}" if section_id else "")
            refs.append(nodes.reference("", page(app.env, page_name).title, refuri=uri, internal=True))
        if not refs:
            continue
        para = nodes.paragraph(classes=["discussed-in"])
        para += nodes.Text("Discussed in: ")
        for index, ref in enumerate(refs):
            if index:
                para += nodes.Text(", " if index < len(refs) - 1 else " and ")
            para += ref
        para += nodes.Text(".")
        item[-1] += para


def setup_concepts(app) -> None:
    # Each page's term links are in its record (collector), which also has the
    # glossary rewritten when they change.
    app.connect("doctree-resolved", _discussed_in)
