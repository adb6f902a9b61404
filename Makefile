# Newsroom Review — set-up, run and test. Needs Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve worker beat test bench bench-jobs bench-fuzz bench-scale train train-shipped lint format install install-dev clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.dev-installed

## run: install, migrate, load the seed articles and demo accounts, serve the admin
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo
	$(PY) manage.py ingest seeds --as editor
	@echo "Newsroom Review: http://$(HOST):$(PORT)/admin/ (editor, checker1, checker2, legal)"
	$(PY) manage.py runserver $(HOST):$(PORT)

## serve: production server: gunicorn (WEB_WORKERS processes) with whitenoise for static files,
## against DATABASE_URL; needs DEBUG=0, SECRET_KEY and ALLOWED_HOSTS (see README)
WEB_WORKERS ?= 4
serve: install
	$(PY) manage.py check --deploy
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(VENV)/bin/gunicorn newsroom.wsgi:application --bind $(HOST):$(PORT) --workers $(WEB_WORKERS) \
		--access-logfile - --timeout 60 --graceful-timeout 30 --max-requests 2000 --max-requests-jitter 200

## worker: run background jobs (ingest, matching, reflag, feeds, exports, e-mail, retraining) on this
## machine; needs CELERY_BROKER_URL (Redis) and the same DATABASE_URL as the app servers. Start as
## many as there are machines (each runs WORKER_CONCURRENCY processes, default one per core).
WORKER_CONCURRENCY ?= $(shell nproc 2>/dev/null || echo 2)
worker: install
	@test -n "$$CELERY_BROKER_URL" || (echo "set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0): without it jobs run inline" && exit 1)
	$(VENV)/bin/celery -A newsroom worker -l INFO -c $(WORKER_CONCURRENCY) -Q $${CELERY_QUEUE:-newsroom}

## beat: the clock that queues periodic jobs (feed polls every FEED_POLL_MINUTES, the purge of old
## jobs); run exactly one per installation, beside the workers
beat: install
	@test -n "$$CELERY_BROKER_URL" || (echo "set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0)" && exit 1)
	@mkdir -p var
	$(VENV)/bin/celery -A newsroom beat -l INFO -s var/celerybeat-schedule

## test: install dev requirements, lint, check, and run the whole suite
test: install-dev lint
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

## bench: measure the claim extraction engine (boundaries, gold, ClaimBuster, speed) and claim
## matching (the news corpus's labelled pairs by article-level CV; median time per new article
## among 100k and 1M stored claims, ~15 min on a quiet machine) and the job queue (1 vs 2 workers)
bench: install-dev bench-jobs
	$(PY) manage.py bench
	$(PY) manage.py bench_matching

## bench-jobs: articles per second through the job queue (ingest + matching) with 1 and 2 Celery
## workers, on PostgreSQL (BENCH_DATABASE_URL; a scratch database is created and dropped) and Redis
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
bench-jobs: install-dev
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py bench_jobs

## bench-scale: a synthetic newsroom of 100,000 articles (~2.7M claims, with history) on
## DATABASE_URL (PostgreSQL for the figures that count): ingest vs bare insert, page p50/p95,
## a 60 s load test of 50 users over gunicorn (wrk), and 10,000 fuzz cases (~35 min on 2 cores)
bench-scale: install-dev
	@command -v wrk >/dev/null || (apt-get install -y -qq wrk || sudo apt-get install -y -qq wrk)
	$(PY) manage.py bench_scale

## bench-fuzz: 10,000 random inputs through ingest, analyze and export (CI runs a few dozen)
bench-fuzz: install-dev
	FUZZ_EXAMPLES=10000 $(PY) -m pytest -q tests/test_fuzz.py

## train: retrain check-worthiness, the flag scorer and the claim-match model from ClaimBuster,
## the news corpus and the newsroom's own decisions, and the debris model from the news corpus and the seeds; prints the
## cross-validated figures, then switches the new version on (manage.py train --rollback goes
## back; --list shows the versions)
train: install-dev
	$(PY) manage.py train
	$(PY) scripts/build_term_weights.py

## train-shipped: rebuild the models shipped in the repository (deterministic, no newsroom data)
train-shipped: install-dev
	$(PY) scripts/train_debris.py
	$(PY) scripts/train_checkworthiness.py
	$(PY) scripts/train_flag_scorer.py
	$(PY) scripts/build_term_weights.py
	$(PY) scripts/train_match_model.py
	$(PY) scripts/train_debris.py

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
