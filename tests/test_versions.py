"""The supported versions: pyproject's floors are versions a test venv installs and passes with.

pyproject.toml states the lowest numpy/matplotlib/ipywidgets the course supports. Two
version venvs test them: `make test-oldest` (tests/oldest-constraints.txt, the lowest
versions with today's Jupyter) and `make test-colab` (tests/colab-constraints-*.txt, Google
Colab's exact published versions, issue 19 §1). Every floor is the lowest version one of
them pins, every pin is inside the declared range (so `pip check` can pass), and
environment.yml (conda, Binder) allows the same range. If one of them moves, the others
must follow.
"""

import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

try:
    import tomllib  # Python 3.11+
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = ("numpy", "matplotlib", "ipywidgets")
OLDEST = ROOT / "tests" / "oldest-constraints.txt"
# Colab's runtimes (googlecolab/backend-info pip-freeze.txt): Python -> (commit, date)
COLAB = {"3.12": ("ec53f93", "2026-07-14"), "3.13": ("a724079", "2026-08-19")}


def _colab_file(python: str) -> Path:
    return ROOT / "tests" / f"colab-constraints-{python}.txt"


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements() -> dict[str, Requirement]:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    return {_norm(Requirement(d).name): Requirement(d) for d in deps}


def _floor(req: Requirement) -> str:
    lows = [s.version for s in req.specifier if s.operator == ">="]
    assert len(lows) == 1, f"{req}: every runtime dependency needs one tested floor (>=)"
    return lows[0]


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==")
            pins[_norm(name)] = version.strip()
    return pins


def _all_constraint_files() -> list[Path]:
    return [OLDEST] + [_colab_file(p) for p in COLAB]


def test_every_runtime_dependency_has_a_floor_and_an_upper_bound():
    reqs = _requirements()
    assert sorted(reqs) == sorted(RUNTIME)
    for req in reqs.values():
        _floor(req)
        assert any(s.operator == "<" for s in req.specifier), f"{req}: no upper bound"


def test_oldest_constraints_pin_only_the_runtime_dependencies():
    assert set(_pins(OLDEST)) == set(RUNTIME)


def test_each_floor_is_the_lowest_version_a_test_venv_installs():
    """numpy and matplotlib from test-oldest, ipywidgets 7.7.1 from test-colab."""
    reqs = _requirements()
    files = _all_constraint_files()
    for name in RUNTIME:
        lowest = min((Version(_pins(f)[name]), f.name) for f in files)
        assert Version(_floor(reqs[name])) == lowest[0], (
            f"{name}: pyproject allows >= {_floor(reqs[name])} but the lowest version any "
            f"test venv installs is {lowest[0]} ({lowest[1]})")


@pytest.mark.parametrize("path", _all_constraint_files(), ids=lambda p: p.name)
def test_every_pinned_runtime_version_is_inside_the_declared_range(path):
    """What `pip check` asks of the installed course: Colab's versions must satisfy it."""
    pins = _pins(path)
    for name, req in _requirements().items():
        assert req.specifier.contains(pins[name], prereleases=False), (
            f"{path.name} installs {name} {pins[name]}, outside pyproject's {req}")


def test_ipywidgets_range_has_colab_s_7_7_and_8_from_8_0_5():
    spec = _requirements()["ipywidgets"].specifier
    assert spec.contains("7.7.1") and spec.contains("8.0.5") and spec.contains("8.1.9")
    # 8.0.0-8.0.4 warn on every widget with ipykernel >= 6.22 (pyproject.toml); 9 is untested
    assert not any(spec.contains(v) for v in ("8.0.0", "8.0.4", "9.0.0", "7.6.5"))


def test_environment_yml_has_the_same_ranges():
    text = (ROOT / "environment.yml").read_text()
    for name, req in _requirements().items():
        m = re.search(rf"^\s*-\s*{name}\s*([<>=!].*?)\s*$", text, re.M)
        assert m, f"environment.yml: no {name}"
        assert sorted(m.group(1).split(",")) == sorted(str(req.specifier).split(",")), (
            f"environment.yml: {name}{m.group(1)}, pyproject {req}")


def test_floors_are_not_older_than_what_the_issues_found_broken():
    """numpy 1.24 and matplotlib 3.7 were claimed but never tested (issue 12 §4); 3.8.0
    failed test-oldest; ipywidgets below Colab's 7.7.1 was never tested (issue 19 §1)."""
    reqs = _requirements()
    assert Version(_floor(reqs["numpy"])) >= Version("1.26")
    assert Version(_floor(reqs["matplotlib"])) >= Version("3.10")
    assert Version(_floor(reqs["ipywidgets"])) >= Version("7.7.1")


@pytest.mark.parametrize("python", sorted(COLAB))
def test_colab_constraints_name_their_source_and_pin_colab_s_versions(python):
    """The versions issue 19 found on Colab's runtimes, read off Colab's pip-freeze.txt."""
    path = _colab_file(python)
    text = path.read_text()
    commit, date = COLAB[python]
    assert "googlecolab/backend-info" in text and commit in text and date in text, (
        f"{path.name} must name its source: repository, commit {commit}, date {date}")
    pins = _pins(path)
    common = {"ipywidgets": "7.7.1", "matplotlib": "3.10.0", "ipykernel": "6.17.1",
              "ipython": "7.34.0", "traitlets": "5.7.1", "jupyter-client": "7.4.9",
              "pyparsing": "3.3.2", "pip": "24.1.2"}
    numpy = {"3.12": "2.0.2", "3.13": "2.1.3"}[python]
    for name, version in {**common, "numpy": numpy}.items():
        assert pins.get(name) == version, f"{path.name}: {name} {pins.get(name)}, Colab {version}"
    # the test tools are pinned too, so the venv is the same every time
    for name in ("pytest", "nbval", "nbclient", "nbformat", "hypothesis", "psutil"):
        assert name in pins, f"{path.name}: {name} is not pinned"


def _make_target(make: str, name: str) -> str:
    """The recipe lines of ``name:`` (a static pattern rule counts) up to the next rule."""
    m = re.search(rf"^[^\n#]*\b{re.escape(name)}[^\n]*:[^\n=]*\n((?:\t[^\n]*\n)+)", make, re.M)
    assert m, f"Makefile: no recipe for {name}"
    return m.group(1)


def test_makefile_has_test_oldest_with_the_constraints():
    make = (ROOT / "Makefile").read_text()
    assert "-c tests/oldest-constraints.txt" in make
    run = _make_target(make, "test-oldest")
    assert "$(VERSION_TESTS)" in run and "$(NBVAL_STRICT)" in run
    assert re.search(r"^VERSION_TESTS\s*:=\s*tests --ignore=tests/browser ", make, re.M)


def test_makefile_test_colab_installs_colab_s_versions_and_the_course_without_deps():
    make = (ROOT / "Makefile").read_text()
    assert re.search(r"^test-colab:.*test-colab-", make, re.M)
    assert re.search(r"^COLAB_PYTHONS\s*:=\s*3\.12 3\.13\s*$", make, re.M)
    assert "tests/colab-constraints-%.txt" in make  # one constraints file per Python
    run = _make_target(make, "colab-run-%")
    assert "pip install --quiet --no-deps" in run, "the course goes in as the Colab cell does"
    assert "pip check" in run
    # the same tests as test-oldest (one list), and strict nbval on both editions
    assert "$(VERSION_TESTS)" in run and "$(VERSION_TESTS)" in _make_target(make, "test-oldest")
    assert "$(NBVAL_STRICT)" in run
    assert re.search(r"^NBVAL_STRICT\s*:=\s*--nbval --nbval-current-env .*notebooks lessons$",
                     make, re.M)


def test_the_colab_cell_installs_without_deps_and_leaves_widgets_alone():
    source = (ROOT / "tools" / "notebooks.py").read_text()
    cell = re.search(r"^COLAB_CELL = f'''(.*?)'''", source, re.M | re.S)
    assert cell, "tools/notebooks.py: COLAB_CELL not found"
    code = "\n".join(line for line in cell.group(1).splitlines()
                     if not line.lstrip().startswith("#"))
    assert '"--no-deps"' in code
    assert "ipywidgets" not in code, "the Colab cell must not install or upgrade ipywidgets"
    assert "enable_custom_widget_manager" not in code


def test_ci_runs_test_colab():
    ci = (ROOT / ".ci" / "run").read_text()
    lines = [line.strip() for line in ci.splitlines() if not line.lstrip().startswith("#")]
    assert any(line.startswith("make test-colab") for line in lines)
