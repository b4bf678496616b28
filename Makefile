# Build, preview and test the portfolio. `make help` lists the targets.
#
# Every target sets up what it needs: a virtual environment in .venv, made
# from the pinned requirements and remade when they change.

PYTHON     ?= python3
VENV       := .venv
BIN        := $(VENV)/bin
BUILDDIR   := _build
NODE_TOOLS := node_modules/.package-lock.json
# Strict: warnings are errors, every problem reported, every reference checked.
SPHINXOPTS ?= -W --keep-going -n
HOST       ?= 127.0.0.1
PORT       ?= 8000

.PHONY: help html livehtml test audit clean

help:
	@echo "make html      build the site into $(BUILDDIR)/html (strict: warnings fail)"
	@echo "make livehtml  preview on http://$(HOST):$(PORT) with live reload"
	@echo "make test      run the whole test suite (browser, validator and Lighthouse included)"
	@echo "make audit     Lighthouse scores and timings, mobile and desktop, for the built site"
	@echo "make clean     remove build output"

$(BIN)/.site-requirements: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(BIN)/.test-requirements: $(BIN)/.site-requirements requirements-test.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

# The browser checks' tools (axe-core, the Nu HTML checker, Lighthouse), exactly as locked.
# --ignore-scripts: vnu-jar's install script would download a Java runtime; the system's runs it.
$(NODE_TOOLS): package.json package-lock.json
	npm ci --ignore-scripts
	touch $@

html: $(BIN)/.site-requirements
	$(BIN)/sphinx-build -b html $(SPHINXOPTS) . $(BUILDDIR)/html

livehtml: $(BIN)/.site-requirements
	$(BIN)/sphinx-autobuild -b html $(SPHINXOPTS) --host $(HOST) --port $(PORT) \
		--ignore "$(CURDIR)/$(BUILDDIR)/*" --ignore "$(CURDIR)/$(VENV)/*" \
		--ignore "$(CURDIR)/tests/*" --ignore "$(CURDIR)/node_modules/*" \
		--watch _ext . $(BUILDDIR)/html

test: $(BIN)/.test-requirements $(NODE_TOOLS)
	$(BIN)/python -m pytest

audit: html $(BIN)/.test-requirements $(NODE_TOOLS)
	$(BIN)/python tests/audit.py $(BUILDDIR)/html

clean:
	rm -rf $(BUILDDIR)
