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

.PHONY: install demo test lint format migrations-check run worker db-stop bench clean

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
