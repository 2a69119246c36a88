# Neural Networks from First Principles: two commands, `make lab` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
NB     ?= 03
PYTEST := $(BIN)/python -m pytest

.PHONY: setup lab test notebooks bench present student clean test-oldest

# One BLAS thread for tests and notebook execution: the course's matrices are small, a 2-core
# machine running a kernel plus pytest is otherwise oversubscribed, and a fixed thread count
# keeps floating-point sums (and so the stored outputs) identical from run to run.
test notebooks student: export OPENBLAS_NUM_THREADS = 1
test notebooks student: export OMP_NUM_THREADS = 1
test notebooks student: export MKL_NUM_THREADS = 1

# Idempotent setup: (re)installs only when pyproject.toml is newer than the stamp.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "Python 3.10+ is needed, found " + sys.version.split()[0]' 
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[lab,dev,docs]"
	@touch $(STAMP)

setup: $(STAMP)

lab: setup
	$(BIN)/jupyter lab lessons/ --ServerApp.jpserver_extensions=nnlib_nodelay=True \
		$$([ "$$(id -u)" = 0 ] && echo --allow-root)

test: setup
	$(PYTEST) tests
	$(PYTEST) --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks lessons
	$(BIN)/python tools/check_notebooks.py
	$(BIN)/python tools/editions.py --check

notebooks: setup
	$(BIN)/python tools/notebooks.py
	$(BIN)/python tools/editions.py

bench: setup
	$(BIN)/python benchmarks/run.py

# A class of N simulated students on a real JupyterHub on 127.0.0.1, then an nbgrader round
# trip (tools/classroom.py, docs/teaching.md). `make classroom N=3` for a quick one.
N ?= 30
.PHONY: classroom
classroom: setup
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(BIN)/python tools/classroom.py --students $(N) \
		--json build/classroom/latest.json

present: setup
	@nb=$$(ls notebooks/$(NB)_*.ipynb 2>/dev/null | head -n 1); \
	if [ -z "$$nb" ]; then \
		echo "make present: no lesson notebooks/$(NB)_*.ipynb (two digits, e.g. make present NB=03)" >&2; \
		exit 2; \
	fi; \
	echo "Presenting $$nb in app mode (Voila, code hidden); Ctrl-C to stop."; \
	$(BIN)/python -m nnlib_nodelay voila --strip_sources=True \
		--VoilaConfiguration.extension_denylist=@jupyter/nbgrader \
		--VoilaConfiguration.extension_denylist=@jupyter-notebook/lab-extension "$$nb"

# the learner edition lessons/ alone (make notebooks also rebuilds it)
student: setup
	$(BIN)/python tools/editions.py

# The lowest supported versions (tests/oldest-constraints.txt) in a venv of their own: the unit
# tests (all but the browser tests) and strict nbval on the notebooks. A few minutes to install
# the first time; the venv is reused while the constraints and pyproject.toml are unchanged.
OLDEST       := .venv-oldest
OLDEST_STAMP := $(OLDEST)/.installed-stamp
test-oldest: export OPENBLAS_NUM_THREADS = 1
test-oldest: export OMP_NUM_THREADS = 1
test-oldest: export MKL_NUM_THREADS = 1

$(OLDEST_STAMP): pyproject.toml tests/oldest-constraints.txt
	@test -x $(OLDEST)/bin/python || $(PYTHON) -m venv $(OLDEST)
	$(OLDEST)/bin/python -m pip install --quiet --disable-pip-version-check \
		-c tests/oldest-constraints.txt -e ".[lab,dev]"
	@touch $(OLDEST_STAMP)

# What the versions can change: nnlib, the checks, the figures and sliders, and every stored
# output of both editions. Not repeated here: the browser, JupyterHub, nbgrader, wheel-building
# and edition-generator tests, which exercise Jupyter's own packages, not these three.
test-oldest: $(OLDEST_STAMP)
	$(OLDEST)/bin/python -c 'import numpy, matplotlib, ipywidgets; print("oldest supported: numpy", numpy.__version__, "matplotlib", matplotlib.__version__, "ipywidgets", ipywidgets.__version__)'
	$(OLDEST)/bin/python -m pytest tests --ignore=tests/browser --ignore=tests/test_classroom.py \
		--ignore=tests/test_nbgrader.py --ignore=tests/test_packaging.py --ignore=tests/test_editions.py \
		--ignore=tests/test_nodelay.py
	$(OLDEST)/bin/python -m pytest --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks lessons

# The course website, built from the stored learner edition lessons/ (not re-executed) with
# Sphinx + myst-nb, warnings as errors, offline once MathJax is installed from npm into
# build/site/npm: build/site/html (tools/site.py; tests/browser/test_site.py tests it).
.PHONY: site
site: setup
	$(BIN)/python tools/site.py

clean:
	rm -rf $(VENV) $(OLDEST) build .pytest_cache
