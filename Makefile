# Two entry points: `make run` and `make test`. Both install what they need.
SHELL := /bin/bash
PYTHON ?= python3.11
# Python 3.11 and 3.12 are both supported: `make test PYTHON=python3.12 VENV=<a venv of its own>`.
VENV ?= .venv
PY := $(VENV)/bin/python
LOCK := requirements/lock.txt
UV_VERSION := 0.13.9
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := tesseract-ocr tesseract-ocr-spa tesseract-ocr-cat tesseract-ocr-eng poppler-utils gettext chromium fonts-dejavu-core fonts-dejavu-extra fonts-liberation libmagic1 docker-compose haproxy postgresql-client
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_BROKER_URL ?= redis://127.0.0.1:6379/0

.PHONY: run test install system-deps messages demo bench-deps lock lint

system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages: $$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# Every version comes from the lock (with its hashes); the project itself adds none (--no-deps). pip check then
# fails if pyproject.toml names a dependency the lock lacks: run `make lock`.
$(VENV)/.installed: pyproject.toml $(LOCK)
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required"; exit 1; }
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --require-hashes -r $(LOCK)
	$(PY) -m pip install -q --no-deps .
	$(PY) -m pip check || { echo "$(LOCK) does not match pyproject.toml: run make lock"; exit 1; }
	touch $@

# Regenerates the lock from pyproject.toml (runtime + test extra): every package pinned with its hashes, resolved
# once for every Python that requires-python allows (markers where 3.11 and 3.12 differ). Versions already in the
# lock are kept; `make lock LOCK_FLAGS=--upgrade` takes the newest allowed. requirements/runtime.txt is the same
# versions without the test extra, for the image.
lock:
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required"; exit 1; }
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q uv==$(UV_VERSION)
	$(VENV)/bin/uv pip compile -q pyproject.toml --extra test --universal --python-version 3.11 --generate-hashes \
		--custom-compile-command "make lock" $(LOCK_FLAGS) -o $(LOCK)
	$(VENV)/bin/uv pip compile -q pyproject.toml --universal --python-version 3.11 --generate-hashes \
		--custom-compile-command "make lock" -c $(LOCK) -o requirements/runtime.txt

install: system-deps $(VENV)/.installed messages

messages: $(VENV)/.installed
	@$(PY) manage.py compilemessages --ignore=.venv -v 0

demo: install
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo --customers 200

# The worker runs under backoffice/supervise.py: restarted (with back-off) if it dies, said on the terminal and in
# var/log/worker.log; Ctrl-C sends it SIGTERM (warm shutdown: tasks in progress finish) and waits for it.
# Links in e-mails point at the address `make run` serves (the worker writes the e-mails, so it gets it too).
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: demo
	@mkdir -p var/log
	@echo "Starting the Celery worker and the outbox relay (each restarted if it dies) and beat (logs in var/log/)"
	@: > var/log/worker.log; : > var/log/relay.log; rm -f var/web.pid; \
	$(PY) backoffice/supervise.py --name worker --log var/log/worker.log -- \
		$(VENV)/bin/celery -A backoffice worker -l info -Q celery,ocr,mail -c 2 & echo $$! > var/worker.pid; \
	$(PY) backoffice/supervise.py --name relay --log var/log/relay.log -- \
		$(PY) manage.py relay_outbox & echo $$! > var/relay.pid; \
	$(VENV)/bin/celery -A backoffice beat -l info -s var/celerybeat-schedule > var/log/beat.log 2>&1 & echo $$! > var/beat.pid; \
	trap 'kill $$(cat var/web.pid) $$(cat var/worker.pid) $$(cat var/relay.pid) $$(cat var/beat.pid) 2>/dev/null; wait' EXIT INT TERM; \
	echo; echo "Customer area: http://$(HOST):$(PORT)/"; echo "Staff site:    http://$(HOST):$(PORT)/staff/ (login at /staff/login/)"; \
	echo "E-mails are written to var/mail/"; echo; \
	$(PY) manage.py runserver $(HOST):$(PORT) & echo $$! > var/web.pid; wait $$!

# ruff's lint and format check. On: `make test` runs `make lint` first (the tree was formatted once, in a commit of
# its own); `make test LINT=0` skips it. `make lint` runs them whatever LINT says.
# (:= and not ?=: make has a built-in LINT, "lint"; `make test LINT=0` overrides it all the same.)
LINT := 1
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Line coverage is printed at the end; the run fails below COV_FLOOR percent (91% measured, less one).
COV_FLOOR ?= 90
# Two pytest-xdist workers (each its own test database, test_<name>_gw0/gw1); `make test PYTEST_ARGS=` runs serially.
PYTEST_ARGS ?= -n 2
test: install
	@if [ "$(LINT)" = 1 ]; then $(MAKE) --no-print-directory lint; else echo "make lint: off (LINT=0)"; fi
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) $(VENV)/bin/pytest -p no:cacheprovider \
		--cov --cov-report=term --cov-fail-under=$(COV_FLOOR) $(PYTEST_ARGS)

# OCRmyPDF for benchmarks/ocr_speed.py only (ghostscript: its PDF/A and rasteriser fallback).
bench-deps: $(VENV)/.installed
	$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq ghostscript
	$(PY) -m pip install -q -r benchmarks/requirements-ocrmypdf.txt
