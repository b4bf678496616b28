"""Read one page's front matter, and check its fields.

Input: a Markdown file and the fields its page must have. Output: the front
matter as a mapping, or a ``PortfolioError`` whose message is one line that
names the file, the field and the fix (for YAML that cannot be read, the line
of the field where the fault starts, not where YAML noticed it).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata

import yaml
from markdown_it import MarkdownIt  # MyST's own parser
from sphinx.errors import SphinxError

# Keys Sphinx, MyST and Furo read from a page's front matter themselves. Any
# other key is a typo ('sumary', 'dated') that would otherwise be ignored.
PAGE_METADATA_FIELDS = {
    "orphan", "nocomments", "nosearch", "no-search", "tocdepth", "html_meta", "myst", "hide-toc",
}
_TOP_LEVEL_KEY = re.compile(r"^([^\s#:'\"\-?][^:]*?)\s*:(?:\s|$)")
# Characters XML 1.0 (and so the feed and sitemap) cannot hold, and that a page
# would show as nothing or garbage: C0 controls other than tab, newline and
# carriage return, and the noncharacters U+FFFE and U+FFFF. YAML's reader
# refuses them written raw, but a double-quoted escape ("a\0b") gets through.
_UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Kept out of titles whatever they spell: MyST's roles, substitutions and attributes
# ({...}), footnote references ([^1]) and the links and images brackets open.
_RESERVED_IN_TITLE = re.compile(r"[{}\[\]]")


class PortfolioError(SphinxError):
    """A page's front matter does not describe a valid portfolio."""

    category = "Portfolio error"
    # Lines from the opening '---' to the closing one, when YAML cannot read
    # what is between them: the page is then read without them.
    front_matter_lines = 0


class FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader, with a value it cannot build (``2024-02-30``, ``!!bool maybe``)
    reported at its line, where the safe loader raises a bare ``ValueError``/``KeyError``."""

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, KeyError, TypeError, OverflowError, IndexError, AttributeError):
            kind = node.tag.rpartition(":")[2] or "value"
            kind = "date" if kind == "timestamp" else kind
            problem = f"{shown(node.value)} is not a valid {kind}"
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None


def shown(value: object, limit: int = 60) -> str:
    """*value* as a short, one-line repr for a message."""
    try:
        text = repr(value)
    except Exception:  # a repr that fails must not hide the real problem
        text = f"<{type(value).__name__}>"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def read_front_matter(raw: bytes, relpath: str) -> tuple[dict, int]:
    """The YAML front matter of a Markdown page's bytes as a mapping, and the lines
    it takes (both '---' lines included)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PortfolioError(f"{relpath}: the file is not UTF-8 text; save it as UTF-8.") from None
    lines = text.removeprefix("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        raise PortfolioError(
            f"{relpath}: front matter: missing; start the file with a '---' line, "
            "the fields, and a closing '---' line."
        )
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
    if end is None:
        raise PortfolioError(
            f"{relpath}: front matter: no closing '---' line; add one after the last field."
        )
    fields = lines[1:end]
    try:
        data = yaml.load("\n".join(fields), Loader=FrontMatterLoader)  # a SafeLoader
    except (yaml.YAMLError, RecursionError) as exc:
        error = PortfolioError(f"{relpath}: front matter{_unreadable(exc, fields)}.")
        error.front_matter_lines = end + 1
        raise error from None
    if not isinstance(data, dict):
        raise PortfolioError(
            f"{relpath}: front matter: expected 'field: value' lines, found "
            f"{type(data).__name__ if data is not None else 'nothing'}; "
            "add the fields between the '---' lines."
        )
    return data, end + 1


def _unreadable(exc: Exception, fields: list[str]) -> str:
    """Where YAML cannot read the front matter *fields*, what is wrong, and the fix."""
    if isinstance(exc, RecursionError):
        return (
            ": values nested too deeply to read; "
            "write each field as 'field: value' with plain text or a number"
        )
    problem = " ".join(str(getattr(exc, "problem", None) or "not valid YAML").split())
    # An unclosed '[' or quote is noticed lines later, in whatever field comes next
    # ('title: [Velt' fails at 'area:'); the context mark points back at the bracket
    # or quote. A block mapping's context is the whole front matter (its first line),
    # which names no one field, so it is skipped.
    mark = getattr(exc, "context_mark", None)
    if mark is not None and not str(exc.context).startswith("while parsing a block"):
        problem += f" {exc.context}"
    else:
        mark = getattr(exc, "problem_mark", None)
    field = None
    if mark is not None:
        keys = (_TOP_LEVEL_KEY.match(line) for line in reversed(fields[: mark.line + 1]))
        field = next((key.group(1) for key in keys if key), None)
    where = f" field {shown(field)}" if field else ""
    where += f" (line {mark.line + 2})" if mark is not None else ""
    if problem.endswith("is not a valid date"):  # from FrontMatterLoader
        fix = f"write it as '{field or 'date'}: YYYY-MM-DD', a day the calendar has"
    else:
        fix = (
            "write it as 'field: value' lines, quote values that contain ': ' or start "
            "with a special character, and close every quote and bracket"
        )
    return f"{where}: {problem}; {fix}"


def check_fields(relpath: str, data: dict, fields: dict, optional: dict | None = None) -> None:
    ours = [*fields, *(optional or {})]
    for key in data:
        if key not in ours and key not in PAGE_METADATA_FIELDS:
            near = difflib.get_close_matches(str(key), ours, n=1)
            fix = f"did you mean '{near[0]}'?" if near else "remove it, or correct its name."
            raise PortfolioError(
                f"{relpath}: front matter field {shown(key)}: not a field of this page "
                f"(its fields are {', '.join(ours)}, besides the keys Sphinx, MyST and Furo "
                f"read, such as tocdepth); {fix}"
            )
    for field, kind in fields.items():
        if field not in data:
            raise PortfolioError(
                f"{relpath}: front matter field '{field}': missing; add '{field}: ...' "
                "between the '---' lines."
            )
        # 'summary:' with nothing after it is empty, not missing.
        value = "" if data[field] is None else data[field]
        _check_type(relpath, field, value, kind)
        if field == "title":
            _check_plain_title(relpath, value)
    for field, kind in (optional or {}).items():
        if data.get(field) is not None:
            _check_type(relpath, field, data[field], kind)


# A list field ('stack:') is a few short labels, shown on one line under a title.
LIST_MAX_ITEMS = 6
LIST_ITEM_MAX_CHARS = 40


def _check_type(relpath: str, field: str, value: object, kind: type) -> None:
    where = f"{relpath}: front matter field '{field}'"
    if kind is list:
        items = value if isinstance(value, list) else None
        if not items or len(items) > LIST_MAX_ITEMS or not all(
            isinstance(item, str) and item.strip() and "\n" not in item.strip()
            and len(item.strip()) <= LIST_ITEM_MAX_CHARS and not _UNSHOWABLE.search(item)
            for item in items
        ):
            raise PortfolioError(
                f"{where}: {shown(value)} is not a short list of labels; write 1 to "
                f"{LIST_MAX_ITEMS} labels of up to {LIST_ITEM_MAX_CHARS} characters, "
                f"such as '{field}: [WebSocket, tests]'."
            )
    elif kind is bool:
        if not isinstance(value, bool):
            raise PortfolioError(f"{where}: {shown(value)} is not true or false; write "
                                 f"'{field}: true', or remove the line.")
    elif kind is int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise PortfolioError(
                f"{where}: {shown(value)} is not a whole number; "
                f"write a number from 1 up, such as '{field}: 1'."
            )
    elif kind is dt.date:
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise PortfolioError(
                f"{where}: {shown(value)} is not a date; write it as '{field}: YYYY-MM-DD'."
            )
    elif not isinstance(value, str):
        raise PortfolioError(
            f"{where}: expected text, found {type(value).__name__}; "
            f"write '{field}:' followed by the text."
        )
    elif not value.strip():
        raise PortfolioError(f"{where}: empty; write the {field} after '{field}:'.")
    elif not any(unicodedata.category(c)[0] not in "ZC" for c in value):
        raise PortfolioError(
            f"{where}: shows nothing (only spaces and invisible characters such as U+200B); "
            f"write the {field} after '{field}:'."
        )
    elif unshowable := _UNSHOWABLE.search(value):
        raise PortfolioError(
            f"{where}: contains the control character "
            f"U+{ord(unshowable.group()):04X}, which no page or feed can show; remove it "
            "(in double quotes, an escape such as '\\0' or '\\e' writes one)."
        )


def _check_plain_title(relpath: str, title: str) -> None:
    # The title is the page's heading (MyST reads it as the Markdown line '# <title>')
    # and the card's and the feed's text (as written): only plain text on one line
    # reads the same in all of them.
    title = title.strip()
    if "\n" in title or "\r" in title:  # CommonMark's line endings
        raise PortfolioError(
            f"{relpath}: front matter field 'title': {shown(title)} runs over several lines, "
            "which the page's heading would cut at the first; write it on one line."
        )
    if _RESERVED_IN_TITLE.search(title) or not _reads_as_written(title):
        raise PortfolioError(
            f"{relpath}: front matter field 'title': {shown(title)} has characters Markdown "
            "or MyST may format (` * _ < & \\ [ ] { } or a closing #), so the page's heading "
            "could read differently from its cards; write it as plain text, with ( ) for "
            "brackets."
        )


def _reads_as_written(title: str) -> bool:
    """Whether CommonMark reads '# <title>' as a heading of exactly *title*: no
    emphasis, code, link, entity or escape, and no closing '#' it would drop."""
    tokens = MarkdownIt("commonmark").parse(f"# {title}")
    if [token.type for token in tokens] != ["heading_open", "inline", "heading_close"]:
        return False
    children = tokens[1].children or []
    return all(token.type == "text" for token in children) and (
        "".join(token.content for token in children) == title
    )
