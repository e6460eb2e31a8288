# Open LLM Atlas. `make site` and `make test` set up everything they need on a fresh machine.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
VENDOR := overrides/assets/vendor
export NO_MKDOCS_2_WARNING := 1

.PHONY: help setup site pdf offline serve validate test lint bench lock audit clean

help:
	@echo "make site      build site/ from catalog/ (installs what is missing)"
	@echo "make test      run the whole test suite (installs what is missing)"
	@echo "make pdf       the whole atlas as one PDF: site/atlas.pdf"
	@echo "make offline   the site as a zip that works from a folder: dist/atlas-offline.zip"
	@echo "make serve     live preview on http://127.0.0.1:8000"
	@echo "make validate  check the catalog only"
	@echo "make bench     performance report (selector, charts, runner, PDF, build scale: about 40 minutes)"
	@echo "make lock      re-resolve requirements.lock from pyproject.toml's pins (network)"
	@echo "make audit     check the pinned Python and npm packages against advisories (network)"

setup: $(VENV)/.installed $(VENDOR)/.installed chromium

# Python: a virtualenv with the exact pinned set (requirements.lock, from pyproject's pins).
$(VENV)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed (set PYTHON=...)")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

# Browser assets from npm, vendored into the theme so the site loads nothing from a CDN.
$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/iframe-worker $(VENDOR)/tablesort
	cp node_modules/iframe-worker/shim/index.js $(VENDOR)/iframe-worker/shim.js
	cp node_modules/tablesort/dist/tablesort.min.js node_modules/tablesort/dist/sorts/tablesort.number.min.js $(VENDOR)/tablesort/
	touch $@

# $(call apt_need,COMMAND,PACKAGE): install the distribution's PACKAGE when COMMAND is missing (as root, with
# apt), else say what to install.
define apt_need
	@if ! command -v $(1) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
	  else \
	    echo "$(1) is missing: install the '$(2)' package (e.g. sudo apt-get install $(2))"; exit 1; \
	  fi; \
	fi
endef

# Chromium (charts, decision trees, the PDF, browser tests) from the distribution's packages.
chromium:
	$(call apt_need,chromium,chromium)

# poppler-utils: the PDF's tests read it back with pdftotext and pdftoppm.
poppler:
	$(call apt_need,pdftotext,poppler-utils)

# Java: the tests validate the built site's HTML with the W3C validator (npm vnu-jar).
java:
	$(call apt_need,java,default-jre-headless)
.PHONY: chromium poppler java

validate: $(VENV)/.installed
	$(PY) -m generator validate

# Generate, build into site.tmp, then swap: a failed build leaves the previous site/ as it was.
site: setup
	$(PY) -m generator site
	@echo "open site/index.html, or run: make serve"

# The whole atlas as one PDF, printed from the site's print page: site/atlas.pdf.
pdf: site
	$(PY) -m generator pdf

# The built site (with its PDF) as a zip that works opened from a folder: dist/atlas-offline.zip.
offline: pdf
	$(PY) -m generator offline

serve: setup
	$(VENV)/bin/mkdocs serve --dev-addr 127.0.0.1:8000

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check generator tests benchmarks
	$(VENV)/bin/ruff format --check generator tests benchmarks

test: setup poppler java
	$(VENV)/bin/ruff check generator tests benchmarks
	$(VENV)/bin/ruff format --check generator tests benchmarks
	$(PY) -m pytest -n 2 --dist loadgroup

# Every benchmark runs, then the target fails if any of them missed a target.
BENCHMARKS := selector charts runner pdf scale
bench: setup
	@status=0; for name in $(BENCHMARKS); do $(PY) benchmarks/$$name.py || status=1; echo; done; exit $$status

# requirements.lock: every package the virtualenv holds, exactly, as a clean install of pyproject.toml's
# pins (runtime and test) resolves them. Run after changing a pin; commit both files.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet --disable-pip-version-check ".[test]"
	.venv-lock/bin/pip freeze --exclude-editable | grep -v '^open-llm-atlas' > requirements.lock
	rm -rf .venv-lock

# Known vulnerabilities: pip-audit (pinned, in its own virtualenv) against requirements.lock, npm audit
# against package-lock.json. A finding fails the target; refresh the pin (make lock / npm install) and re-run.
PIP_AUDIT := pip-audit==2.10.1
audit:
	test -x .venv-audit/bin/pip-audit || { $(PYTHON) -m venv .venv-audit && .venv-audit/bin/pip install --quiet $(PIP_AUDIT); }
	.venv-audit/bin/pip-audit --strict --no-deps --disable-pip --requirement requirements.lock
	npm audit --audit-level=low

clean:
	rm -rf site site.tmp site.old dist docs/index.md docs/models docs/licences docs/api docs/hardware docs/charts docs/use-cases docs/selector.md docs/cost.md docs/glossary.md docs/.atlas-abbreviations.md docs/runtimes docs/runs docs/.atlas-nav.json docs/feed.xml docs/.atlas-edition.json docs/engineering/performance.md
