# Two entry points: `make run` and `make test`. Both install what they need.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := tesseract-ocr tesseract-ocr-spa tesseract-ocr-cat tesseract-ocr-eng poppler-utils gettext chromium fonts-dejavu-core fonts-dejavu-extra fonts-liberation libmagic1 docker-compose
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_BROKER_URL ?= redis://127.0.0.1:6379/0

.PHONY: run test install system-deps messages demo bench-deps

system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages: $$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required"; exit 1; }
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q ".[test]"
	touch $@

install: system-deps $(VENV)/.installed messages

messages: $(VENV)/.installed
	@$(PY) manage.py compilemessages --ignore=.venv -v 0

demo: install
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo --customers 200

# The worker runs under backoffice/supervise.py: restarted (with back-off) if it dies, said on the terminal and in
# var/log/worker.log; Ctrl-C sends it SIGTERM (warm shutdown: tasks in progress finish) and waits for it.
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

test: install
	DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) $(VENV)/bin/pytest -p no:cacheprovider

# OCRmyPDF for benchmarks/ocr_speed.py only (ghostscript: its PDF/A and rasteriser fallback).
bench-deps: $(VENV)/.installed
	$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq ghostscript
	$(PY) -m pip install -q -r benchmarks/requirements-ocrmypdf.txt
