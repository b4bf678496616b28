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
from pathlib import Path, PurePosixPath

from docutils import nodes
from docutils.utils import get_source_line
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join

from .checks import report_problem

# How many of a page's section ids a message lists.
NEAREST_SECTIONS = 3


def _fragment(target: str) -> str:
    """The '#...' part of a link's target, or ''."""
    return "#" + target.partition("#")[2] if "#" in target else ""


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
            source = PurePosixPath(path).with_suffix(".md").as_posix() + _fragment(target)
            self._report(
                node, f"link to '{target}': a page's built address; link its source file "
                f"instead, '{source}' (the link then follows the page wherever it is built).",
            )
            return
        if docname in self.env.all_docs:
            return
        nearest = self._nearest_page(docname)
        hint = f" (did you mean {nearest}?)" if nearest else ""
        self._report(node, no_such_page(target, docname, hint))

    def _check_bare_name(self, node: addnodes.pending_xref) -> None:
        """``[text](name)`` or ``[text](#name)``: a page beside this one, an id here, or a label."""
        refdoc = node.get("refdoc", self.env.docname)
        target = node["reftarget"]
        name = target.partition("#")[0]
        page = docname_join(refdoc, name)
        if page in self.env.all_docs:
            if "#" in target:
                # 'beta#a-section': MyST reads a page and a section only from a file's path.
                self._report(
                    node, f"link to '{target}': write the page as its file, "
                    f"'{name}.md{_fragment(target)}'.",
                )
            return
        if name.lower() in self._names_here_and_everywhere(refdoc):
            return
        ids = self._section_ids(refdoc)
        nearest = difflib.get_close_matches(name, ids, n=NEAREST_SECTIONS, cutoff=0)
        sections = ", ".join(f"'#{slug}'" for slug in nearest) or "none yet"
        if self._written_as_anchor(node, name):
            self._report(
                node, f"link to '#{name}': no section or label '{name}' on this page; use one "
                f"of its ids ({sections}).",
            )
            return
        nearest_page = self._nearest_page(page)
        hint = f"; did you mean {nearest_page}?" if nearest_page else ""
        self._report(
            node, f"link to '{target}': no page, section or label of that name; link a page by "
            f"its file ('{name}.md' is {page}.md, which does not exist{hint}), or a section of "
            f"this page by '#' and one of its ids ({sections}).",
        )

    def _names_here_and_everywhere(self, refdoc: str) -> set[str]:
        """What MyST would resolve a bare name to, lower-cased as it compares them: this
        page's heading slugs and element ids, and every label, term and object any domain has."""
        names = set(self.env.metadata[refdoc].get("myst_slugs", {})) | set(self.document.ids)
        std = self.env.domaindata.get("std", {})
        names |= set(std.get("labels", {})) | set(std.get("anonlabels", {}))
        for domain in self.env.domains.values():
            names |= {entry[0] for entry in domain.get_objects()}
        return {name.lower() for name in names}

    def _section_ids(self, refdoc: str) -> list[str]:
        """This page's section ids: MyST's heading slugs, else the sections' own ids."""
        slugs = sorted(self.env.metadata[refdoc].get("myst_slugs", {}))
        return slugs or sorted(
            node_id for section in self.document.findall(nodes.section) for node_id in section["ids"]
        )

    def _written_as_anchor(self, node: addnodes.pending_xref, name: str) -> bool:
        """Whether the source wrote ``(#name)``: once read, MyST keeps the name alone."""
        source, line = get_source_line(node)  # the nearest ancestor's: a reference has none
        if not source or not line:
            return False
        try:
            lines = Path(source).read_text(encoding="utf-8").splitlines()
        except OSError:
            return False
        return f"(#{name}" in "\n".join(lines[max(line - 2, 0): line + 1])

    def _nearest_page(self, docname: str) -> str:
        """The source file of the page whose file name is nearest *docname*'s, or ''."""
        # By file name: the shared folder prefix would make any page look close.
        by_name: dict[str, str] = {}
        for found in sorted(self.env.found_docs):
            by_name.setdefault(PurePosixPath(found).name, found)
        nearest = difflib.get_close_matches(PurePosixPath(docname).name, by_name, n=1)
        return str(self.env.doc2path(by_name[nearest[0]], False)) if nearest else ""

    def _report(self, node: addnodes.pending_xref, message: str) -> None:
        report_problem(self.env, message, "link", location=node)
        node.replace_self(node[0].deepcopy())

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
        self._report(node, f"link to '{page}#{section}': no section '{section}' in {page}; {fix}.")


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
