# Build, preview and test the portfolio. `make help` lists the targets.
#
# Every target sets up what it needs: a virtual environment in .venv, installed
# from the hash-locked requirements (pip refuses any file whose hash differs
# from the lock) and brought to the locked versions again whenever a lock
# changes. A package dropped from a lock stays installed until .venv is removed
# (`rm -rf .venv`; the next make recreates it): pip installs, it does not prune.

PYTHON     ?= python3
VENV       := .venv
BIN        := $(VENV)/bin
BUILDDIR   := _build
NODE_TOOLS := node_modules/.package-lock.json
# Strict: warnings are errors, every problem reported, every reference checked.
SPHINXOPTS ?= -W --keep-going -n
HOST       ?= 127.0.0.1
PORT       ?= 8000
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes
PIP_TOOLS  := pip-tools==7.6.2

# Python caches compiled modules in __pycache__ beside the source (conf.py,
# _ext/, tests/): a build must not write into the source tree, so nothing
# make runs writes them. (pytest's own cache lives in _build: pyproject.toml.)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help html livehtml new-piece test screenshots audit bench lock clean print-SPHINXOPTS print-LIVEHTMLOPTS

help:
	@echo "make html      build the site into $(BUILDDIR)/html (strict: warnings fail)"
	@echo "make livehtml  preview on http://$(HOST):$(PORT) with live reload"
	@echo "make new-piece AREA=<area> SLUG=<name>  start a draft piece, articles/<name>.md, in an area"
	@echo "make test      run the whole test suite (browser, validator and Lighthouse included);"
	@echo "               OWNER_TESTS=0 leaves out the shipped owner's own pages (tests/owner/)"
	@echo "make screenshots  the built site in _build/screenshots: pages, themes, print, high contrast"
	@echo "make audit     Lighthouse scores and timings, mobile and desktop, for the built site"
	@echo "make bench     time builds and weigh pages against a stock Furo site (_build/bench.json)"
	@echo "make lock      re-resolve requirements*.in into the hash-locked requirements*.txt, and package-lock.json"
	@echo "make clean     remove build output"
	@echo "make help      this list"
	@echo "(print-SPHINXOPTS and print-LIVEHTMLOPTS are internal: bench/run.py reads the options)"

$(BIN)/.site-requirements: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "make: the site needs Python 3.11 or newer; $(PYTHON) is " + sys.version.split()[0] + ": install a newer one and run make PYTHON=python3.x")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements.txt
	touch $@

# requirements-test.txt is a complete lock: the site's packages at the same
# versions, plus the tests'.
$(BIN)/.test-requirements: $(BIN)/.site-requirements requirements-test.txt
	$(PIP_INSTALL) -r requirements-test.txt
	touch $@

# The browser checks' tools (axe-core, the Nu HTML checker, Lighthouse), exactly as locked.
# --ignore-scripts: vnu-jar's install script would download a Java runtime; the system's runs it.
$(NODE_TOOLS): package.json package-lock.json
	@command -v npm >/dev/null || { echo "make: npm not found; the browser checks need Node.js 18.16+ and npm: apt-get install -y nodejs npm"; exit 1; }
	npm ci --ignore-scripts
	touch $@

# The site is built beside the published folder and swapped in only once the
# whole build has passed: a failed or interrupted build leaves the previous
# $(BUILDDIR)/html as it was, and the published folder holds only the site.
# The doctree cache ($(BUILDDIR)/doctrees) travels with the site it produced:
# both are copied, built together and swapped together, so a failed build's
# cache can never make the next build skip pages it should rewrite. Starting
# from copies (not hard links: Sphinx rewrites files in place) means Sphinx
# writes only the pages an edit made stale.
html: $(BIN)/.site-requirements
	@# A swap cut short: the cache may not match the site, so drop the cache.
	@if [ -d $(BUILDDIR)/doctrees.old ]; then rm -rf $(BUILDDIR)/doctrees $(BUILDDIR)/doctrees.old; fi
	@if [ ! -d $(BUILDDIR)/html ] && [ -d $(BUILDDIR)/html.old ]; then \
		mv $(BUILDDIR)/html.old $(BUILDDIR)/html; fi
	rm -rf $(BUILDDIR)/html.new $(BUILDDIR)/doctrees.new
	if [ -d $(BUILDDIR)/html ] && [ -d $(BUILDDIR)/doctrees ]; then \
		cp -a $(BUILDDIR)/html $(BUILDDIR)/html.new && \
		cp -a $(BUILDDIR)/doctrees $(BUILDDIR)/doctrees.new; fi
	$(BIN)/sphinx-build -b html $(SPHINXOPTS) -d $(BUILDDIR)/doctrees.new . $(BUILDDIR)/html.new
	@# Not part of the site: Sphinx's backup of an outdated .buildinfo, and the
	@# page-source folder it makes even with html_copy_source off.
	rm -f $(BUILDDIR)/html.new/.buildinfo.bak
	rmdir $(BUILDDIR)/html.new/_sources 2>/dev/null || true
	rm -rf $(BUILDDIR)/html.old $(BUILDDIR)/doctrees.old
	if [ -d $(BUILDDIR)/doctrees ]; then mv $(BUILDDIR)/doctrees $(BUILDDIR)/doctrees.old; fi
	mv $(BUILDDIR)/doctrees.new $(BUILDDIR)/doctrees
	if [ -d $(BUILDDIR)/html ]; then mv $(BUILDDIR)/html $(BUILDDIR)/html.old; fi
	mv $(BUILDDIR)/html.new $(BUILDDIR)/html
	rm -rf $(BUILDDIR)/html.old $(BUILDDIR)/doctrees.old

# The preview has its own folder, so it never half-overwrites a built site, and
# its own address, so its canonical links and feed point at itself. It carries
# no Content-Security-Policy, so sphinx-autobuild's inline live-reload script
# runs; a published build always carries one. It skips drawing the share images
# (a publishing build never does). Files that are not pages or the extension
# (README, handbook, tests, CI, bench) do not trigger a rebuild.
LIVEHTMLOPTS = -b html $(SPHINXOPTS) --host $(HOST) --port $(PORT) \
	--ignore "$(CURDIR)/$(BUILDDIR)/*" --ignore "$(CURDIR)/$(VENV)/*" \
	--ignore "$(CURDIR)/tests/*" --ignore "$(CURDIR)/node_modules/*" \
	--ignore "$(CURDIR)/README.md" --ignore "$(CURDIR)/handbook/*" \
	--ignore "$(CURDIR)/bench/*" \
	--ignore "$(CURDIR)/.github/*" --ignore "$(CURDIR)/.ci/*" \
	-D html_baseurl=http://$(HOST):$(PORT)/ \
	-A portfolio_preview=1 -D portfolio_share_images=0 --watch _ext

livehtml: $(BIN)/.site-requirements
	$(BIN)/sphinx-autobuild $(LIVEHTMLOPTS) . $(BUILDDIR)/preview

# A new piece, as a draft (_ext/portfolio/new_piece.py); it never overwrites a file.
new-piece: $(BIN)/.site-requirements
	@PYTHONPATH=_ext $(BIN)/python -m portfolio.new_piece "$(AREA)" "$(SLUG)"

# The options above, for bench/run.py: it builds and previews the site exactly as
# `make html` and `make livehtml` do (`make -s print-LIVEHTMLOPTS PORT=8001`).
print-SPHINXOPTS print-LIVEHTMLOPTS:
	@printf '%s\n' '$($(@:print-%=%))'

# One pytest-xdist worker per core, each starting on its share of the suite in file
# order and taking over half of a busier worker's rest when it runs out.
# OWNER_TESTS=0 leaves out the shipped owner's own text and pieces (tests/owner/).
OWNER_TESTS ?= 1
test: $(BIN)/.test-requirements $(NODE_TOOLS)
	$(BIN)/python -m pytest -n auto --dist worksteal $(if $(filter 0,$(OWNER_TESTS)),-m "not site_content")

# For people to look at (the README shows some); nothing is checked.
screenshots: html $(BIN)/.test-requirements
	$(BIN)/python tests/screenshots.py $(BUILDDIR)/html

audit: html $(BIN)/.test-requirements $(NODE_TOOLS)
	$(BIN)/python tests/audit.py $(BUILDDIR)/html

# On demand only: it takes minutes and its timings depend on the machine.
# BENCHOPTS goes to bench/run.py (`bench/run.py --help`), for example
# `make bench BENCHOPTS="--only scale --repeat 1"` for a quick scale run.
BENCHOPTS ?=
bench: $(BIN)/.site-requirements
	$(BIN)/python bench/run.py $(BENCHOPTS)

# pip-tools runs from a throwaway environment, so it is never one of the
# site's dependencies. The tests' lock is held to the site's versions.
# pip-tools itself is pinned by version but installed without hash checking:
# it is the tool that writes the locks, it never runs in a build or a test,
# and every lock it writes is read in review (and checked by the tests) before
# anything installs from it.
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" "$$tmp/bin/pip-compile" --quiet \
	--generate-hashes --allow-unsafe --strip-extras --upgrade \
	--no-emit-index-url --no-emit-find-links --no-emit-trusted-host

lock:
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(PYTHON) -m venv "$$tmp" && \
	"$$tmp/bin/python" -m pip install --quiet --disable-pip-version-check $(PIP_TOOLS) && \
	$(PIP_COMPILE) --output-file=requirements.txt requirements.in && \
	$(PIP_COMPILE) --output-file=requirements-test.txt requirements-test.in
	@# The browser checks' tools: package.json pins them; this moves what they depend on.
	npm update --package-lock-only --ignore-scripts

clean:
	rm -rf $(BUILDDIR)
