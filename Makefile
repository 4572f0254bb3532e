# The two set-up commands of the README's quick start:
#   make site   create .venv, install timeline, build the site into output/
#   make test   create .venv, install timeline with its test tools (Python packages, Debian's
#               chromium and Java, axe-core and the Nu checker from npm), run lint and every test
# Each target installs only what is missing, so running it again is cheap.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: site test check serve install clean

site: $(VENV)/.installed
	$(BIN)/timeline build

install: $(VENV)/.installed

check: $(VENV)/.installed
	$(BIN)/timeline check

serve: $(VENV)/.installed
	$(BIN)/timeline serve

test: $(VENV)/.installed-test node_modules/.installed
	scripts/install-system-deps.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

clean:
	rm -rf $(VENV) output node_modules
