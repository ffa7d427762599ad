# The README's two commands: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
PYTHON ?= python3.13
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The test suite runs in one process per CPU and one more (pytest-xdist): the browser tests, the
# worker-kill test and the subprocess tests spend some of their time waiting (for Chromium, the
# live server, a lease), and the extra process works meanwhile; more processes than that cost more
# CPU than they save (on two CPUs, make test took 106 s with 2 processes, 99 s with 3 and 114 s
# with 4, back to back). TEST_PROCESSES=0 runs it in this one.
# --dist load hands each process its tests in the suite's order (tests/conftest.py puts those that
# empty the database last): worksteal could hand a process that had emptied its database a test
# that needs what the migrations put there (the editors' group, the 19 authorities).
TEST_PROCESSES ?= $(shell echo $$(( $$(nproc) + 1 )))

.PHONY: install run test lint browser serve bench soak audit clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the browser tests; never a downloaded browser.
browser:
	@command -v chromium >/dev/null || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq && \
	  $$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null; }

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_updates seeds/
	$(PY) manage.py ensure_local_admin
	@# The task worker (the e-mail edition) runs beside the server, in its own process group, and
	@# stops with it.
	setsid $(PY) manage.py db_worker & worker=$$!; \
	  trap 'kill -- -$$worker 2>/dev/null' EXIT; \
	  $(PY) manage.py runserver 127.0.0.1:8000

# Python keeps the compiled modules (and pytest its rewritten tests) between runs even where
# PYTHONDONTWRITEBYTECODE is set: every test process, and every manage.py the tests start, would
# compile them again. A missing migration is caught by tests/seslip/test_settings.py.
# The lint steps (ruff, ruff format --check, mypy) run beside the tests, not before them: their
# output follows the tests', and either failing fails the run.
test: export PYTHONDONTWRITEBYTECODE =
test: install browser
	@lint=$$(mktemp); \
	( set -e; for step in "ruff check ." "ruff format --check ." "mypy"; do \
	    echo "$(PY) -m $$step"; $(PY) -m $$step; done ) >$$lint 2>&1 & lint_pid=$$!; \
	echo "$(PY) -m pytest -n $(TEST_PROCESSES) --dist load $(PYTEST_ARGS)"; \
	$(PY) -m pytest -n $(TEST_PROCESSES) --dist load $(PYTEST_ARGS); tests=$$?; \
	wait $$lint_pid; linted=$$?; cat $$lint; rm -f $$lint; \
	[ $$tests = 0 ] && [ $$linted = 0 ]

# Production serving: DEBUG off, gunicorn, whitenoise, PostgreSQL (see bench/serve.sh for variables).
serve: install
	bench/serve.sh

# The benchmark of issue 6 (600 and 6,000 updates); writes bench/RESULTS.md.
bench: install
	bench/run.sh

# Ten minutes at 32 connections while an editor saves (SOAK_SECONDS shortens it).
soak: install
	bench/soak.sh

# Known vulnerabilities in the installed dependencies (pip-audit, with PyPI's data).
audit: install
	bench/audit.sh

lint: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
