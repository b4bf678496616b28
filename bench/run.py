"""Benchmark the site against a stock Sphinx + MyST + Furo + sphinx-design site of the same text.

Input: the repository's pages. The reference is derived from them at bench
time: the same Markdown, a stock ``conf.py`` (the same packages, no local
extension), and the portfolio's directives written out as what a stock site
would carry by hand (the same sphinx-design cards, plain paragraphs, a visible
copy of each summary, diagrams as their source text).

Two sizes: the site as it is, and a scale run with the case studies copied
until the site holds about 200 pieces (``scale.py``), each against the
reference derived from the same pages.

Output: a table per size on stdout and ``_build/bench.json``: medians and the
ratio ours/reference for a clean build, a no-change rebuild, a rebuild after
editing one article's body and after editing its summary, peak memory, the
pages each rebuild wrote and the size of ``feed.xml``; at the real size also
the time from saving a file to ``sphinx-autobuild`` serving the change and the
weight of the home page and one article. Then the size of ``_ext/``.

Ours is built and previewed with the options ``make html`` and ``make
livehtml`` use, read from the Makefile (``make -s print-SPHINXOPTS``,
``print-LIVEHTMLOPTS``), so the benchmark times what a writer runs; the
reference keeps Sphinx's and sphinx-autobuild's stock options. Each median is
printed with its spread (min-max) and, where the performance issue sets a
budget, whether it holds or misses.

Runs alternate ours and the reference so that machine noise hits both alike.
Everything runs on 127.0.0.1 in a temporary folder; every wait is bounded.
Both copies are made git repositories with one commit, as a clone is, since
both sites date pages from git (sphinx-last-updated-by-git).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "_ext"))
sys.path.insert(0, str(HERE))

from page_weight import measure  # noqa: E402
from scale import add_pieces  # noqa: E402

# What a page source is, for copying: everything conf.py does not exclude.
SOURCE_ITEMS = (
    "conf.py", "index.md", "concepts.md", "work", "articles", "_ext", "_static", "_templates",
)


def _chosen_articles() -> tuple[str, str]:
    """The article the edits are timed on, any piece will do: the last case study of the
    first area (a summary edit there rewrites its page, its area's and the home page); and
    the article weighed: the longest source, with code and diagrams as a rule."""
    from portfolio.content import load_portfolio

    portfolio = load_portfolio(REPO)
    edited = portfolio.articles_in(portfolio.areas[0].slug)[-1].docname
    longest = max(portfolio.articles, key=lambda a: (REPO / f"{a.docname}.md").stat().st_size).docname
    return f"{edited}.md", f"{longest}.html"


EDITED_ARTICLE, WEIGHED_ARTICLE = _chosen_articles()
WEIGHED_PAGES = {"home": "index.html", "article": WEIGHED_ARTICLE}
SITES = ("ours", "reference")
BUILD_TIMEOUT = 600  # a clean build at 200 pieces takes a minute or two on 2 busy cores
SERVE_TIMEOUT = 30.0
POLL_INTERVAL = 0.02

FEED_FILE = "feed.xml"
SCALE_PIECES = 200

# The budgets of the performance issue (#11). KB and MB are 1024 bytes and 1024 KB.
RATIO_BUDGETS = {"clean_build": 1.2, "body_edit_rebuild": 1.05}  # ours/reference, at most
SHARE_IMAGES_BUDGET = 1.5  # seconds a clean build of ours spends drawing its share images, at most
SCALE_RATIO_BUDGETS = {"clean_build": 1.25, "body_edit_rebuild": 1.1}  # at about 200 pieces
SAVE_TO_SERVED_BUDGET = 1.0  # seconds, median, strictly under
WEIGHT_BUDGETS = {"home": (6, 25), "article": (7, 32)}  # requests and KB gzip, at most
FEED_BUDGET_MB = 1.0  # at about 200 pieces, strictly under
EXT_LINES_BUDGET, EXT_MODULE_LINES_BUDGET = 2000, 400  # Python lines in _ext/, at most

# The stock twin: the same pages and the same maintained packages (the link
# previews, the git dates and the 404 page are theirs on both sites), in their
# default configuration, without the local extension. The ratios measure what
# the local extension costs.
REFERENCE_CONF = '''\
# A stock site: the same packages, their default configuration.
project = {project!r}
author = {author!r}
extensions = ["myst_parser", "sphinx_design", "sphinxext.opengraph",
              "sphinx_last_updated_by_git", "notfound.extension"]
myst_enable_extensions = {myst_extensions!r}
myst_title_to_header = True
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = {html_title!r}
html_baseurl = "http://127.0.0.1:8000/"
'''


# -- Deriving the two sites ---------------------------------------------------


def copy_ours(target: Path) -> Path:
    target.mkdir(parents=True)
    for item in SOURCE_ITEMS:
        source = REPO / item
        if source.is_dir():
            shutil.copytree(source, target / item, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            shutil.copy2(source, target / item)
    return target


def commit_all(srcdir: Path) -> None:
    """Make *srcdir* a git repository with everything in one commit, at a fixed time."""
    moment = "2026-01-01T00:00:00+00:00"
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
           "GIT_AUTHOR_DATE": moment, "GIT_COMMITTER_DATE": moment}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "--no-verify", "--no-gpg-sign", "-m", "bench"]):
        subprocess.run(["git", *command], cwd=srcdir, env=env, check=True, capture_output=True)


def derive_reference(ours: Path, target: Path) -> Path:
    """The same pages' text as a stock site would hold it."""
    import importlib.util

    from portfolio.content import load_portfolio
    from portfolio.directives import cards_markdown, escape_markdown

    spec = importlib.util.spec_from_file_location("bench_site_conf", ours / "conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    portfolio = load_portfolio(ours)
    target.mkdir(parents=True)
    (target / "conf.py").write_text(REFERENCE_CONF.format(
        project=conf.project, author=conf.author, html_title=conf.html_title,
        myst_extensions=conf.myst_enable_extensions,
    ), encoding="utf-8")
    substitutions = {
        "portfolio_name": conf.portfolio_name, "portfolio_role": conf.portfolio_role,
        "portfolio_headline": conf.portfolio_headline,
        "portfolio_closing_question": conf.portfolio_closing_question,
    }

    def toctree(entries: list[str]) -> str:
        return "\n".join([":::{toctree}", ":hidden:", "", *(f"/{entry}" for entry in entries), ":::", ""])

    def work_areas() -> str:
        blocks = [toctree([area.docname for area in portfolio.areas])]
        for area in portfolio.areas:
            blocks += [
                f"### {portfolio.number(area)} {escape_markdown(area.title)}", "",
                escape_markdown(area.tagline), "", escape_markdown(area.summary), "",
                cards_markdown(portfolio.articles_in(area.slug)), "",
                f"{{doc}}`Read the full piece </{area.docname}>`", "",
            ]
        return "\n".join(blocks)

    def case_studies(slug: str) -> str:
        articles = portfolio.articles_in(slug)
        return toctree([a.docname for a in articles]) + "\n" + cards_markdown(articles)

    def contact() -> str:
        return "\n".join(f"- {entry['label']}: [{entry['text']}]({entry['url']})" for entry in conf.portfolio_contact)

    pages = [*ours.glob("*.md"), *(ours / "work").glob("*.md"), *(ours / "articles").glob("*.md")]
    for path in sorted(pages):
        relative = path.relative_to(ours)
        text = path.read_text(encoding="utf-8")
        for name, value in substitutions.items():
            text = text.replace(f"{{{{ {name} }}}}", value)
        item = portfolio.by_docname(str(relative.with_suffix("")))
        text = _replace_directive(text, "hero", lambda arg, body: f"{conf.portfolio_role}\n\n{conf.portfolio_headline}\n\n{body}")
        text = _replace_directive(text, "work-areas", lambda arg, body: work_areas())
        text = _replace_directive(
            text, "case-studies", lambda arg, body: case_studies(arg or relative.stem)
        )
        text = _replace_directive(text, "contact", lambda arg, body: contact())
        text = _replace_directive(text, "diagram", lambda arg, body: f"{arg}\n\n```text\n{body}\n```")
        if item is not None:
            # Ours renders the summary from front matter; a stock site carries it in the body.
            front, body = _split_front_matter(text)
            lead = escape_markdown(item.summary)
            if hasattr(item, "tagline"):
                lead = f"Work area {portfolio.number(item)}\n\n{escape_markdown(item.tagline)}\n\n{lead}"
            text = f"{front}\n{lead}\n\n{body}"
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        (target / relative).write_text(text, encoding="utf-8")
    return target


def _replace_directive(text: str, name: str, render) -> str:
    # A colon fence of three or more colons, its argument, options, body, and the same fence.
    pattern = re.compile(
        rf"^(?P<fence>:{{3,}})\{{{re.escape(name)}\}}[ \t]*(?P<arg>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$",
        re.M | re.S,
    )

    def replace(match: re.Match) -> str:
        body = "\n".join(line for line in match["body"].splitlines() if not line.startswith(":"))
        return render(match["arg"].strip(), body.strip())

    return pattern.sub(replace, text)


def _split_front_matter(text: str) -> tuple[str, str]:
    if not text.startswith("---\n"):
        return "", text
    end = text.index("\n---\n", 4) + 5
    return text[:end], text[end:]


# -- How each site is built ---------------------------------------------------


def makefile_options(name: str, srcdir: Path, **variables: str) -> list[str]:
    """A Makefile variable's value as `make` expands it with *srcdir* as the working folder."""
    command = ["make", "-s", "-f", str(REPO / "Makefile"), "-C", str(srcdir), f"print-{name}",
               *(f"{key}={value}" for key, value in variables.items())]
    return shlex.split(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def build_command(site: str, srcdir: Path, outdir: Path) -> list[str]:
    """``make html``'s sphinx-build for ours (strict, doctrees beside the site); stock for the reference."""
    command = [sys.executable, "-m", "sphinx", "-b", "html"]
    if site == "ours":
        command += [*makefile_options("SPHINXOPTS", srcdir), "-d", str(outdir.parent / "doctrees")]
    return [*command, str(srcdir), str(outdir)]


def livehtml_command(site: str, srcdir: Path, outdir: Path, port: int) -> list[str]:
    """``make livehtml``'s sphinx-autobuild for ours, run from *srcdir*; stock for the reference."""
    autobuild = str(Path(sys.executable).with_name("sphinx-autobuild"))
    if site == "ours":
        options = makefile_options("LIVEHTMLOPTS", srcdir, HOST="127.0.0.1", PORT=str(port))
    else:
        options = ["-b", "html", "--host", "127.0.0.1", "--port", str(port)]
    return [autobuild, *options, str(srcdir), str(outdir)]


# -- Measuring ---------------------------------------------------------------


def sphinx_build(command: list[str], srcdir: Path) -> dict:
    """One sphinx-build in a child process: wall time and the child's peak memory."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = started + BUILD_TIMEOUT
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            raise TimeoutError(f"sphinx-build of {srcdir} took over {BUILD_TIMEOUT} s")
        time.sleep(0.005)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode()
    if process.returncode != 0:
        raise RuntimeError(f"sphinx-build of {srcdir} failed:\n{errors}")
    return {"seconds": elapsed, "peak_kib": usage.ru_maxrss}


def html_mtimes(outdir: Path) -> dict[str, int]:
    return {str(p.relative_to(outdir)): p.stat().st_mtime_ns for p in outdir.rglob("*.html")}


def written_since(srcdir: Path, outdir: Path, before: dict[str, int]) -> list[str]:
    """Pages of source documents written since *before*; the index, search and
    404 pages are generated on every build and are not counted."""
    documents = {str(path.relative_to(srcdir).with_suffix(".html")) for path in srcdir.rglob("*.md")}
    return sorted(
        page for page, mtime in html_mtimes(outdir).items()
        if page in documents and before.get(page) != mtime
    )


def edit_body(srcdir: Path, marker: str) -> None:
    """Change one word of the edited article's body into *marker*, itself one word.

    The reading time its cards show stays, as it does after most edits: adding a
    sentence to a piece a few words short of a whole minute would time a card
    change instead, which the summary edit times already.
    """
    path = srcdir / EDITED_ARTICLE
    front_matter, body = _split_front_matter(path.read_text(encoding="utf-8"))
    body, found = re.subn(r"(?<=\s)the(?=\s)", marker, body, count=1)
    if not found:
        raise RuntimeError(f"{EDITED_ARTICLE}: no word 'the' in the body to change")
    path.write_text(front_matter + body, encoding="utf-8")


def edit_summary(srcdir: Path, summary: str, marker: str) -> None:
    """Change the summary wherever the site keeps it.

    Ours keeps it once, in the article's front matter; the reference also
    carries copies, on its cards and as the article's opening paragraph.
    """
    from portfolio.directives import escape_markdown

    copy, edited_copy = escape_markdown(summary), escape_markdown(f"{marker} {summary}")
    for path in srcdir.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        new = text.replace(copy, edited_copy)
        if path.relative_to(srcdir).as_posix() == EDITED_ARTICLE:
            new = _prefix_front_matter_summary(new, marker)
        if new != text:
            path.write_text(new, encoding="utf-8")


def _prefix_front_matter_summary(text: str, marker: str) -> str:
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("summary:"):
            value = line[len("summary:"):].strip()
            if value[:1] in {">", "|"}:
                # A block scalar: the text starts on the next line, indented.
                following = lines[index + 1]
                indent = len(following) - len(following.lstrip())
                lines[index + 1] = f"{following[:indent]}{marker} {following[indent:]}"
            else:
                lines[index] = f"summary: {marker} {value}"
            return "\n".join(lines)
    raise ValueError(f"{EDITED_ARTICLE} has no summary line")


def snapshot(srcdir: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in srcdir.rglob("*.md")}


def restore(files: dict[Path, bytes]) -> None:
    for path, data in files.items():
        if path.read_bytes() != data:
            path.write_bytes(data)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        # Not up yet, or a page replaced while it was being sent.
        return None


def save_to_served(sources: dict[str, Path], outdirs: dict[str, Path], edits: int) -> dict[str, list[float]]:
    """Seconds from writing a change to sphinx-autobuild serving the rebuilt page, per site.

    Both servers run at once; the saves alternate between them, one at a time.
    """
    # No proxy may route 127.0.0.1 anywhere else.
    urllib.request.install_opener(urllib.request.build_opener(urllib.request.ProxyHandler({})))
    servers, urls = {}, {}
    timings: dict[str, list[float]] = {site: [] for site in SITES}
    try:
        for site in SITES:
            port = free_port()
            servers[site] = subprocess.Popen(
                livehtml_command(site, sources[site], outdirs[site], port), cwd=sources[site],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            urls[site] = f"http://127.0.0.1:{port}/{EDITED_ARTICLE.removesuffix('.md')}.html"
        for site in SITES:
            _wait_for(lambda: fetch(urls[site]) is not None, f"sphinx-autobuild to serve {site}")
        time.sleep(1.0)  # let the start-up builds' file events settle
        for number in range(edits):
            for site in SITES if number % 2 == 0 else tuple(reversed(SITES)):
                marker = f"saved-{number}-{time.monotonic_ns()}"
                started = time.perf_counter()
                edit_body(sources[site], marker)
                _wait_for(lambda: marker in (fetch(urls[site]) or ""), f"the edit to {site} to be served")
                timings[site].append(time.perf_counter() - started)
                time.sleep(0.5)
    finally:
        for server in servers.values():
            server.terminate()
        for server in servers.values():
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
    return timings


def _wait_for(condition, what: str) -> None:
    deadline = time.perf_counter() + SERVE_TIMEOUT
    while time.perf_counter() < deadline:
        if condition():
            return
        time.sleep(POLL_INTERVAL)
    raise TimeoutError(f"waited {SERVE_TIMEOUT:.0f} s for {what}")


def weigh(outdir: Path) -> dict:
    return {name: measure(outdir, page).as_dict() for name, page in WEIGHED_PAGES.items()}


def feed_bytes(outdir: Path) -> int | None:
    feed = outdir / FEED_FILE
    return feed.stat().st_size if feed.is_file() else None


def count_pieces(srcdir: Path) -> int:
    return len([*(srcdir / "work").glob("*.md"), *(srcdir / "articles").glob("*.md")])


def extension_size() -> dict:
    """Lines of each Python module in ``_ext/``, comments and docstrings counted."""
    modules = {
        path.relative_to(REPO / "_ext").as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted((REPO / "_ext").rglob("*.py"))
    }
    total, largest = sum(modules.values()), max(modules.values(), default=0)
    return {
        "total": total, "largest": largest, "modules": modules,
        "limit": f"≤ {EXT_LINES_BUDGET} lines, ≤ {EXT_MODULE_LINES_BUDGET} per module",
        "holds": total <= EXT_LINES_BUDGET and largest <= EXT_MODULE_LINES_BUDGET,
    }


# -- The run -----------------------------------------------------------------


def run(runs: int, edits: int, workdir: Path, pieces: int | None = None) -> dict:
    """Both sites at one size: the site as it is, or grown to *pieces* pieces."""
    from portfolio.content import load_portfolio

    sources = {"ours": copy_ours(workdir / "ours")}
    if pieces is not None:
        add_pieces(sources["ours"], pieces)
    commit_all(sources["ours"])
    sources["reference"] = derive_reference(sources["ours"], workdir / "reference")
    commit_all(sources["reference"])  # its git dates cost what ours do
    summary = load_portfolio(sources["ours"]).by_docname(EDITED_ARTICLE.removesuffix(".md")).summary
    originals = {site: snapshot(src) for site, src in sources.items()}
    outdirs = {site: workdir / site / "_build" / "html" for site in SITES}
    commands = {site: build_command(site, sources[site], outdirs[site]) for site in SITES}
    samples: dict[str, dict[str, list]] = {site: {} for site in SITES}
    pages: dict[str, dict[str, list[str]]] = {site: {} for site in SITES}
    feeds = []

    def record(site: str, name: str, result: dict) -> None:
        samples[site].setdefault(name, []).append(result["seconds"])
        samples[site].setdefault("peak_kib", []).append(result["peak_kib"])

    for number in range(runs):
        for site in SITES if number % 2 == 0 else reversed(SITES):
            src, out = sources[site], outdirs[site]
            restore(originals[site])
            shutil.rmtree(out.parent, ignore_errors=True)
            record(site, "clean_build", sphinx_build(commands[site], src))
            if site == "ours":
                feeds.append(feed_bytes(out))
            before = html_mtimes(out)
            record(site, "no_change_rebuild", sphinx_build(commands[site], src))
            pages[site]["no_change_rebuild"] = written_since(src, out, before)
            before = html_mtimes(out)
            edit_body(src, f"run-{number}")
            record(site, "body_edit_rebuild", sphinx_build(commands[site], src))
            pages[site]["body_edit_rebuild"] = written_since(src, out, before)
            before = html_mtimes(out)
            edit_summary(src, summary, f"run {number}")
            record(site, "summary_edit_rebuild", sphinx_build(commands[site], src))
            pages[site]["summary_edit_rebuild"] = written_since(src, out, before)
            if site == "ours":
                # What drawing the share images costs: the same clean build without them,
                # taken once the run's other builds have warmed the machine alike.
                restore(originals[site])
                shutil.rmtree(out.parent, ignore_errors=True)
                without = [*commands[site][:-2], "-D", "portfolio_share_images=0", *commands[site][-2:]]
                record(site, "clean_build_without_share_images", sphinx_build(without, src))
    raw = {"pieces": count_pieces(sources["ours"]), "samples": samples, "pages_written": pages,
           "feed_bytes": feeds[0]}
    if pieces is not None:
        return raw
    raw["weights"] = {}
    for site in SITES:
        restore(originals[site])
        shutil.rmtree(outdirs[site].parent, ignore_errors=True)
        sphinx_build(commands[site], sources[site])
        raw["weights"][site] = weigh(outdirs[site])
    for site, seconds in save_to_served(sources, outdirs, edits).items():
        samples[site]["save_to_served"] = seconds
    return raw


def summarise(raw: dict, scaled: bool) -> dict:
    medians = {
        site: {name: statistics.median(values) for name, values in raw["samples"][site].items()}
        for site in SITES
    }
    peaks = {site: max(raw["samples"][site]["peak_kib"]) for site in SITES}
    for site in SITES:
        medians[site]["peak_kib"] = peaks[site]
    spreads = {
        site: {name: [min(values), max(values)] for name, values in raw["samples"][site].items()}
        for site in SITES
    }
    ratios = {name: medians["ours"][name] / medians["reference"][name]
              for name in medians["ours"] if name in medians["reference"]}
    return {
        "pieces": raw["pieces"],
        "medians": medians, "spreads": spreads, "ratio_ours_to_reference": ratios,
        "budgets": budgets(raw, medians, ratios, scaled),
        "feed_bytes": raw["feed_bytes"], "pages_written": raw["pages_written"],
        **({"weights": raw["weights"]} if "weights" in raw else {}),
        "samples": raw["samples"],
    }


def budgets(raw: dict, medians: dict, ratios: dict, scaled: bool) -> dict[str, dict]:
    """Each budget of the performance issue at this size: the limit, the figure, and whether it holds."""
    verdicts = {
        name: {"limit": f"≤ {limit}×", "value": ratios[name], "holds": ratios[name] <= limit}
        for name, limit in (SCALE_RATIO_BUDGETS if scaled else RATIO_BUDGETS).items()
    }
    images = medians["ours"]["clean_build"] - medians["ours"]["clean_build_without_share_images"]
    verdicts["share_images"] = {
        "limit": f"≤ {SHARE_IMAGES_BUDGET:g} s", "value": images, "holds": images <= SHARE_IMAGES_BUDGET,
    }
    if scaled:
        size = raw["feed_bytes"]
        verdicts["feed_bytes"] = {
            "limit": f"< {FEED_BUDGET_MB:g} MB", "value": size,
            "holds": size is not None and size < FEED_BUDGET_MB * 1024 * 1024,
        }
        return verdicts
    seconds = medians["ours"]["save_to_served"]
    verdicts["save_to_served"] = {
        "limit": f"< {SAVE_TO_SERVED_BUDGET:g} s", "value": seconds, "holds": seconds < SAVE_TO_SERVED_BUDGET,
    }
    for name, (requests, kb) in WEIGHT_BUDGETS.items():
        weight = raw["weights"]["ours"][name]
        verdicts[name] = {
            "limit": f"≤ {requests} / {kb} KB", "value": [weight["requests"], weight["gzip"]],
            "holds": weight["requests"] <= requests and weight["gzip"] <= kb * 1024,
        }
    return verdicts


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = None
    return {
        "cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
        "system": platform.platform(), "load_average_1min": load,
    }


def table(report: dict) -> str:
    medians, ratios, spreads = report["medians"], report["ratio_ours_to_reference"], report["spreads"]
    rows = [("", "ours (min–max)", "reference (min–max)", "ours/ref", "budget")]

    def timing(site: str, key: str) -> str:
        low, high = spreads[site][key]
        return f"{medians[site][key]:.2f} ({low:.2f}–{high:.2f})"

    def verdict(key: str) -> str:
        budget = report["budgets"].get(key)
        if budget is None:
            return ""
        return f"{budget['limit']}: {'hold' if budget['holds'] else 'miss'}"

    labels = {
        "clean_build": "clean build (s)",
        "no_change_rebuild": "no-change rebuild (s)",
        "body_edit_rebuild": "rebuild, article body edited (s)",
        "summary_edit_rebuild": "rebuild, article summary edited (s)",
        "save_to_served": "livehtml: save to served (s)",
    }
    for key, label in labels.items():
        if key in medians["ours"]:
            rows.append((label, timing("ours", key), timing("reference", key), f"{ratios[key]:.2f}", verdict(key)))
    rows.append((
        "clean build: share images drawn (s)",
        f"{medians['ours']['clean_build'] - medians['ours']['clean_build_without_share_images']:.2f}",
        "", "", verdict("share_images"),
    ))
    rows.append((
        "peak memory (MiB)", f"{medians['ours']['peak_kib'] / 1024:.0f}",
        f"{medians['reference']['peak_kib'] / 1024:.0f}", f"{ratios['peak_kib']:.2f}", "",
    ))
    for key in ("body_edit_rebuild", "summary_edit_rebuild"):
        ours = report["pages_written"]["ours"][key]
        reference = report["pages_written"]["reference"][key]
        rows.append((f"pages written, {key.split('_')[0]} edit", str(len(ours)), str(len(reference)), "", ""))
    feed = report["feed_bytes"]
    rows.append((f"{FEED_FILE} (MB)", "none" if feed is None else f"{feed / 1024 / 1024:.2f}", "", "", verdict("feed_bytes")))
    for name in report.get("weights", {}).get("ours", {}):
        ours, reference = report["weights"]["ours"][name], report["weights"]["reference"][name]
        rows.append((
            f"{name}: requests / KB gzip-6", f"{ours['requests']} / {ours['gzip'] / 1024:.1f}",
            f"{reference['requests']} / {reference['gzip'] / 1024:.1f}",
            f"{ours['gzip'] / reference['gzip']:.2f}", verdict(name),
        ))
        for kind in ("html", "css", "js", "img", "font"):
            o, r = ours["by_kind"][kind], reference["by_kind"][kind]
            if o["requests"] or r["requests"]:
                rows.append((
                    f"  {kind}: requests / KB raw / KB gzip",
                    f"{o['requests']} / {o['raw'] / 1024:.1f} / {o['gzip'] / 1024:.1f}",
                    f"{r['requests']} / {r['raw'] / 1024:.1f} / {r['gzip'] / 1024:.1f}", "", "",
                ))
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = ["| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (width + 2) for width in widths) + "|")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="builds of each kind per site and size (default 5)")
    parser.add_argument("--edits", type=int, default=9, help="saves timed under sphinx-autobuild per site (default 9)")
    parser.add_argument("--scale", type=int, default=SCALE_PIECES,
                        help=f"pieces, areas and case studies together, in the scale run (default {SCALE_PIECES})")
    parser.add_argument("--only", choices=("real", "scale"), help="run one size only")
    parser.add_argument("--json", type=Path, default=REPO / "_build" / "bench.json", help="where to write the results")
    args = parser.parse_args()
    repeat, edits = max(1, args.repeat), max(1, args.edits)
    report = {"machine": machine(), "repeat": repeat, "edits": edits, "extension": extension_size()}
    info = report["machine"]
    print(f"{info['cpu']}, {info['cores']} cores, Python {info['python']}, "
          f"load average {info['load_average_1min']:.1f} at the start", flush=True)
    for size, pieces in {"real": None, "scale": args.scale}.items():
        if args.only not in (None, size):
            continue
        with tempfile.TemporaryDirectory(prefix=f"portfolio-bench-{size}-") as workdir:
            report[size] = summarise(run(repeat, edits, Path(workdir), pieces), scaled=pieces is not None)
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        saves = f" and {edits} saves" if size == "real" else ""
        what = "the site as it is" if size == "real" else "case studies copied"
        print(f"\n{report[size]['pieces']} pieces ({what}): medians of {repeat} builds{saves} per site")
        print(table(report[size]))
        for site in SITES:
            print(f"pages written, {site}: {report[size]['pages_written'][site]}")
        sys.stdout.flush()
    ext = report["extension"]
    over = [f"{name} {lines}" for name, lines in ext["modules"].items() if lines > EXT_MODULE_LINES_BUDGET]
    print(f"\n_ext/: {ext['total']} lines in {len(ext['modules'])} modules, the largest {ext['largest']}"
          f"{' (' + ', '.join(over) + ')' if over else ''}; "
          f"budget ≤ {EXT_LINES_BUDGET:,}, ≤ {EXT_MODULE_LINES_BUDGET} per module: {'hold' if ext['holds'] else 'miss'}")
    print(f"JSON: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
