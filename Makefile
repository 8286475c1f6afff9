# The two commands that matter: `make demo` and `make test`. Both work on a fresh machine with
# only Python 3.11: they create .venv, install the locked dependencies, and use an embedded
# PostgreSQL server unless DATABASE_URL is set.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VENV := .local/uv
UV := $(UV_VENV)/bin/uv
UV_VERSION := 0.13.8
TEST_ARGS ?=

.PHONY: install demo test lint format migrations-check messages run worker db-stop bench clean

$(UV):
	@mkdir -p .local
	$(PYTHON) -m venv $(UV_VENV)
	$(UV_VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(BIN)/python: pyproject.toml uv.lock | $(UV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --quiet --python $(PYTHON)
	@touch $(BIN)/python

install: $(BIN)/python

demo: install
	@bash scripts/demo.sh

test: install
	@bash scripts/test.sh $(TEST_ARGS)

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

# Regenerate the English catalogue from the Chinese msgids and compile it (needs GNU gettext:
# `apt-get install gettext`). Commit both django.po and django.mo: CI has no gettext. The
# settings never touch the database here, so a placeholder URL keeps the embedded server off.
MESSAGES_ENV := DATABASE_URL=$${DATABASE_URL:-postgres://unused@127.0.0.1:1/unused}
MESSAGES_IGNORE := --ignore=.venv --ignore=.local --ignore=node_modules --ignore=test-results --ignore=staticfiles

messages: install
	$(MESSAGES_ENV) $(BIN)/python manage.py makemessages -l en --add-location=file --no-obsolete $(MESSAGES_IGNORE)
	$(MESSAGES_ENV) $(BIN)/python manage.py compilemessages -l en $(MESSAGES_IGNORE)
	msgfmt --check --statistics -o /dev/null locale/en/LC_MESSAGES/django.po

run: install
	$(BIN)/python manage.py runserver 127.0.0.1:8000

worker: install
	$(BIN)/celery -A config worker -B -l info --concurrency 2

db-stop:
	-$(BIN)/python -m config.embedded_db stop

bench: install
	@bash scripts/bench.sh

clean: db-stop
	rm -rf .local $(VENV)
