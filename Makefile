# endpointr developer commands. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8080

.PHONY: run test lint typecheck unasync bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the project metadata changes.
$(VENV)/.installed-server: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[server]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-server

run: $(VENV)/.installed-server  ## serve the gateway on 127.0.0.1:8080 over the embedded vault
	$(BIN)/endpointr serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests scripts benchmarks examples
	$(BIN)/ruff format --check src tests scripts benchmarks examples
	$(BIN)/python scripts/unasync.py --check

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy src
	$(BIN)/mypy --python-version 3.11 -m endpointr.gateway.net.asyncio_backend  # 3.11+ only

test: lint typecheck  ## ruff, mypy --strict, pytest
	$(BIN)/python -m pytest -q

unasync: $(VENV)/.installed-dev  ## regenerate the sync client from the async one
	$(BIN)/python scripts/unasync.py

bench: $(VENV)/.installed-dev  ## benchmarks, with ratios against baselines measured in the same run
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
