# Neural Networks from First Principles: two commands, `make lab` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
NB     ?= 03
PYTEST := $(BIN)/python -m pytest

.PHONY: setup lab test unit nbval browser notebooks bench present student clean

# Idempotent setup: (re)installs only when pyproject.toml is newer than the stamp.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "Python 3.10+ is needed, found " + sys.version.split()[0]' 
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[lab,dev]"
	@touch $(STAMP)

setup: $(STAMP)

lab: setup
	$(BIN)/jupyter lab notebooks/

test: setup
	$(PYTEST) tests
	$(PYTEST) --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks
	$(BIN)/python tools/check_notebooks.py

notebooks: setup
	$(BIN)/python tools/notebooks.py

bench: setup
	$(BIN)/python benchmarks/run.py

present: setup
	$(BIN)/voila --strip_sources=True notebooks/$(NB)_*.ipynb

student: setup
	$(BIN)/python tools/student.py build/student

clean:
	rm -rf $(VENV) build .pytest_cache
