# ArtRights: `make run` serves the platform, `make test` runs every test. Both create .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST := $(BIN)/python -m pytest

.PHONY: run test lint bench clean-venv

$(BIN)/activate:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ArtRights needs Python >= 3.11 (需要 Python 3.11 或更高版本)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

run: $(VENV)/.installed
	$(BIN)/artrights serve

# The gates first (what CI refuses), then the whole suite on SQLite (browser tests included), then the database
# tests again on PostgreSQL when DATABASE_URL points at one.
test: lint
	env -u DATABASE_URL $(PYTEST) -n 2 --dist loadgroup
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== PostgreSQL: $$DATABASE_URL =="; \
		$(PYTEST) -n 2 -m "uses_db and not browser" src; \
	else echo "DATABASE_URL is not set: the PostgreSQL pass is skipped (.ci/run sets it)."; fi

# ruff (lint and formatting) on everything, mypy --strict on the package (pyproject relaxes it for tests).
lint: $(VENV)/.installed
	$(BIN)/ruff check src e2e bench scripts conftest.py
	$(BIN)/ruff format --check src e2e bench scripts conftest.py
	$(BIN)/mypy src

bench: $(VENV)/.installed
	$(BIN)/python bench/bench_ledger.py

clean-venv:
	rm -rf $(VENV)
