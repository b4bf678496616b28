"""What a browser downloads to show one page of a built site, by kind of resource.

Input: the output folder of an HTML build and a page's path in it. Output: every
resource the page makes the browser fetch before it can be shown and used
(the HTML, stylesheets, scripts, images, icons, fonts the stylesheets pull in),
each with its raw size and its size compressed with gzip at level 6, the level
web servers commonly use. The benchmark and the budget tests share it.
"""

from __future__ import annotations

import dataclasses
import gzip
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

GZIP_LEVEL = 6
KINDS = ("html", "css", "js", "img", "font")
_KIND_BY_SUFFIX = {
    ".html": "html", ".css": "css", ".js": "js", ".mjs": "js",
    ".svg": "img", ".png": "img", ".jpg": "img", ".jpeg": "img", ".gif": "img",
    ".webp": "img", ".avif": "img", ".ico": "img",
    ".woff": "font", ".woff2": "font", ".ttf": "font", ".otf": "font",
}
# <link rel=...> values that make the browser fetch during page load. Not
# apple-touch-icon: only a phone adding the page to its home screen fetches it.
_FETCHING_RELS = {"stylesheet", "icon", "preload", "modulepreload"}
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


@dataclasses.dataclass(frozen=True)
class Resource:
    path: str
    kind: str
    raw: int
    gzip: int


@dataclasses.dataclass(frozen=True)
class PageWeight:
    page: str
    resources: tuple[Resource, ...]

    @property
    def requests(self) -> int:
        return len(self.resources)

    @property
    def raw(self) -> int:
        return sum(r.raw for r in self.resources)

    @property
    def gzip(self) -> int:
        return sum(r.gzip for r in self.resources)

    def by_kind(self) -> dict[str, dict[str, int]]:
        totals = {kind: {"requests": 0, "raw": 0, "gzip": 0} for kind in KINDS}
        for resource in self.resources:
            entry = totals.setdefault(resource.kind, {"requests": 0, "raw": 0, "gzip": 0})
            entry["requests"] += 1
            entry["raw"] += resource.raw
            entry["gzip"] += resource.gzip
        return totals

    def as_dict(self) -> dict:
        return {
            "page": self.page, "requests": self.requests, "raw": self.raw, "gzip": self.gzip,
            "by_kind": self.by_kind(),
            "resources": [dataclasses.asdict(resource) for resource in self.resources],
        }


class _Fetches(HTMLParser):
    """The URLs a page's markup makes the browser fetch while loading."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "link" and set(attributes.get("rel", "").lower().split()) & _FETCHING_RELS:
            self.urls.append(attributes.get("href", ""))
        elif tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"])
        elif tag in {"img", "source"} and attributes.get("loading") != "lazy":
            if attributes.get("src"):
                self.urls.append(attributes["src"])
        elif tag in {"image", "use"}:
            href = attributes.get("href") or attributes.get("xlink:href") or ""
            if href and not href.startswith("#"):
                self.urls.append(href)


def compressed_size(data: bytes) -> int:
    # mtime=0: the header carries no timestamp, so sizes repeat exactly.
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


def kind_of(path: str) -> str:
    return _KIND_BY_SUFFIX.get(posixpath.splitext(path)[1].lower(), "other")


def measure(outdir: Path, page: str) -> PageWeight:
    """Every resource *page* loads from *outdir*, the page itself first, each counted once."""
    outdir = Path(outdir)
    seen: dict[str, Resource] = {}

    def add(path: str) -> bytes | None:
        if path in seen:
            return None
        file = outdir / path
        if not file.is_file():
            raise FileNotFoundError(f"{page} loads {path}, which is not in {outdir}")
        data = file.read_bytes()
        seen[path] = Resource(path, kind_of(path), len(data), compressed_size(data))
        return data

    html = add(page)
    parser = _Fetches()
    parser.feed(html.decode("utf-8"))
    for url in parser.urls:
        path = _local_path(page, url, outdir)
        if path is None:
            # Another origin: counted as a request of unknown size would hide the
            # problem; the budget tests forbid such requests separately.
            seen[url] = Resource(url, kind_of(urlsplit(url).path), 0, 0)
            continue
        data = add(path)
        if data is not None and path.endswith(".css"):
            for inner in _CSS_URL.findall(data.decode("utf-8")):
                inner_path = _local_path(path, inner, outdir)
                if inner_path is not None and not inner.startswith("data:"):
                    add(inner_path)
    return PageWeight(page, tuple(seen.values()))


def _local_path(base: str, url: str, outdir: Path) -> str | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith("data:"):
        return None
    if parts.path.startswith("/"):
        # Root-relative (the 404 page's links), possibly under the sub-path the
        # site is served at: the output folder is the site's root, so the
        # longest tail of the path that exists there is the file.
        segments = parts.path.strip("/").split("/")
        for start in range(len(segments)):
            candidate = posixpath.join(*segments[start:])
            if (outdir / candidate).is_file():
                return candidate
        return posixpath.normpath(parts.path.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), parts.path))
