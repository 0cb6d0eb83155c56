# Two entry points for a fresh machine: `make report` (main job on the bundled synthetic sample)
# and `make test` (whole suite). Both create and fill the virtual environment on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out/report

.PHONY: report test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,notebooks]'
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/bzanalytics report --out $(OUT)

test: $(STAMP)
	$(BIN)/ruff check bzanalytics tests bench
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check bzanalytics tests bench notebooks

# Benchmark peers live in their own git-ignored venv: they are never project dependencies.
BENCH_VENV ?= .venv-bench
BENCH_ARGS ?= --sizes 2000,20000 --latency-ms 50 --peer-sample 500 --json out/bench/sync.json

$(BENCH_VENV)/.installed:
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet python-bugzilla==3.3.0 libmozdata==0.2.20
	touch $@

bench: $(STAMP) $(BENCH_VENV)/.installed
	$(BIN)/python bench/sync.py --peer-python $(BENCH_VENV)/bin/python $(BENCH_ARGS)

clean:
	rm -rf $(VENV) out .pytest_cache
