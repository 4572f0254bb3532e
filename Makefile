# The two set-up commands of the README's quick start:
#   make site   create .venv, install timeline, build the site into output/
#   make test   create .venv, install timeline with its test tools, run lint and the whole test suite
# Each target installs only what is missing, so running it again is cheap.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: site test check serve clean

site: $(VENV)/.installed
	$(BIN)/timeline build

check: $(VENV)/.installed
	$(BIN)/timeline check

serve: $(VENV)/.installed
	$(BIN)/timeline serve

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
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

clean:
	rm -rf $(VENV) output
