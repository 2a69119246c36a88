"""Packaging: environment.yml agrees with pyproject.toml, and the digits data ships intact."""

import hashlib
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

try:
    import tomllib  # Python 3.11+
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[1]
SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"
REQ = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*?)\s*$")


def split_requirement(req: str):
    """'numpy>=1.24,<3' -> ('numpy', '>=1.24,<3'), names normalised (PEP 503)."""
    m = REQ.match(req)
    assert m, f"cannot parse requirement {req!r}"
    name = re.sub(r"[-_.]+", "-", m.group(1)).lower()
    return name, m.group(3).replace(" ", "")


def read_environment_yml():
    """A minimal line parser for environment.yml (no PyYAML needed).

    Returns ``(top-level keys, channels, conda dependencies, pip dependencies)``.
    """
    text = (ROOT / "environment.yml").read_text()
    keys, channels, conda, pip = {}, [], [], []
    section = None
    in_pip = False
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        body = line.strip()
        if indent == 0:
            key, _, value = body.partition(":")
            keys[key] = value.strip()
            section, in_pip = key, False
            continue
        assert body.startswith("- "), f"unexpected line in environment.yml: {raw!r}"
        item = body[2:].strip().strip("\"'")
        if section == "channels":
            channels.append(item)
        elif section == "dependencies":
            if item == "pip:":
                in_pip, pip_indent = True, indent
            elif in_pip and indent > pip_indent:
                pip.append(item)
            else:
                in_pip = False
                conda.append(item)
    return keys, channels, conda, pip


def conda_spec(item: str):
    """'numpy>=1.24,<3' or 'python=3.11' -> (name, spec)."""
    m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*)$", item)
    return m.group(1).lower(), m.group(2).replace(" ", "")


@pytest.fixture(scope="module")
def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


@pytest.fixture(scope="module")
def env():
    return read_environment_yml()


def test_environment_yml_uses_conda_forge_and_python_311(env):
    keys, channels, conda, _ = env
    assert keys.get("name"), "environment.yml needs a name"
    assert channels == ["conda-forge"]
    specs = dict(conda_spec(c) for c in conda)
    assert specs.get("python") == "=3.11", "python must be pinned exactly: python=3.11"
    assert "pip" in specs


def test_environment_yml_installs_package_with_lab_extra(env):
    _, _, _, pip = env
    assert "-e .[lab]" in pip


def test_environment_yml_names_the_same_packages_as_pyproject(env, pyproject):
    _, _, conda, _ = env
    project = pyproject["project"]
    wanted = dict(split_requirement(r) for r in project["dependencies"]
                  + project["optional-dependencies"]["lab"])
    have = {name: spec for name, spec in map(conda_spec, conda) if name not in ("python", "pip")}
    assert set(have) == set(wanted), (
        f"only in environment.yml: {sorted(set(have) - set(wanted))}; "
        f"only in pyproject.toml: {sorted(set(wanted) - set(have))}")
    for name, spec in wanted.items():
        assert have[name] == spec, f"{name}: environment.yml has {have[name]!r}, pyproject {spec!r}"


def test_environment_parser_on_a_sample(tmp_path, monkeypatch):
    """The line parser itself: nested pip list, comments, quotes."""
    sample = ("name: x  # comment\nchannels:\n  - conda-forge\ndependencies:\n"
              "  - python=3.11\n  - 'numpy>=1.24,<3'\n  - pip\n  - pip:\n"
              "      - -e .[lab]\n      - rich\n  - voila>=0.5,<0.6\n")
    (tmp_path / "environment.yml").write_text(sample)
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    keys, channels, conda, pip = read_environment_yml()
    assert keys["name"] == "x" and channels == ["conda-forge"]
    assert conda == ["python=3.11", "numpy>=1.24,<3", "pip", "voila>=0.5,<0.6"]
    assert pip == ["-e .[lab]", "rich"]


def test_packaged_digits_equal_repository_copy():
    packaged = (ROOT / "nnlib" / "data" / "digits.csv.gz").read_bytes()
    repo_copy = (ROOT / "data" / "digits.csv.gz").read_bytes()
    assert packaged == repo_copy
    assert hashlib.sha256(packaged).hexdigest() == SHA256


def test_data_readme_documents_the_checksum_and_source():
    readme = (ROOT / "data" / "README.md").read_text()
    digest = hashlib.sha256((ROOT / "data" / "digits.csv.gz").read_bytes()).hexdigest()
    assert digest in readme
    for needle in ("archive.ics.uci.edu/dataset/80", "Alpaydin", "Kaynak", "CC BY 4.0",
                   "10.24432/C50P49", "sklearn/datasets/data/digits.csv.gz",
                   "nnlib/data/digits.csv.gz"):
        assert needle in readme, needle


def test_library_checksum_matches_readme():
    from nnlib import data

    assert data.DIGITS_SHA256 == SHA256


def test_wheel_includes_digits_data_slow(tmp_path):
    """A regular (non-editable) install carries the data and ``load_digits`` works from it.

    Builds a real wheel (pip fetches the build backend, as ``make`` setup does), installs
    it into a private folder and loads the digits from that copy, not from the repository.
    """
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check",
         "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # the distribution is nn-first-principles (`nnlib` on the index is an unrelated 2018
    # package); the import name stays nnlib
    wheels = list(tmp_path.glob("*.whl"))
    assert [w.name.split("-")[0] for w in wheels] == ["nn_first_principles"], wheels
    with zipfile.ZipFile(wheels[0]) as zf:
        names = zf.namelist()
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        assert "\nName: nn-first-principles\n" in zf.read(metadata).decode()
        assert "nnlib/data/digits.csv.gz" in names
        assert hashlib.sha256(zf.read("nnlib/data/digits.csv.gz")).hexdigest() == SHA256
        assert "nnlib/data.py" in names and "nnlib/layers.py" in names
    site = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--disable-pip-version-check",
         "-q", "--target", str(site), str(wheels[0])],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import nnlib.data as d; "
            "from importlib.metadata import distribution as dist; "
            "assert d.__file__.startswith(sys.argv[1]), d.__file__; X, y = d.load_digits(); "
            "meta = dist('nn-first-principles'); "
            "top = meta.read_text('top_level.txt') or ''; "
            "print(X.shape, sorted(set(y.tolist())) == list(range(10)), meta.version, "
            "'nnlib' in top.split())")
    proc = subprocess.run([sys.executable, "-I", "-c", code, str(site)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "(1797, 64) True 0.1.0 True"
