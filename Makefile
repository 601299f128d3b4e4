# Development tasks.  `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-fast check lint type fmt eval real wild bench bench-review bench-check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install  ## clean the bundled seed article, say what was removed and why, write its review
	@# exit status 1 means "changed something", which is what the demo is for
	$(BIN)/dedup clean fixtures/seed/article.txt -o - --summary --review build/seed-review.html || [ $$? -eq 1 ]
	@echo "review of what was removed: $(CURDIR)/build/seed-review.html (open it in a browser)"

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

bench: install  ## throughput and memory on ../shared/eval/big (BENCH_LIMIT for a subset), then the review page
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/review.py

bench-review: install  ## what clean --review costs, and how fast its page opens in chromium
	$(BIN)/python bench/review.py

bench-check: install  ## pre-commit check latency against a 10,000-article corpus
	$(BIN)/python bench/check_latency.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
