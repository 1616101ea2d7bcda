# briefgen: `make demo` builds the sample briefs, `make test` runs the suite.
# Each target sets up what it needs (a virtual environment with the package).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SAMPLE := briefs/2024-05-chaoyang briefs/2024-05-shenyang-population

.PHONY: setup demo test lint reference bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/briefgen build $(SAMPLE) -o out

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

# Make the Word reference document again from templates/house.yaml.
reference: $(STAMP)
	$(BIN)/briefgen reference-doc --house templates/house.yaml -o templates/reference.docx

bench: $(STAMP)
	$(BIN)/python bench/bench_build.py
	$(BIN)/python bench/bench_preview.py
	$(BIN)/python bench/bench_batch.py

clean:
	rm -rf out .pytest_cache .ruff_cache
