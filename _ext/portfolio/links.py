"""Links to a page or section that does not exist: one line with the fix.

Input: each page's doctree as it is written, with MyST's links still pending
(``[text](../articles/velt.md#a-section)``), and ``{doc}`` links Sphinx could
not resolve. Output: for a link to a missing page, to a section id the page
does not have, to a page's built address (``beta.html``) or to a bare name
that is no page, section or label, one problem line naming the file and line,
the target and the fix (the nearest page, or the section ids the page has); a
Markdown link's text stays in place without a link.

MyST-Parser's own resolver (``MystReferenceResolver``, post-transform
priority 9) would say "'myst' cross-reference target not found" or "local id
not found in doc" without a fix; this runs first, so it never sees these
links.
"""

from __future__ import annotations

import difflib
from pathlib import PurePosixPath

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join

from .checks import report_problem

# How many of a page's section ids a message lists.
NEAREST_SECTIONS = 3


def no_such_page(target: str, docname: str, hint: str = "") -> str:
    """The line for a link to *target*, which would be the page *docname* if it existed."""
    return f"link to '{target}': no such page; create {docname}.md or correct the link's target{hint}."


class ReportDeadMarkdownLinks(SphinxPostTransform):
    """One line per Markdown link to a missing page or section."""

    # Before MyST-Parser's resolver (9), which warns without a fix.
    default_priority = 8

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(addnodes.pending_xref)):
            if node.get("reftype") != "myst" or self._ignored(node["reftarget"]):
                continue
            if node.get("refdomain") == "doc":
                self._check_section(node)
            elif not node.get("refdomain"):
                self._check_page(node)

    def _ignored(self, target: str) -> bool:
        # MyST's documented way to silence one link (``nitpick_ignore``) still works.
        return ("myst", target) in self.config.nitpick_ignore

    def _check_page(self, node: addnodes.pending_xref) -> None:
        """A link whose path names no page (MyST found no file there)."""
        target = node["reftarget"]
        path = target.partition("#")[0]
        suffix = PurePosixPath(path).suffix
        if not path:
            return
        if not suffix and "/" not in path:
            self._check_bare_name(node)
            return
        if suffix not in (".md", ".html", ""):
            return
        relpath, _ = self.env.relfn2path(path, node.get("refdoc", self.env.docname))
        docname = relpath.removesuffix(suffix)
        if suffix == ".html" and docname in self.env.all_docs:
            # The built page's address: MyST resolves the source's path, not the output's.
            source = PurePosixPath(path).with_suffix(".md").as_posix()
            report_problem(
                self.env,
                f"link to '{target}': a page's built address; link its source file instead, "
                f"'{source}' (the link then follows the page wherever it is built).",
                "link", location=node,
            )
            node.replace_self(node[0].deepcopy())
            return
        if docname in self.env.all_docs:
            return
        report_problem(
            self.env, no_such_page(target, docname, self._nearest_page_hint(docname)), "link",
            location=node,
        )
        node.replace_self(node[0].deepcopy())

    def _check_bare_name(self, node: addnodes.pending_xref) -> None:
        """``[text](name)`` or ``[text](#name)``: a page beside this one, a section here, or a label."""
        refdoc = node.get("refdoc", self.env.docname)
        name = node["reftarget"].partition("#")[0]
        here = self.env.metadata[refdoc].get("myst_slugs", {})
        std = self.env.domaindata.get("std", {})
        if (
            docname_join(refdoc, name) in self.env.all_docs
            or name in here
            or name in self.document.ids  # an element of this page, as MyST resolves it
            or name in std.get("labels", {}) or name in std.get("anonlabels", {})
        ):
            return
        ids = sorted(here) or sorted(
            node_id for section in self.document.findall(nodes.section) for node_id in section["ids"]
        )
        nearest = difflib.get_close_matches(name, ids, n=NEAREST_SECTIONS, cutoff=0)
        sections = ", ".join(f"'#{slug}'" for slug in nearest) or "none yet"
        page = docname_join(refdoc, name)
        report_problem(
            self.env,
            f"link to '{node['reftarget']}': no page, section or label of that name; link a page "
            f"by its file ('{name}.md' is {page}.md, which does not exist"
            f"{self._nearest_page_hint(page).replace(' (', '; ').rstrip(')')}), or a section of "
            f"this page by one of its ids ({sections}).",
            "link", location=node,
        )
        node.replace_self(node[0].deepcopy())

    def _nearest_page_hint(self, docname: str) -> str:
        # By file name: the shared folder prefix would make any page look close.
        by_name: dict[str, str] = {}
        for found in sorted(self.env.found_docs):
            by_name.setdefault(PurePosixPath(found).name, found)
        nearest = difflib.get_close_matches(PurePosixPath(docname).name, by_name, n=1)
        if not nearest:
            return ""
        return f" (did you mean {self.env.doc2path(by_name[nearest[0]], False)}?)"

    def _check_section(self, node: addnodes.pending_xref) -> None:
        """A link to an existing page, with a ``#section`` it does not have."""
        docname, section = node["reftarget"], node.get("reftargetid")
        if not section or docname not in self.env.all_docs:
            return
        slugs = self.env.metadata[docname].get("myst_slugs", {})
        ids = set(slugs) | {entry[1] for entry in slugs.values()}
        std = self.env.domaindata.get("std", {})
        for labels in (std.get("labels", {}), std.get("anonlabels", {})):
            ids |= {
                key for name, entry in labels.items() if entry[0] == docname
                for key in (name, entry[1])
            }
        if section in ids:
            return
        page = self.env.doc2path(docname, False)
        nearest = difflib.get_close_matches(section, sorted(slugs), n=NEAREST_SECTIONS, cutoff=0)
        if nearest:
            fix = "use one of its section ids, such as " + ", ".join(
                f"'#{slug}'" for slug in nearest
            )
        else:
            fix = "it has no section ids to link to: link the page without '#...'"
        report_problem(
            self.env,
            f"link to '{page}#{section}': no section '{section}' in {page}; {fix}.",
            "link",
            location=node,
        )
        node.replace_self(node[0].deepcopy())


def _missing_reference(app, domain, node) -> bool | None:
    """Say what to do about a ``{doc}`` link to a page that does not exist."""
    if node.get("reftype") != "doc":
        return None
    target = node["reftarget"]
    # A target without a leading '/' is relative to the linking page's folder.
    docname = docname_join(node.get("refdoc", ""), target)
    report_problem(app.env, no_such_page(target, docname), "link", location=node)
    return True


def setup_links(app) -> None:
    app.add_post_transform(ReportDeadMarkdownLinks)
    app.connect("warn-missing-reference", _missing_reference)
