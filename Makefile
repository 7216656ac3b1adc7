# Stadga: `make run` serves it, `make test` proves it. Nothing else is needed on a fresh machine
# than Python 3.11+ (and, for the browser tests, Debian's chromium: .ci/run installs it).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2

.PHONY: run test lint format migrations-check pytest messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installs exactly what the lock files pin; reinstalls only when a lock file changes.
$(VENV)/.base-installed: requirements/base.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.dev-installed: requirements/dev.lock $(VENV)/.base-installed
	$(BIN)/pip install --quiet -r requirements/dev.lock
	@touch $@

# The web server, with the task worker (`stadga worker`) beside it; Ctrl-C stops both.
run: $(VENV)/.base-installed
	$(BIN)/stadga migrate --no-input
	$(BIN)/stadga policy load --shipped
	$(BIN)/stadga security load-requirements --shipped
	$(BIN)/stadga collectstatic --no-input --verbosity 0
	$(BIN)/stadga demo --if-empty
	@echo ""
	@echo "Stadga is served at http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	@echo ""
	$(BIN)/stadga worker & WORKER=$$!; \
	trap 'kill -TERM $$WORKER 2>/dev/null; wait $$WORKER' EXIT; trap 'exit 130' INT TERM; \
	$(BIN)/gunicorn stadga.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --timeout 120 \
		--access-logfile -

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy stadga

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(VENV)/.dev-installed
	env -u DATABASE_URL $(BIN)/stadga makemigrations --check --dry-run

# The whole suite on SQLite, then again on PostgreSQL when DATABASE_URL points at one; in as
# many processes as the machine has cores (pytest-xdist; PYTEST_WORKERS=0 runs it in one).
# The browser tests (Chromium: axe, keyboard, no JavaScript, CSP) run in the SQLite pass only:
# what they check is the rendered page, which is the same on either database, and every view
# they open is tested on PostgreSQL too by the app's own tests. They take minutes, which CI's
# 20-minute budget cannot hold twice. `make test PYTEST_PG_ARGS=` runs them on PostgreSQL too.
PYTEST_WORKERS ?= auto
PYTEST_PG_ARGS ?= -m "not browser"
pytest: $(VENV)/.dev-installed
	env -u DATABASE_URL $(BIN)/pytest -q -n $(PYTEST_WORKERS)
	@case "$${DATABASE_URL:-}" in \
	  postgres*) echo "--- again on PostgreSQL ($${DATABASE_URL}), browser tests excluded"; $(BIN)/pytest -q -n $(PYTEST_WORKERS) $(PYTEST_PG_ARGS) ;; \
	  "") echo "DATABASE_URL is not set: the PostgreSQL run is skipped (.ci/run sets it)." ;; \
	esac

test: lint migrations-check pytest

# Regenerates the translation catalogues after strings change (needs GNU gettext).
messages: $(VENV)/.dev-installed
	cd stadga && ../$(BIN)/stadga makemessages --locale sv --locale en --ignore 'demo/tests/*' --ignore 'tests/*' --ignore '*/tests/*' --no-obsolete
	cd stadga && ../$(BIN)/stadga compilemessages

clean:
	rm -rf $(VENV) var/static
