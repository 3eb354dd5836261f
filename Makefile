# The two commands of the README: `make run` and `make test`. Both make their own virtual
# environment (.venv) and install what they need; nothing has to be installed by hand.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# What `make run` needs: the service alone, not the test tools (a separate stamp, so that
# `make run` on a fresh clone installs only that; after `make test` it installs nothing).
RUN_STAMP := $(VENV)/.runtime-stamp
# Installs into $(VENV) (making it if need be) with uv, fetched from PyPI into $(BIN), which
# takes a few seconds where pip took a minute on a busy machine; pip when uv cannot be had.
PIP := $(PYTHON) scripts/pip

# Development defaults only: a local data folder, the example committee and a development
# webhook secret. Production sets these in the environment (see README, Configuration).
DEV_SECRET := whsec_ZGV2ZWxvcG1lbnQtb25seS1ub3QtYS1yZWFsLXNlY3JldA==
export BESOKSRAPPORT_DATA_DIR ?= ./var
export BESOKSRAPPORT_CONFIG ?= examples/committee.toml
export BESOKSRAPPORT_WEBHOOK_SECRETS ?= $(DEV_SECRET)
HOST ?= 127.0.0.1
PORT ?= 8000
# The one place the service's address comes from: gunicorn reads BESOKSRAPPORT_BIND
# (webhook/gunicorn_conf.py); `make run PORT=8001` or BESOKSRAPPORT_BIND set it.
export BESOKSRAPPORT_BIND ?= $(HOST):$(PORT)

.PHONY: run test test-fast lint send-example bench chaos readme-page system-deps clean

$(STAMP): pyproject.toml
	$(PIP) install --venv $(VENV) -e '.[test]'
	touch $(STAMP)

$(RUN_STAMP): pyproject.toml
	@if [ $(STAMP) -nt pyproject.toml ]; then touch $(RUN_STAMP); else \
	  echo "$(PIP) install --venv $(VENV) -e ." && \
	  $(PIP) install --venv $(VENV) -e . && touch $(RUN_STAMP); fi

run: $(RUN_STAMP)
	mkdir -p $(BESOKSRAPPORT_DATA_DIR)
	$(BIN)/besoksrapport check-config
	BESOKSRAPPORT_MAKE_RUN=1 exec $(BIN)/gunicorn --config python:webhook.gunicorn_conf \
	  "webhook:create_app()"

# Signs an example report the way the platform does and posts it to `make run`'s server.
send-example: $(RUN_STAMP)
	$(BIN)/besoksrapport send-example --url http://$(BESOKSRAPPORT_BIND)/webhooks/visit-reports

system-deps:
	@scripts/ensure-system-deps

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# Every test, on as many processes as the machine has cores (a test file stays on one).
test: $(STAMP) system-deps lint
	$(BIN)/python -m pytest -n auto --dist loadfile

# The inner loop: no gunicorn, LibreOffice, browser or wheel build.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n auto -m "not e2e and not libreoffice and not packaging and not browser"

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

# The fuzz runs of `make test` ten times over, with fresh random examples each time: about
# 24,500 signed hostile deliveries (Flask test client and gunicorn), 600 hostile HTTP
# requests to gunicorn and 6,000 damaged FlowInstance files: about 15 minutes on a busy 2-core machine.
# Then the chaos run under load, eight rounds of killed workers, outbox and master, a
# read-only data folder and a crashed filing followed by a move (README, `make chaos`); it
# prints its figures (-s).
chaos: $(STAMP)
	BESOKSRAPPORT_FUZZ_SCALE=10 $(BIN)/python -m pytest -p no:cacheprovider \
		tests/webhook/test_fuzz.py tests/e2e/test_fuzz_gunicorn.py \
		tests/besoksrapport/oep/test_hostile_instances.py
	BESOKSRAPPORT_CHAOS_ROUNDS=8 $(BIN)/python -m pytest -p no:cacheprovider -s \
		tests/e2e/test_chaos_under_load.py

# The README's picture of a report (docs/report-page.png), drawn by LibreOffice and pdftoppm.
readme-page: $(STAMP) system-deps
	$(BIN)/python scripts/readme-page

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
