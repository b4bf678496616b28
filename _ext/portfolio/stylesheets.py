"""Split a theme's stylesheet into what every page needs and what only some pages use.

Input: minified CSS text (Furo's ``furo.css``). Output: the core rules and, per
content feature (highlighted code, admonitions, tables, footnotes, API
signatures, maths, the general index), the rules that style only that feature.
A rule moves to a feature only when every selector in its list names that
feature; anything mixed or unrecognised stays in the core, so splitting can
leave a page with a rule too many, never one too few.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# Each feature: the class names and element names that only it produces.
FEATURE_SELECTORS: dict[str, dict[str, frozenset[str]]] = {
    "code": {
        "classes": frozenset({
            "highlight", "highlighttable", "linenos", "code-block-caption",
            "literal-block-wrapper", "copybtn",
        }),
        "elements": frozenset(),
    },
    "admonition": {
        "classes": frozenset({
            "admonition", "admonition-title", "attention", "caution", "danger", "error",
            "hint", "important", "note", "seealso", "tip", "todo", "warning",
        }),
        "elements": frozenset(),
    },
    "table": {
        "classes": frozenset({"table-wrapper"}),
        "elements": frozenset({"table", "caption", "th", "td", "tr", "thead", "tbody", "tfoot"}),
    },
    "footnote": {
        "classes": frozenset({"footnote", "footnote-list", "footnote-reference", "citation", "fn-backref"}),
        "elements": frozenset(),
    },
    "api": {
        "classes": frozenset({
            "sig", "sig-name", "sig-prename", "sig-param", "sig-paren", "sig-inline",
            "descname", "descclassname", "objdesc", "viewcode-link", "viewcode-back",
        }),
        "elements": frozenset(),
    },
    "math": {
        "classes": frozenset({"math", "math-wrapper", "eqno", "MathJax", "MathJax_Display"}),
        "elements": frozenset(),
    },
    "genindex": {
        "classes": frozenset({"genindex-jumpbox", "indextable", "domainindex-jumpbox", "modindextable"}),
        "elements": frozenset(),
    },
}
# The order features are concatenated in, so equal inputs give equal files.
FEATURE_ORDER = tuple(FEATURE_SELECTORS)

_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
# An element name at the start of a compound selector (not part of a class, id or attribute).
_ELEMENT = re.compile(r"(?:^|[\s>+~(])([a-z][a-z0-9]*)")
_ATTRIBUTE = re.compile(r"\[[^\]]*\]")
_SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=[^*]*\*/")
_GROUPING_AT_RULES = ("@media", "@supports", "@layer", "@container")


def strip_source_map(css: str) -> str:
    """Drop the source-map comment: it points at a map of the unsplit file."""
    return _SOURCE_MAP.sub("", css).strip()


def split_rules(css: str) -> list[str]:
    """Top-level statements of *css*: rules, at-rules with their blocks, comments."""
    statements: list[str] = []
    depth = 0
    start = 0
    index = 0
    quote = ""
    while index < len(css):
        char = css[index]
        if quote:
            if char == "\\":
                index += 2
                continue
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif css.startswith("/*", index):
            end = css.find("*/", index + 2)
            end = len(css) if end < 0 else end + 2
            if depth == 0:
                _append(statements, css[start:index])
                _append(statements, css[index:end])
                start = end
            index = end
            continue
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                _append(statements, css[start:index + 1])
                start = index + 1
        elif char == ";" and depth == 0:
            _append(statements, css[start:index + 1])
            start = index + 1
        index += 1
    _append(statements, css[start:])
    return statements


def _append(statements: list[str], text: str) -> None:
    if text.strip():
        statements.append(text.strip())


def feature_of_selector(selector: str) -> str | None:
    """The feature a single selector styles, or None when it is general."""
    # Attribute selectors name classes too: div[class*=" highlight-"] is code.
    selector = _ATTRIBUTE.sub(
        lambda match: ".highlight" if "highlight-" in match.group() else " ", selector
    )
    classes = set(_CLASS.findall(selector))
    elements = set(_ELEMENT.findall(_CLASS.sub(" ", selector)))
    for feature, names in FEATURE_SELECTORS.items():
        if classes & names["classes"] or elements & names["elements"]:
            return feature
    return None


def split_by_feature(css: str) -> tuple[str, dict[str, str]]:
    """Return ``(core, {feature: rules})`` for *css*, keeping the rules' order within each."""
    parts: dict[str, list[str]] = {}
    core = _split_into(css, parts)
    return core, {feature: "".join(parts[feature]) for feature in FEATURE_ORDER if feature in parts}


def _split_into(css: str, parts: dict[str, list[str]]) -> str:
    core: list[str] = []
    for statement in split_rules(css):
        if statement.startswith("/*") or "{" not in statement:
            core.append(statement)
            continue
        prelude, _, _ = statement.partition("{")
        prelude = prelude.strip()
        if prelude.startswith(_GROUPING_AT_RULES):
            inner = statement[statement.index("{") + 1:statement.rindex("}")]
            inner_parts: dict[str, list[str]] = {}
            inner_core = _split_into(inner, inner_parts)
            if inner_core:
                core.append(f"{prelude}{{{inner_core}}}")
            for feature, rules in inner_parts.items():
                parts.setdefault(feature, []).append(f"{prelude}{{{''.join(rules)}}}")
        elif prelude.startswith("@"):
            core.append(statement)
        else:
            features = {feature_of_selector(selector) for selector in _selectors(prelude)}
            if len(features) == 1 and None not in features:
                parts.setdefault(features.pop(), []).append(statement)
            else:
                core.append(statement)
    return "".join(core)


def _selectors(prelude: str) -> Iterable[str]:
    """The comma-separated selectors of a rule, commas inside :is()/:not() kept."""
    depth = 0
    start = 0
    for index, char in enumerate(prelude):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            yield prelude[start:index].strip()
            start = index + 1
    yield prelude[start:].strip()


def theme_variables(
    light: Mapping[str, str], dark: Mapping[str, str], code_light: Mapping[str, str],
    code_dark: Mapping[str, str],
) -> str:
    """Furo's per-site colour variables, as its head template would declare them inline."""

    def declarations(custom: Mapping[str, str], code: Mapping[str, str]) -> str:
        pairs = {
            "color-code-background": code["background"],
            "color-code-foreground": code["foreground"],
            **custom,
        }
        return ";".join(f"--{name}:{value}" for name, value in pairs.items())

    light_block = declarations(light, code_light)
    dark_block = declarations(dark, code_dark)
    return (
        f"body{{{light_block}}}"
        f'@media not print{{body[data-theme="dark"]{{{dark_block}}}'
        f'@media (prefers-color-scheme:dark){{body:not([data-theme="light"]){{{dark_block}}}}}}}'
    )


_STRING_OR_COMMENT = re.compile(r"(\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*')|/\*(?!!).*?\*/", re.S)
_SPACE_AROUND_PUNCTUATION = re.compile(r"\s*([{};,>])\s*")
_SPACE_AFTER_COLON = re.compile(r":\s+")


def minify(css: str) -> str:
    """Drop comments (not ``/*!`` licence notes) and the whitespace that carries no meaning."""
    pieces: list[str] = []
    code = ""
    position = 0
    for match in _STRING_OR_COMMENT.finditer(css):
        code += css[position:match.start()]
        if match.group(1):
            pieces += [_squeeze(code), match.group(1)]
            code = ""
        position = match.end()
    pieces.append(_squeeze(code + css[position:]))
    return "".join(pieces).replace(";}", "}").strip()


def _squeeze(code: str) -> str:
    # A space before ':' can be a descendant combinator ("a :hover") and stays;
    # after ':' it never means anything.
    code = re.sub(r"\s+", " ", code)
    return _SPACE_AFTER_COLON.sub(":", _SPACE_AROUND_PUNCTUATION.sub(r"\1", code))
