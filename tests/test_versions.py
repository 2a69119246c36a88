"""The supported versions: pyproject's floors are what `make test-oldest` installs.

pyproject.toml states the lowest numpy/matplotlib/ipywidgets the course supports;
tests/oldest-constraints.txt pins exactly those for `make test-oldest`; environment.yml
(conda, Binder) allows the same range. If one of the three moves, the others must follow.
"""

import re
from pathlib import Path

import pytest

try:
    import tomllib  # Python 3.11+
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = ("numpy", "matplotlib", "ipywidgets")


def _floor(spec: str) -> str:
    m = re.search(r">=\s*([0-9][0-9.]*)", spec)
    assert m, f"no lower bound in {spec!r}: every runtime dependency needs a tested floor"
    return m.group(1)


def _pyproject_floors():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    out = {}
    for dep in deps:
        name = re.match(r"[A-Za-z0-9_.-]+", dep).group(0).lower()
        out[name] = _floor(dep)
    return out


def _constraints():
    pins = {}
    for line in (ROOT / "tests" / "oldest-constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==")
            pins[name.strip().lower()] = version.strip()
    return pins


def test_every_runtime_dependency_has_a_floor_and_an_upper_bound():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert sorted(re.match(r"[a-z]+", d).group(0) for d in deps) == sorted(RUNTIME)
    for dep in deps:
        assert ">=" in dep and "<" in dep.replace("<=", ""), dep


def test_oldest_constraints_pin_exactly_the_floors():
    floors, pins = _pyproject_floors(), _constraints()
    assert set(pins) == set(RUNTIME)
    for name in RUNTIME:
        assert pins[name] == floors[name] or pins[name] == floors[name] + ".0", (
            f"{name}: pyproject allows >= {floors[name]} but make test-oldest installs "
            f"{pins[name]}")


def test_environment_yml_has_the_same_floors():
    text = (ROOT / "environment.yml").read_text()
    floors = _pyproject_floors()
    for name in RUNTIME:
        m = re.search(rf"^\s*-\s*{name}\s*>=\s*([0-9.]+)", text, re.M)
        assert m and m.group(1) == floors[name], f"environment.yml: {name} floor"


def test_floors_are_not_older_than_what_the_issue_found_broken():
    """numpy 1.24 and matplotlib 3.7 were claimed but never tested (issue 12 §4)."""
    floors = _pyproject_floors()

    def key(v):
        return tuple(int(p) for p in v.split("."))

    assert key(floors["numpy"]) >= (1, 26)
    assert key(floors["matplotlib"]) >= (3, 10)
    assert key(floors["ipywidgets"]) >= (8, 0, 5)


def test_makefile_has_test_oldest_with_the_constraints():
    make = (ROOT / "Makefile").read_text()
    assert re.search(r"^test-oldest:", make, re.M)
    assert "-c tests/oldest-constraints.txt" in make
    assert "--ignore=tests/browser" in make and "--nbval" in make.split("test-oldest:")[-1]
