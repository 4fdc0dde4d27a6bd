# The targets people use are the ones CI uses: make demo, make test, make check, make bench.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
LOCK := requirements/dev.txt
STAMP := $(VENV)/.synced
# A second environment with the Qt that Debian Trixie (and so Raspberry Pi OS) ships.
QT68_VENV := .venv-qt68
QT68_LOCK := requirements/qt68.txt
QT68_STAMP := $(QT68_VENV)/.synced
COMPILE = uv pip compile pyproject.toml --extra player --extra dev --generate-hashes \
  --python-version 3.11 --python-platform x86_64-manylinux_2_34

.PHONY: demo test test-qt68 test-deploy check bench screenshots release lock system-deps clean

demo: $(STAMP) system-deps
	$(BIN)/python scripts/demo.py $(DEMO_ARGS)

test: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

# The player must run on PySide6 6.8 as well as on the newest wheels.
test-qt68: $(QT68_STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(QT68_VENV)/bin/python -m pytest tests/player tests/playlists \
	  $(PYTEST_ARGS)

# The Raspberry Pi installation, for real: install.sh run twice on a Debian Trixie root built
# with mmdebstrap and booted with systemd (root needed: systemd-nspawn), against a real server.
# Slow and downloading the first time; ~/.cache/anslag-deploy keeps the root and the packages.
test-deploy: $(STAMP)
	@scripts/ensure-system-deps.sh deploy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest tests/deploy -m debian_root $(PYTEST_ARGS)

check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/run.py

# The admin's pages on the demo municipality, as docs/screenshot-admin-*.png, and the player's
# alerts and ticker as docs/screenshot-player-alert-*.png.
screenshots: $(STAMP) system-deps
	$(BIN)/python scripts/admin_screenshots.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/player_alert_screenshots.py

# What a server offers Raspberry Pi screens, in dist/player-release/: the player's wheel and the
# installer. Copy both into the server's player-releases folder (README: deploy/raspberrypi).
release: $(STAMP)
	rm -rf dist/player-release
	$(BIN)/uv build --quiet --wheel --out-dir dist/player-release .
	cp deploy/raspberrypi/install.sh dist/player-release/
	@ls -l dist/player-release

# The virtual environment is rebuilt from the hash-checked lock whenever the lock
# or pyproject.toml changes; uv itself is the one unpinned-by-hash bootstrap step.
# $(call sync-venv,VENV,LOCK)
define sync-venv
	@test -x $(1)/bin/python || $(PYTHON) -m venv $(1) || { \
	  echo "Could not create $(1). On Debian: apt-get install python3-venv"; exit 1; }
	$(1)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(1)/bin/uv pip sync --quiet --python $(1)/bin/python --require-hashes $(2)
	# A path entry rather than an import hook, so tests/server can never shadow server.
	$(1)/bin/uv pip install --quiet --python $(1)/bin/python --no-deps --editable . \
	  --config-settings editable_mode=compat
	@touch $(1)/.synced
endef

$(STAMP): $(LOCK) pyproject.toml
	$(call sync-venv,$(VENV),$(LOCK))

$(QT68_STAMP): $(QT68_LOCK) pyproject.toml
	$(call sync-venv,$(QT68_VENV),$(QT68_LOCK))

system-deps:
	@scripts/ensure-system-deps.sh

lock: $(STAMP)
	$(BIN)/$(COMPILE) -c requirements/constraints.txt -o $(LOCK)
	$(BIN)/$(COMPILE) -c requirements/constraints-qt68.txt -o $(QT68_LOCK)

clean:
	rm -rf $(VENV) $(QT68_VENV) .mypy_cache .ruff_cache .pytest_cache
