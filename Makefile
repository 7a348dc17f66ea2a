# ita-workflow: the two commands are `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

FLASK := $(PY) -m flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test
# pytest-xdist workers: one per core, at most 4 (each holds an app, a browser and a database).
WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ "$$n" -gt 4 ] && n=4; echo $$n)
PYTEST := $(PY) -m pytest -n $(WORKERS) --dist loadgroup

.PHONY: help setup run test test-sqlite test-postgres lint format bench bench-national bench-load clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt requirements.lock
	tools/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt -c requirements.lock
	touch $(STAMP)

setup: $(STAMP)  ## install missing Debian packages, create .venv, install the pinned dependencies

run: $(STAMP)  ## migrate the SQLite database, load the demo, serve on http://127.0.0.1:5000
	$(FLASK) db upgrade
	$(FLASK) demo
	$(FLASK) run --host $(HOST) --port $(PORT)

test: $(STAMP)  ## the whole suite on SQLite, then on PostgreSQL when it answers at PG_TEST_URL
	tools/system-deps.sh --test
	$(PYTEST)
	@if $(PY) -c "import psycopg, sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$(PG_TEST_URL)" 2>/dev/null; then \
		echo "== the same suite on PostgreSQL ($(PG_TEST_URL))"; \
		TEST_DATABASE_URL="$(PG_TEST_URL)" $(PYTEST); \
	elif [ -n "$$REQUIRE_POSTGRES" ]; then \
		echo "PostgreSQL does not answer at $(PG_TEST_URL) and REQUIRE_POSTGRES is set"; exit 1; \
	else \
		echo "== PostgreSQL does not answer at $(PG_TEST_URL): the suite ran on SQLite only"; \
	fi

test-sqlite: $(STAMP)  ## the suite on SQLite only
	$(PYTEST)

test-postgres: $(STAMP)  ## the suite on PostgreSQL only (PG_TEST_URL)
	TEST_DATABASE_URL="$(PG_TEST_URL)" $(PYTEST)

lint: $(STAMP)  ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)  ## apply ruff's formatting and safe fixes
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(STAMP)  ## reminder benchmark: 10,000 organisations on PostgreSQL (docs/benchmarks.md)
	$(PY) -m bench.generate --orgs 10000 --measures 20 --documents 2
	$(PY) -m bench.reminders --runs 3
	$(PY) -m bench.generate --drop

bench-national: $(STAMP)  ## national dataset (7,850 organisations x 3 years) and its batch jobs; keeps schema ita_national
	$(PY) -m bench.generate --national --schema ita_national
	$(PY) -m bench.reminders --schema ita_national --runs 2
	$(PY) -m bench.linkcheck --schema ita_national
	$(PY) -m bench.audit --schema ita_national

bench-load: $(STAMP)  ## pages and decisions under load: gunicorn + wrk on ita_national (make bench-national first)
	tools/system-deps.sh --bench
	$(PY) -m bench.load --schema ita_national --servers gthread:2x4 --decisions 60

.PHONY: audit lock
audit: $(STAMP)  ## known vulnerabilities in requirements.lock (pip-audit; says so when it cannot run)
	PY=$(PY) tools/audit.sh

lock:  ## rewrite requirements.lock from a fresh venv of requirements-dev.txt (after changing a pin)
	rm -rf $(VENV)-lock && $(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/python -m pip install --quiet -r requirements-dev.txt
	sed -n '1,/^# Regenerate/p' requirements.lock > requirements.lock.new
	$(VENV)-lock/bin/python -m pip freeze --all --exclude pip --exclude setuptools --exclude wheel >> requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf $(VENV)-lock

clean:  ## remove the virtualenv and caches (keeps instance/ data)
	rm -rf $(VENV) .pytest_cache .ruff_cache
