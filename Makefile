# Development tasks.  `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-fast check lint type fmt eval real wild bench bench-throughput bench-review bench-check bench-memory spark-equivalence bench-spark bench-giant clean

# the typed core's sources (dedup/typed_core.py names them), which mypyc compiles at install
TYPED_CORE := $(shell $(PYTHON) -c "import runpy; c = runpy.run_path('dedup/typed_core.py'); print(*(c['source_path'](m, '.') for m in c['MODULES'] + c['BUILT_IN']))")

# the compiled modules are built by the install (an editable install does not rebuild them):
# a changed .pyx, .pxd or typed-core source installs again, so no test runs an extension older
# than its source (a typed core built from other sources is not even imported: typed_core.py)
$(STAMP): pyproject.toml setup.py dedup/typed_core.py $(TYPED_CORE) $(wildcard dedup/*/*.pyx dedup/*/*.pxd)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# bytecode ahead of time: an editable install has none, and with PYTHONDONTWRITEBYTECODE set
# (as on this machine) every run would compile dedup's ~70 modules again (0.1-0.2 CPU s).
# A stale .pyc is never used (Python checks the source's mtime), so this is only a head start.
install: $(STAMP)
	@$(BIN)/python -m compileall -q dedup > /dev/null

demo: install  ## clean the bundled seed article, say what was removed and why, write its review
	$(BIN)/dedup clean fixtures/seed/article.txt -o - --summary --review build/seed-review.html
	@echo "review of what was removed: $(CURDIR)/build/seed-review.html (open it in a browser)"

test: install lint type  ## the whole suite, as CI runs it: ruff and mypy first, then pytest
	$(BIN)/pytest

test-fast: install  ## without the tests that install pre-commit environments
	$(BIN)/pytest -m "not slow"

lint: install
	$(BIN)/ruff check dedup tests bench tools
	$(BIN)/ruff format --check dedup tests bench tools

type: install
	$(BIN)/mypy dedup

check: test

fmt: install
	$(BIN)/ruff format dedup tests bench tools
	$(BIN)/ruff check --fix dedup tests bench tools

eval: install  ## dev-set scores (EVAL_INPUT / EVAL_GOLD to use another set)
	$(BIN)/python bench/devset.py

real: install  ## the 24 annotated real pages of ../shared/eval/real, each cleaned alone, scored
	$(BIN)/python bench/realpages.py real

wild: install  ## a month of real pages (../shared/eval/wild) cleaned as one corpus, checked
	$(BIN)/python bench/realpages.py wild

bench: install  ## dedup vs rensa vs the rjieba floor, big set and low-redundancy corpus (BENCH_LIMIT for a prefix), then the review page
	$(BIN)/python bench/versus.py
	$(BIN)/python bench/review.py

bench-throughput: install  ## the older benchmark: naive jieba + datasketch, jieba floor, dev set
	$(BIN)/python bench/throughput.py

bench-review: install  ## what clean --review costs, and how fast its page opens in chromium
	$(BIN)/python bench/review.py

bench-check: install  ## pre-commit check latency against a 10,000-article corpus
	$(BIN)/python bench/check_latency.py

.PHONY: bench-stress
bench-stress: install  ## time and peak memory of one article against its paragraphs, up to 200,000
	$(BIN)/python bench/stress.py

bench-memory: install  ## peak RSS against corpus size (the big set expanded 10x), with and without a memory budget
	$(BIN)/python bench/memory.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
	# the compiled modules the editable install built beside their sources (Cython's, the typed core's)
	find dedup -name '*.so' -delete
	rm -f dedup/typed_core.digest

spark-equivalence: install  ## Spark local[2] against the local engine, byte for byte (fixtures, dev, big 5,000, wild)
	$(BIN)/python bench/spark_equivalence.py

bench-spark: install  ## the big set and its 10x expansion through the local engine and Spark local[2]
	$(BIN)/python bench/spark_throughput.py

bench-giant: install  ## what makes the giant component, rounds in Python against the local engine, then groups vs rounds on Spark local[2] (big set, first 5,000)
	$(BIN)/python bench/giant.py big 5000 --components
	$(BIN)/python bench/spark_rounds.py 5000 2
