# The targets people use are the ones CI uses: make demo, make test, make check, make bench.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
LOCK := requirements/dev.txt
STAMP := $(VENV)/.synced

.PHONY: demo test check bench screenshots lock system-deps clean

demo: $(STAMP) system-deps
	$(BIN)/python scripts/demo.py $(DEMO_ARGS)

test: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/run.py

# The admin's pages on the demo municipality, as docs/screenshot-admin-*.png.
screenshots: $(STAMP) system-deps
	$(BIN)/python scripts/admin_screenshots.py

# The virtual environment is rebuilt from the hash-checked lock whenever the lock
# or pyproject.toml changes; uv itself is the one unpinned-by-hash bootstrap step.
$(STAMP): $(LOCK) pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "Could not create $(VENV). On Debian: apt-get install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --python $(BIN)/python --require-hashes $(LOCK)
	# A path entry rather than an import hook, so tests/server can never shadow server.
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --editable . \
	  --config-settings editable_mode=compat
	@touch $@

system-deps:
	@scripts/ensure-system-deps.sh

lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra player --extra dev --generate-hashes \
	  --python-version 3.11 --python-platform x86_64-manylinux_2_34 \
	  -c requirements/constraints.txt -o $(LOCK)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
