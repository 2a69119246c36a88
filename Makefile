# Neural Networks from First Principles: two commands, `make lab` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
NB     ?= 03
PYTEST := $(BIN)/python -m pytest

.PHONY: setup lab test notebooks bench present student clean test-oldest test-colab

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

# `make lab`: the learner's JupyterLab on the learner edition. The project-local Jupyter
# config dir jupyter-config/learner/ (put first on JUPYTER_CONFIG_PATH) turns off what a learner
# does not need: nbgrader's lab extension (its menu, Validate button, Create Assignment panel)
# and server extensions, and JupyterLab's news prompt (plugin
# @jupyterlab/apputils-extension:announcements, which also checks for updates).
# `make teach`: JupyterLab as Jupyter ships it, with nbgrader's interface, for the teacher
# (docs/teaching.md); COURSE=dir starts it in an nbgrader course directory (default: here).
# Both: TCP_NODELAY on kernel websockets (docs/nodelay.md); LAB_ARGS adds JupyterLab options
# (e.g. LAB_ARGS=--no-browser); LAB_DIR=notebooks opens another folder as a learner.
LAB_DIR  ?= lessons
COURSE   ?= $(CURDIR)
LAB_ARGS ?=
LAB_OPTS  = --ServerApp.jpserver_extensions=nnlib_nodelay=True \
	$$([ "$$(id -u)" = 0 ] && echo --allow-root) $(LAB_ARGS)

.PHONY: teach
lab: setup
	JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter-config/learner$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
		$(BIN)/jupyter lab "$(LAB_DIR)" $(LAB_OPTS)

teach: setup
	cd "$(COURSE)" && "$(abspath $(BIN))/jupyter" lab . $(LAB_OPTS)

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
VERSION_TESTS := tests --ignore=tests/browser --ignore=tests/test_classroom.py \
	--ignore=tests/test_nbgrader.py --ignore=tests/test_packaging.py --ignore=tests/test_editions.py \
	--ignore=tests/test_nodelay.py
NBVAL_STRICT  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks lessons

test-oldest: $(OLDEST_STAMP)
	$(OLDEST)/bin/python -c 'import numpy, matplotlib, ipywidgets; print("oldest supported: numpy", numpy.__version__, "matplotlib", matplotlib.__version__, "ipywidgets", ipywidgets.__version__)'
	$(OLDEST)/bin/python -m pytest $(VERSION_TESTS)
	$(OLDEST)/bin/python -m pytest $(NBVAL_STRICT)

# Google Colab (issue 19 §1): each of its published runtimes in a venv of its own, with Colab's
# exact versions from tests/colab-constraints-<python>.txt (their source commit and date are in
# them). Python 3.12 is the pinned 2026.07 runtime, 3.13 the default since 2026-08-19. Each
# Python is found as a maintainer has it: `python3.12` on PATH if it runs, else the newest
# pyenv install of the series; a missing one is skipped with a message (COLAB_REQUIRE=1, as
# CI sets it, makes that an error). The course goes in as the Colab cell in every notebook
# installs it: `pip install --no-deps` (tools/notebooks.py, COLAB_CELL), from a clean copy of
# the working tree. Then `pip check`, and the same tests and strict nbval as test-oldest.
# `make test-colab-3.13` runs one runtime. About 2 min to install a runtime the first time.
COLAB_PYTHONS  := 3.12 3.13
COLAB_PACKAGES := numpy matplotlib ipywidgets ipykernel ipython traitlets jupyter_client \
	pyparsing pytest nbval nbclient nbformat hypothesis psutil
COLAB_REQUIRE  ?= 0
COLAB_DIR      := build/colab

# $(call colab-python,3.12): the path of that Python, or nothing
colab-python = $$( { python$(1) -c 'import sys; print(sys.executable)' || \
	"$$(pyenv root)/versions/$$(pyenv latest $(1))/bin/python$(1)" -c 'import sys; print(sys.executable)' || \
	"$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/$(1).* | sort -V | tail -n 1)/bin/python$(1)" -c 'import sys; print(sys.executable)'; \
	} 2>/dev/null | head -n 1)

.PHONY: $(COLAB_PYTHONS:%=test-colab-%)
test-colab: $(COLAB_PYTHONS:%=test-colab-%)

$(COLAB_PYTHONS:%=test-colab-%): export OPENBLAS_NUM_THREADS = 1
$(COLAB_PYTHONS:%=test-colab-%): export OMP_NUM_THREADS = 1
$(COLAB_PYTHONS:%=test-colab-%): export MKL_NUM_THREADS = 1
# ipykernel 6.17's debugger otherwise tells the kernel's stderr (not a cell's) on every start
# that Python 3.11+ uses frozen modules
$(COLAB_PYTHONS:%=test-colab-%): export PYDEVD_DISABLE_FILE_VALIDATION = 1

# The venv holds exactly the pinned versions: `pip freeze --all` is compared with the pins.
define COLAB_EXACT
import re, subprocess, sys
norm = lambda name: re.sub(r"[-_.]+", "-", name).lower()
pins = {}
for line in open(sys.argv[1]):
    line = line.split("#", 1)[0].strip()
    if "==" in line:
        name, version = line.split("==")
        pins[norm(name)] = version.strip()
freeze = subprocess.run([sys.executable, "-m", "pip", "freeze", "--all"], check=True,
                        capture_output=True, text=True).stdout.split()
have = dict((norm(n), v) for n, v in (p.split("==") for p in freeze if "==" in p))
have.pop("nn-first-principles", None)
bad = sorted(f"{n} {have.get(n, 'missing')} (pinned: {pins.get(n, 'no')})"
             for n in set(pins) | set(have) if pins.get(n) != have.get(n))
if bad:
    sys.exit("make test-colab: not Colab's versions: " + "; ".join(bad))
print(f"{len(pins)} packages installed, each at its pinned version: {sys.argv[1]}")
endef
export COLAB_EXACT

$(COLAB_DIR)/%/.installed-stamp: tests/colab-constraints-%.txt
	@py=$(call colab-python,$*); test -n "$$py" || { echo "no Python $*" >&2; exit 1; }; \
	rm -rf $(COLAB_DIR)/$*; echo "Colab's Python $* runtime: a venv from $$py"; \
	"$$py" -m venv $(COLAB_DIR)/$*
	$(COLAB_DIR)/$*/bin/python -m pip install --quiet -c $< pip
	$(COLAB_DIR)/$*/bin/python -m pip install --quiet -c $< $(COLAB_PACKAGES)
	@touch $@

$(COLAB_PYTHONS:%=test-colab-%): test-colab-%:
	@py=$(call colab-python,$*); if [ -z "$$py" ]; then \
		if [ "$(COLAB_REQUIRE)" = 1 ]; then \
			echo "make test-colab: no python$* on PATH or in pyenv, and COLAB_REQUIRE=1 (pyenv install $*)" >&2; \
			exit 1; \
		fi; \
		echo "make test-colab: SKIPPED Colab's Python $* runtime: no python$* on PATH or in pyenv (pyenv install $*)."; \
		exit 0; \
	fi; \
	$(MAKE) --no-print-directory $(COLAB_DIR)/$*/.installed-stamp && \
	$(MAKE) --no-print-directory colab-run-$*

# (called by test-colab-3.12 and -3.13 once their Python is known to exist)
.PHONY: $(COLAB_PYTHONS:%=colab-run-%)
$(COLAB_PYTHONS:%=colab-run-%): colab-run-%:
	rm -rf $(COLAB_DIR)/$*/src && mkdir -p $(COLAB_DIR)/$*/src
	git ls-files -z --cached --others --exclude-standard | \
		tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C $(COLAB_DIR)/$*/src
	$(COLAB_DIR)/$*/bin/python -m pip install --quiet --no-deps --force-reinstall ./$(COLAB_DIR)/$*/src
	$(COLAB_DIR)/$*/bin/python -m pip check
	@$(COLAB_DIR)/$*/bin/python -c "$$COLAB_EXACT" tests/colab-constraints-$*.txt
	@$(COLAB_DIR)/$*/bin/python -P -c 'import sys, numpy, matplotlib, ipywidgets, ipykernel, IPython, pyparsing, nnlib; \
		print("Colab Python", sys.version.split()[0], "numpy", numpy.__version__, "matplotlib", matplotlib.__version__, \
		"ipywidgets", ipywidgets.__version__, "ipykernel", ipykernel.__version__, "IPython", IPython.__version__, \
		"pyparsing", pyparsing.__version__, "nnlib from", nnlib.__file__)'
	$(COLAB_DIR)/$*/bin/python -P -m pytest $(VERSION_TESTS)
	$(COLAB_DIR)/$*/bin/python -P -m pytest $(NBVAL_STRICT)

# The course website, built from the stored learner edition lessons/ (not re-executed) with
# Sphinx + myst-nb, warnings as errors, offline once MathJax is installed from npm into
# build/site/npm: build/site/html (tools/site.py; tests/browser/test_site.py tests it).
.PHONY: site
site: setup
	$(BIN)/python tools/site.py

clean:
	rm -rf $(VENV) $(OLDEST) build .pytest_cache
