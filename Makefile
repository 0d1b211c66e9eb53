# The two commands a newcomer needs: `make demo` and `make test`. Everything else is a helper of theirs.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
CONSTRAINTS := requirements/constraints.txt
APP_STAMP := $(VENV)/.app-installed
DEV_STAMP := $(VENV)/.dev-installed
PORT ?= 8000
# Test processes for everything but the browser journeys (pytest-xdist): one per core, at most four, so
# a 2-core machine runs the suite in about half the time and a big one is not flooded with copies of
# the ESCO data. TEST_PROCESSES=0 runs in this process (for a debugger).
TEST_PROCESSES ?= auto --maxprocesses=4

.PHONY: demo test lint format unit integration browser system-deps serve worker clean lock help

help:
	@echo "make demo   – set up everything and serve the app with demo data on http://127.0.0.1:$(PORT)"
	@echo "make test   – lint and run the whole test suite (unit, integration, browser)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(APP_STAMP): pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(BIN)/pip install --quiet -c $(CONSTRAINTS) -e .
	touch $@

$(DEV_STAMP): pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(BIN)/pip install --quiet -c $(CONSTRAINTS) -e '.[dev]'
	touch $@ $(APP_STAMP)

demo: $(APP_STAMP)
	@bash scripts/ensure-system-packages.sh pdf
	DJANGO_SETTINGS_MODULE=matchmaking.config.settings.demo PORT=$(PORT) $(BIN)/matchmaking demo

system-deps:
	@bash scripts/ensure-system-packages.sh pdf browser

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Tests that need no database (the engine and its doctests, pure modules), tests that do, and the
# browser journeys; `make test` runs all three.
unit: $(DEV_STAMP)
	$(BIN)/pytest -m "not database and not browser"

integration: $(DEV_STAMP)
	$(BIN)/pytest -m "database and not browser"

browser: $(DEV_STAMP) system-deps
	$(BIN)/pytest -m browser

test: $(DEV_STAMP) system-deps lint
	$(BIN)/pytest -m "not browser" -n $(TEST_PROCESSES)
	$(BIN)/pytest -m browser

lock: | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e ' > $(CONSTRAINTS)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
