# Two commands for a fresh machine with Python >= 3.11 and make:
#   make run    start the service on an embedded SQLite file with demo data and dev keys
#   make test   install everything and pass the whole test suite
# Everything installs into .venv from the locked versions in requirements.lock.

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	&& { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format typecheck pytest bench lock browser clean

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (python3.11, python3.12 ...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

run: install
	$(BIN)/ftr serve --demo --host $(HOST) --port $(PORT)

test: install lint typecheck pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest

bench: install
	$(BIN)/python -m bench

# Regenerate the locked versions after changing dependencies in pyproject.toml.
lock: install
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev -o requirements.lock --python-version 3.11 --no-header
	$(BIN)/uv pip compile pyproject.toml -o requirements-runtime.lock --python-version 3.11 --no-header

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
