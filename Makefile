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

clean:
	rm -rf $(VENV) out .pytest_cache
