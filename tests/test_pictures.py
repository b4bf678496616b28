"""The pictures that carry the owner's identity: drawn at build time, never stale.

A made-up owner (``tests/roots/test-pictures``) shows what each build draws and
redraws when the identity in ``conf.py`` changes (test_make_it_yours.py: a whole
site under another owner keeps no trace of the old one).
"""

from __future__ import annotations

import re
import runpy
import struct
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, copy_root

NEW_OWNER = {
    "name": "Zainab Quist",
    "role": "Platform engineer",
    "contact": [{"label": "Email", "url": "mailto:zainab@quist.test", "text": "zainab@quist.test"}],
}
PICTURE_SUFFIXES = (".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico")


def with_identity(conf: str, name: str, role: str, contact: list[dict]) -> str:
    """*conf* (a conf.py's text) with only its name, role and contacts replaced."""
    replacements = [
        (r"^portfolio_name = [^\n]*\n", f"portfolio_name = {name!r}\n"),
        (r"^portfolio_role = [^\n]*\n", f"portfolio_role = {role!r}\n"),
        (r"^portfolio_contact = \[\n.*?^\]\n", f"portfolio_contact = {contact!r}\n"),
    ]
    for pattern, replacement in replacements:
        conf, count = re.subn(pattern, lambda _: replacement, conf, count=1, flags=re.MULTILINE | re.DOTALL)
        assert count == 1, f"conf.py has no setting matching {pattern!r}"
    return conf


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def meta(soup: BeautifulSoup, key: str) -> list[str]:
    return [tag["content"] for tag in soup.find_all("meta", attrs={"property": key})] + [
        tag["content"] for tag in soup.find_all("meta", attrs={"name": key})]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def share_images(outdir: Path, base_url: str) -> dict[str, Path]:
    """Each page of a built site, and the file its og:image names."""
    images = {}
    for page in sorted(outdir.rglob("*.html")):
        urls = meta(soup_of(page), "og:image")
        if urls:
            assert len(urls) == 1 and urls[0].startswith(base_url), (page, urls)
            images[page.relative_to(outdir).as_posix()] = outdir / urls[0][len(base_url):]
    return images


def traces(outdir: Path, name: str) -> list[str]:
    """The files of a built site whose bytes still hold a word of *name*, any case."""
    words = [word.lower().encode() for word in name.split() if len(word) > 3]
    return sorted(
        path.relative_to(outdir).as_posix() for path in outdir.rglob("*")
        if path.is_file() and any(word in path.read_bytes().lower() for word in words)
    )


def build(make_app, srcdir: Path, builddir: Path, **overrides):
    app = make_app("html", srcdir=srcdir, builddir=builddir, confoverrides=overrides)
    app.build()
    assert app.warning.getvalue() == ""
    app.cleanup()  # the next app in this process starts afresh
    return Path(app.outdir)


BASE_URL = "https://folio.example.com/"


@pytest.fixture
def pictures_root(rootdir, tmp_path) -> Path:
    return copy_root(rootdir, "pictures", tmp_path)


def test_every_page_shares_a_1200_by_630_picture_of_its_own_title(make_app, pictures_root, tmp_path):
    outdir = build(make_app, pictures_root, tmp_path / "build")
    images = share_images(outdir, BASE_URL)
    assert set(images) == {"index.html", "colophon.html", "work/uptime.html",
                           "articles/failover.html", "articles/alerts.html"}
    shown = {page: meta(soup_of(outdir / page), "og:image:alt") for page in images}
    assert shown == {
        # The home page's title is the name, already on every picture: it shows the headline.
        "index.html": ["Nkem Obi, Reliability engineer: Quiet pagers."],
        "colophon.html": ["Nkem Obi, Reliability engineer: How this site is made"],
        "work/uptime.html": ["Nkem Obi, Reliability engineer: Uptime"],
        "articles/failover.html": ["Nkem Obi, Reliability engineer: Failover that nobody noticed"],
        "articles/alerts.html": ["Nkem Obi, Reliability engineer: Fewer alerts"],
    }
    for page, path in images.items():
        assert png_size(path.read_bytes()) == (1200, 630), page
    assert len({path.read_bytes() for path in images.values()}) == len(images), "two pages share a picture"
    drawn = sorted(path.relative_to(outdir).as_posix() for path in (outdir / "_static" / "share").rglob("*"))
    assert drawn == sorted(["_static/share/articles", "_static/share/work"]
                           + [path.relative_to(outdir).as_posix() for path in images.values()])


def test_the_icons_show_the_owner_s_initial_on_the_accent(make_app, pictures_root, tmp_path):
    outdir = build(make_app, pictures_root, tmp_path / "build")
    page = soup_of(outdir / "articles" / "alerts.html")
    favicon = outdir / "articles" / page.find("link", rel="icon")["href"]
    touch_icon = outdir / "articles" / page.find("link", rel="apple-touch-icon")["href"]
    svg = BeautifulSoup(favicon.read_text(encoding="utf-8"), "html.parser")
    assert svg.find("rect")["fill"] == "#7a2e0e" and svg.find("text").get_text() == "N"
    data = touch_icon.read_bytes()
    assert png_size(data) == (180, 180)
    from PIL import Image

    with Image.open(touch_icon) as icon:
        assert icon.convert("RGB").getpixel((4, 4)) == (0x7A, 0x2E, 0x0E), "not on the accent"


def test_a_new_identity_redraws_every_picture_and_leaves_no_trace_of_the_old_one(make_app, pictures_root, tmp_path):
    builddir = tmp_path / "build"
    outdir = build(make_app, pictures_root, builddir)
    before = {page: path.read_bytes() for page, path in share_images(outdir, BASE_URL).items()}
    before_icons = [path.read_bytes() for path in icons_of(outdir)]
    conf = pictures_root / "conf.py"
    conf.write_text(with_identity(conf.read_text(encoding="utf-8"), **NEW_OWNER), encoding="utf-8")
    # Into the same folders, as `make html` rebuilds.
    outdir = build(make_app, pictures_root, builddir)
    after = {page: path.read_bytes() for page, path in share_images(outdir, BASE_URL).items()}
    assert set(after) == set(before)
    assert [page for page in after if after[page] == before[page]] == []
    icons = [path.read_bytes() for path in icons_of(outdir)]
    assert icons[0] != before_icons[0] and b">Z</text>" in icons[0]
    assert icons[1] != before_icons[1]
    assert len(list((outdir / "_static").glob("apple-touch-icon*"))) == 1, "the old touch icon is left behind"
    # Sphinx's search index, loaded from the last build and pruned, keeps the old
    # words as terms that find no page; a build from scratch (the hosts') has none.
    assert [path for path in traces(outdir, "Nkem Obi") if path != "searchindex.js"] == []
    # Only the current pictures are left: the old owner's are removed, not just unlinked.
    published = {path.resolve() for path in share_images(outdir, BASE_URL).values()}
    assert {path.resolve() for path in (outdir / "_static" / "share").rglob("*.png")} == published


def icons_of(outdir: Path) -> list[Path]:
    """The favicon and the touch icon the home page links to."""
    page = soup_of(outdir / "index.html")
    return [outdir / page.find("link", rel=rel)["href"] for rel in ("icon", "apple-touch-icon")]


def mtimes(folder: Path) -> dict[str, int]:
    return {path.relative_to(folder).as_posix(): path.stat().st_mtime_ns for path in folder.rglob("*.png")}


def test_a_rebuild_redraws_only_the_picture_of_the_piece_whose_title_changed(make_app, pictures_root, tmp_path):
    builddir = tmp_path / "build"
    outdir = build(make_app, pictures_root, builddir)
    shared = outdir / "_static" / "share"
    first, touch_icon = mtimes(shared), icons_of(outdir)[1]
    icon_drawn = touch_icon.stat().st_mtime_ns
    piece = pictures_root / "articles" / "alerts.md"

    piece.write_text(piece.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    build(make_app, pictures_root, builddir)
    assert mtimes(shared) == first, "a body edit redrew a picture"
    assert touch_icon.stat().st_mtime_ns == icon_drawn, "a body edit redrew the touch icon"

    piece.write_text(piece.read_text(encoding="utf-8").replace("Fewer alerts", "Two pages a night"),
                     encoding="utf-8")
    build(make_app, pictures_root, builddir)
    second = mtimes(shared)
    assert {name: time for name, time in second.items() if first.get(name) != time}.keys() == {
        name for name in second if name.startswith("articles/alerts.")
    } and len(second) == len(first), f"before {sorted(first)}, after {sorted(second)}"
    assert meta(soup_of(outdir / "articles" / "alerts.html"), "og:image:alt") == [
        "Nkem Obi, Reliability engineer: Two pages a night"]


def test_the_pictures_are_the_same_bytes_on_every_build(make_app, pictures_root, tmp_path):
    first = build(make_app, pictures_root, tmp_path / "one")
    second = build(make_app, pictures_root, tmp_path / "two")
    pictures = [path.relative_to(first).as_posix() for path in icons_of(first)] + [*sorted(
        path.relative_to(first).as_posix() for path in (first / "_static" / "share").rglob("*.png"))]
    assert len(pictures) == 2 + 5
    assert [name for name in pictures if (first / name).read_bytes() != (second / name).read_bytes()] == []


def test_the_preview_may_skip_the_share_images_and_a_publishing_build_never_does(
    make_app, pictures_root, tmp_path, monkeypatch
):
    monkeypatch.delenv("READTHEDOCS", raising=False)
    monkeypatch.delenv("PORTFOLIO_PUBLISH", raising=False)
    outdir = build(make_app, pictures_root, tmp_path / "preview", portfolio_share_images=False)
    assert share_images(outdir, BASE_URL) == {} and not (outdir / "_static" / "share").exists()
    assert (outdir / "_static" / "favicon.svg").is_file(), "the preview lost its favicon"

    monkeypatch.setenv("PORTFOLIO_PUBLISH", "1")
    outdir = build(make_app, pictures_root, tmp_path / "published", portfolio_share_images=False)
    assert len(share_images(outdir, BASE_URL)) == 5


def test_no_picture_of_the_owner_is_committed_only_drawn():
    settings = runpy.run_path(str(REPO / "conf.py"))
    committed = [
        path.relative_to(REPO).as_posix()
        for folder in settings["html_static_path"] for path in (REPO / folder).rglob("*")
        if path.suffix.lower() in PICTURE_SUFFIXES
    ]
    assert committed == [], "pictures in the static files go stale when the identity changes"
    assert "html_favicon" not in settings and "ogp_image" not in settings


