# Two entry points a newcomer needs: `make run` (set up + chat UI on the demo warehouse)
# and `make test` (set up + the whole test suite). Everything else is for developers.
# Bytecode is compiled at install: where PYTHONDONTWRITEBYTECODE is set, every `genbi`
# command would otherwise recompile each module it imports (seconds per run).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup run test lint eval bench update-golden clean

$(STAMP): pyproject.toml setup.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check uv
	@$(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) -e ".[dev]"
	@$(PY) -m compileall -q -j 0 genbi semantic_layer assistant tools ui eval demo >/dev/null
	@touch $(STAMP)

setup: $(STAMP)

run: setup
	$(VENV)/bin/genbi ui

test: setup
	@bash scripts/install-browser.sh || true
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy genbi semantic_layer assistant tools eval ui demo

eval: setup
	$(VENV)/bin/genbi eval eval/cases/*.jsonl

bench: setup
	$(PY) bench/bench_generate.py

update-golden: setup
	GENBI_UPDATE_GOLDEN=1 $(PY) -m pytest -q tests -k golden

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
