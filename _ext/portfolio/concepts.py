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

# docname -> {term, lower case: (section id, section title)}, the first place
# each term is linked from on that page.
ENV_KEY = "portfolio_concept_links"


def _init_env(app) -> None:
    if not hasattr(app.env, ENV_KEY):
        setattr(app.env, ENV_KEY, {})
        app.env.portfolio_concept_links_written = ()


def _collect_links(app, doctree) -> None:
    links = {}
    for xref in doctree.findall(addnodes.pending_xref):
        if xref.get("reftype") != "term":
            continue
        section = next((node for node in _ancestors(xref) if isinstance(node, nodes.section)), None)
        place = (section["ids"][0], section[0].astext()) if section is not None else ("", "")
        links.setdefault(xref["reftarget"].lower(), place)
    if links:
        getattr(app.env, ENV_KEY)[app.env.docname] = links


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def _purge_doc(app, env, docname: str) -> None:
    getattr(env, ENV_KEY).pop(docname, None)


def _merge_info(app, env, docnames, other) -> None:
    for docname in docnames:
        if docname in getattr(other, ENV_KEY):
            getattr(env, ENV_KEY)[docname] = getattr(other, ENV_KEY)[docname]


def _glossary_pages(env) -> list[str]:
    """The pages that define terms (the std domain records where each term is)."""
    return sorted({docname for (kind, _), (docname, _) in env.domains.standard_domain.objects.items()
                   if kind == "term"})


def _rewrite_glossary_when_links_change(app, env) -> list[str]:
    links = tuple(sorted((docname, tuple(sorted(terms.items())))
                         for docname, terms in getattr(env, ENV_KEY).items()))
    if links == env.portfolio_concept_links_written:
        return []
    env.portfolio_concept_links_written = links
    return _glossary_pages(env)


def _reading_order(env) -> list[str]:
    """Every page, in the order the navigation lists them."""
    order = [env.config.root_doc]
    for docname in order:
        order += [child for child in env.toctree_includes.get(docname, []) if child not in order]
    return order + sorted(set(env.found_docs) - set(order))


def _discussed_in(app, doctree, docname: str) -> None:
    glossaries = list(doctree.findall(addnodes.glossary))
    if not glossaries:
        return
    links = getattr(app.env, ENV_KEY)
    order = [page for page in _reading_order(app.env) if page in links and page != docname]
    for item in (item for glossary in glossaries for item in glossary.findall(nodes.definition_list_item)):
        terms = {term.astext().lower() for term in item.findall(nodes.term)}
        places = [(page, links[page][term]) for page in order for term in sorted(terms)
                  if term in links[page]]
        seen, refs = set(), []
        for page, (section_id, _) in places:
            if page in seen:
                continue
            seen.add(page)
            uri = app.builder.get_relative_uri(docname, page) + (f"#{section_id}" if section_id else "")
            refs.append(nodes.reference("", app.env.titles[page].astext(), refuri=uri, internal=True))
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
    app.connect("builder-inited", _init_env)
    app.connect("doctree-read", _collect_links)
    app.connect("env-purge-doc", _purge_doc)
    app.connect("env-merge-info", _merge_info)
    app.connect("env-get-updated", _rewrite_glossary_when_links_change)
    app.connect("doctree-resolved", _discussed_in)
