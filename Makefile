# Samspill: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
PG_URL ?= postgres://postgres@127.0.0.1:5432/samspill
SQLITE_URL ?= sqlite:///$(CURDIR)/db.sqlite3

.PHONY: run test install install-production system-deps lint typecheck messages static test-sqlite test-postgres test-cluster clean

$(BIN)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

# Debian packages the suite needs: chromium for browser tests, gettext to compile catalogues,
# pgbouncer for the cluster tests (PostgreSQL's own binaries come with the server).
# apt waits for a lock another install holds (two `make` runs at once) instead of failing.
DEBS := chromium gettext pgbouncer
system-deps:
	@command -v msgfmt >/dev/null && command -v chromium >/dev/null && { command -v pgbouncer || test -x /usr/sbin/pgbouncer; } >/dev/null || { \
	  echo "Installing Debian packages: $(DEBS)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -q $(DEBS) >/dev/null 2>&1 || \
	  { $$SUDO apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null && $$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -q $(DEBS) >/dev/null; }; }

install: $(BIN)/.installed node_modules/.installed system-deps messages static

# A production server (README, Production): the runtime dependencies only (requirements.txt),
# the compiled translations and the collected static files. No test tools, no Node packages,
# no browser; only gettext's msgfmt and WeasyPrint's Pango from the system (README).
install-production:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	cd samspill && DEBUG=1 ../$(BIN)/samspill compilemessages --verbosity 0
	DEBUG=1 $(BIN)/samspill collectstatic --no-input --verbosity 0

# DEBUG=1 for the tools below that load the settings: with DEBUG off (the default) they would
# refuse the development SECRET_KEY. pytest gets a throwaway key of its own (samspill/settings.py).
messages: $(BIN)/.installed
	cd samspill && DEBUG=1 ../$(BIN)/samspill compilemessages --verbosity 0

# Static files for `samspill serve` (WhiteNoise): hashed and compressed into STATIC_ROOT,
# again when a stylesheet or a dependency changes.
static: static_root/staticfiles.json

static_root/staticfiles.json: $(BIN)/.installed $(shell find samspill -path '*/static/*' -type f)
	DEBUG=1 $(BIN)/samspill collectstatic --no-input --verbosity 0

run: install
	DEBUG=1 DATABASE_URL=$(SQLITE_URL) $(BIN)/samspill migrate --no-input --verbosity 0
	DEBUG=1 DATABASE_URL=$(SQLITE_URL) $(BIN)/samspill demo_data
	@# No worker runs beside the demo server: background tasks run in the request instead.
	DEBUG=1 DATABASE_URL=$(SQLITE_URL) TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend \
	  $(BIN)/samspill runserver 127.0.0.1:8000

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(BIN)/.installed
	DEBUG=1 $(BIN)/mypy samspill

test-sqlite: install
	@echo "== SQLite"
	DEBUG=1 DATABASE_URL=sqlite:///$(CURDIR)/.test.sqlite3 $(BIN)/samspill makemigrations --check --dry-run
	DATABASE_URL=sqlite:///$(CURDIR)/.test.sqlite3 $(BIN)/pytest -q

# CI runs on PostgreSQL too whenever a server answers (it does on every machine here).
test-postgres: install
	@if $(BIN)/python -c "import psycopg; psycopg.connect('host=127.0.0.1 port=5432 user=postgres dbname=postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "== PostgreSQL"; DATABASE_URL=$(PG_URL) $(BIN)/pytest -q --create-db; \
	else echo "== PostgreSQL: no server at 127.0.0.1:5432, skipped"; fi

# A throwaway PostgreSQL primary, streaming replica and PgBouncer on free ports (tests/cluster):
# the replica route, two web processes and two workers, a crashed database, a killed worker.
test-cluster: install
	@if ls /usr/lib/postgresql/*/bin/pg_basebackup >/dev/null 2>&1; then \
	  echo "== PostgreSQL cluster"; $(BIN)/pytest -q -m cluster tests/cluster; \
	else echo "== PostgreSQL cluster: no PostgreSQL binaries under /usr/lib/postgresql/*/bin, skipped"; fi

# SQLite and PostgreSQL run side by side (two cores; each run prints when it ends), then the
# cluster: about 30 minutes instead of 45 one after the other.
test: install lint typecheck
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres
	$(MAKE) --no-print-directory test-cluster

clean:
	rm -rf $(VENV) node_modules db.sqlite3 .test.sqlite3 static_root
