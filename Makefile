# Development tasks.  `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-fast check lint type fmt eval real wild bench bench-check bench-memory clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install  ## clean the bundled seed article and say what was removed and why
	@# exit status 1 means "changed something", which is what the demo is for
	$(BIN)/dedup clean fixtures/seed/article.txt -o - --summary || [ $$? -eq 1 ]

test: install  ## the whole suite, as CI runs it
	$(BIN)/pytest

test-fast: install  ## without the tests that install pre-commit environments
	$(BIN)/pytest -m "not slow"

lint: install
	$(BIN)/ruff check dedup tests bench
	$(BIN)/ruff format --check dedup tests bench

type: install
	$(BIN)/mypy dedup

check: lint type test

fmt: install
	$(BIN)/ruff format dedup tests bench
	$(BIN)/ruff check --fix dedup tests bench

eval: install  ## dev-set scores (EVAL_INPUT / EVAL_GOLD to use another set)
	$(BIN)/python bench/devset.py

real: install  ## the 24 annotated real pages of ../shared/eval/real, each cleaned alone, scored
	$(BIN)/python bench/realpages.py real

wild: install  ## a month of real pages (../shared/eval/wild) cleaned as one corpus, checked
	$(BIN)/python bench/realpages.py wild

bench: install  ## throughput and memory on ../shared/eval/big (BENCH_LIMIT for a subset)
	$(BIN)/python bench/throughput.py

bench-check: install  ## pre-commit check latency against a 10,000-article corpus
	$(BIN)/python bench/check_latency.py

bench-memory: install  ## peak RSS against corpus size (the big set expanded 10x), with and without a memory budget
	$(BIN)/python bench/memory.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
