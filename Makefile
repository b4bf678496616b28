# Build, preview and test the portfolio. `make help` lists the targets.
#
# Every target sets up what it needs: a virtual environment in .venv, made
# from the pinned requirements and remade when they change.

PYTHON     ?= python3
VENV       := .venv
BIN        := $(VENV)/bin
BUILDDIR   := _build
# Strict: warnings are errors, every problem reported, every reference checked.
SPHINXOPTS ?= -W --keep-going -n
HOST       ?= 127.0.0.1
PORT       ?= 8000

.PHONY: help html livehtml test bench clean

help:
	@echo "make html      build the site into $(BUILDDIR)/html (strict: warnings fail)"
	@echo "make livehtml  preview on http://$(HOST):$(PORT) with live reload"
	@echo "make test      run the whole test suite"
	@echo "make bench     time builds and weigh pages against a stock Furo site (_build/bench.json)"
	@echo "make clean     remove build output"

$(BIN)/.site-requirements: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(BIN)/.test-requirements: $(BIN)/.site-requirements requirements-test.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

html: $(BIN)/.site-requirements
	$(BIN)/sphinx-build -b html $(SPHINXOPTS) . $(BUILDDIR)/html

livehtml: $(BIN)/.site-requirements
	$(BIN)/sphinx-autobuild -b html $(SPHINXOPTS) --host $(HOST) --port $(PORT) \
		--ignore "$(CURDIR)/$(BUILDDIR)/*" --ignore "$(CURDIR)/$(VENV)/*" \
		--ignore "$(CURDIR)/tests/*" --ignore "$(CURDIR)/node_modules/*" \
		--watch _ext . $(BUILDDIR)/html

test: $(BIN)/.test-requirements
	$(BIN)/python -m pytest

# On demand only: it takes minutes and its timings depend on the machine.
bench: $(BIN)/.site-requirements
	$(BIN)/python bench/run.py

clean:
	rm -rf $(BUILDDIR)
