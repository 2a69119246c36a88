"""Build the course website (``make site``): a static site in ``build/site/html``.

What it is built from: the stored, executed learner edition ``lessons/`` (never re-executed),
the home page ``docs/index.md``, the teacher's guide and the other learner-facing pages of
``docs/``, and an API reference generated from ``nnlib``'s docstrings. Sphinx with myst-nb and
sphinx-book-theme (the ``docs`` extra) does the work; the configuration is ``docs/conf.py``.

Steps, each skipped when already done:

1. npm: MathJax 4 (and axe-core, for the site's browser test) into ``build/site/npm``,
   the way ``.ci/run`` installs configurable-http-proxy into ``build/classroom/npm``.
2. static: the parts of MathJax the pages load (TeX input, CommonHTML output, its font,
   the menu and the speech/accessibility components) into ``build/site/static/mathjax``.
3. sources: ``build/site/src`` laid out as the site: ``index.md``, ``lessons/*.ipynb``,
   ``docs/*.md``, ``api/*.md``. A file is rewritten only when its content changes, so
   Sphinx rebuilds only what changed.
4. ``sphinx-build -W`` (warnings are errors), offline: no page or tool fetches anything.

Usage: python tools/site.py [--clean] [--quiet]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "site"
NPM_PREFIX = BUILD / "npm"
NODE_MODULES = NPM_PREFIX / "node_modules"
STATIC = BUILD / "static"
SRC = BUILD / "src"
HTML = BUILD / "html"
DOCTREES = BUILD / "doctrees"

# npm packages, exact versions (MathJax's font package comes with it, at the version it names)
NPM_PACKAGES = {"mathjax": "4.1.3", "axe-core": "4.14.1"}

# docs/ pages that are part of the site (learner- and teacher-facing; authoring.md and
# nodelay.md are for maintainers). Optional pages may be absent: a toctree line of
# docs/index.md that names an absent one is left out of the staged index.
DOC_PAGES = ["teaching.md", "notation.md", "concepts.md"]
OPTIONAL_DOC_PAGES = ["mistakes.md"]

COLAB_TAG = "colab-setup"  # tools/notebooks.py: the Colab install cell, a no-op on the site

# MathJax files served with the site: the combined TeX+MathML → CommonHTML component and what
# it loads on demand (TeX extensions, the menu, the accessibility and speech components).
MATHJAX_KEEP = ["tex-mml-chtml.js", "input", "output", "ui", "a11y", "sre", "adaptors",
                "LICENSE", "package.json"]
FONT_PACKAGE = "@mathjax/mathjax-newcm-font"
FONT_KEEP = ["chtml.js", "chtml", "package.json"]  # Apache-2.0, named in package.json


def log(msg: str, quiet: bool = False) -> None:
    if not quiet:
        print(f"site: {msg}", flush=True)


# ------------------------------------------------------------------------------------- npm
def npm_installed() -> bool:
    for name, version in NPM_PACKAGES.items():
        pkg = NODE_MODULES / name / "package.json"
        if not pkg.is_file() or json.loads(pkg.read_text())["version"] != version:
            return False
    return (NODE_MODULES / FONT_PACKAGE / "chtml.js").is_file()


def ensure_npm(quiet: bool = False) -> None:
    """MathJax and axe-core from the npm registry into build/site/npm (once)."""
    if npm_installed():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("site: npm is needed once, to install MathJax and axe-core "
                         "(Debian: apt-get install npm; .ci/run installs it)")
    specs = [f"{name}@{version}" for name, version in NPM_PACKAGES.items()]
    log(f"installing {' '.join(specs)} into {NPM_PREFIX.relative_to(ROOT)}", quiet)
    NPM_PREFIX.mkdir(parents=True, exist_ok=True)
    subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix",
                    str(NPM_PREFIX), *specs], check=True)
    if not npm_installed():
        raise SystemExit(f"site: npm install finished but {NODE_MODULES} lacks "
                         f"{', '.join(specs)} or {FONT_PACKAGE}")


def stage_mathjax() -> None:
    """Copy the MathJax the pages need into build/site/static/mathjax (its font in fonts/)."""
    target = STATIC / "mathjax"
    stamp = target / ".staged-from"
    source_id = json.dumps({n: json.loads((NODE_MODULES / n / "package.json").read_text())
                            ["version"] for n in ("mathjax", FONT_PACKAGE)})
    if stamp.is_file() and stamp.read_text() == source_id:
        return
    shutil.rmtree(target, ignore_errors=True)
    for name in MATHJAX_KEEP:
        _copy(NODE_MODULES / "mathjax" / name, target / name)
    # loader.paths.fonts = "[mathjax]/fonts" (docs/conf.py), so the font is fonts/<name>
    font_target = target / "fonts" / FONT_PACKAGE.split("/")[1]
    for name in FONT_KEEP:
        _copy(NODE_MODULES / FONT_PACKAGE / name, font_target / name)
    stamp.write_text(source_id)


def _copy(source: Path, target: Path) -> None:
    if not source.exists():
        raise SystemExit(f"site: {source} missing: the MathJax package changed its layout")
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copy2(source, target)


# --------------------------------------------------------------------------------- sources
def api_pages() -> dict[str, str]:
    """One page per nnlib module, in the order nnlib lists them, plus an index."""
    sys.path.insert(0, str(ROOT))
    import nnlib
    from nnlib import explore

    modules = sorted(nnlib._SUBMODULES)
    pages = {}
    for name in modules:
        module = f"nnlib.{name}"
        body = f"# `{module}`\n\n```{{automodule}} {module}\n```\n"
        if name == "explore":
            # the package's two classes, then each lesson's explorers
            body = (f"# `{module}`\n\n```{{automodule}} {module}\n:members: Explorer, Scene\n"
                    f"```\n")
            for lesson in explore._LESSONS:
                body += (f"\n## `{module}.{lesson}`\n\n```{{automodule}} {module}.{lesson}\n"
                         f":no-index:\n```\n")
        pages[f"api/{name}.md"] = body
    toc = "\n".join(modules)
    pages["api/index.md"] = (
        "# API reference: `nnlib`\n\n"
        "Every public function and class of `nnlib`, the small NumPy package the lessons "
        "import, from its docstring: the formula it computes, the shapes it takes and "
        "returns, the errors it raises.\n\n"
        f"```{{automodule}} nnlib\n:no-members:\n```\n\n"
        f"```{{toctree}}\n:maxdepth: 1\n\n{toc}\n```\n")
    return pages


def lesson_for_site(path: Path) -> str:
    """The stored lesson, with its Colab install cell tagged ``remove-cell`` (a no-op here)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if COLAB_TAG in tags and "remove-cell" not in tags:
            cell["metadata"]["tags"] = [*tags, "remove-cell"]
    return json.dumps(nb, ensure_ascii=False, indent=1) + "\n"


def index_for_site(present: set[str]) -> str:
    """docs/index.md without toctree lines naming an optional page that is absent."""
    lines = []
    for line in (ROOT / "docs" / "index.md").read_text(encoding="utf-8").splitlines():
        entry = line.strip()
        if (entry.startswith("docs/") and entry + ".md" not in present
                and Path(entry).name + ".md" in OPTIONAL_DOC_PAGES):
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


def stage_sources(quiet: bool = False) -> int:
    """Lay out build/site/src; returns how many files were (re)written."""
    wanted: dict[str, str] = {}
    for nb in sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb")):
        wanted[f"lessons/{nb.name}"] = lesson_for_site(nb)
    for name in DOC_PAGES + OPTIONAL_DOC_PAGES:
        path = ROOT / "docs" / name
        if path.is_file():
            wanted[f"docs/{name}"] = path.read_text(encoding="utf-8")
        elif name in OPTIONAL_DOC_PAGES:
            log(f"docs/{name} absent: the site leaves it out", quiet)
        else:
            raise SystemExit(f"site: docs/{name} is missing")
    for page in sorted((ROOT / "docs" / "site").glob("*.md")):
        wanted[page.name] = page.read_text(encoding="utf-8")
    wanted.update(api_pages())
    wanted["index.md"] = index_for_site(set(wanted))

    written = 0
    for rel, text in wanted.items():
        path = SRC / rel
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written += 1
    for path in sorted(SRC.rglob("*"), reverse=True):  # files no longer part of the site
        rel = path.relative_to(SRC).as_posix()
        if path.is_file() and rel not in wanted:
            path.unlink()
            written += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return written


# ----------------------------------------------------------------------------------- build
def build(clean: bool = False, quiet: bool = False) -> float:
    """Build build/site/html; returns seconds taken."""
    start = time.perf_counter()
    if clean:
        for path in (SRC, HTML, DOCTREES, STATIC):
            shutil.rmtree(path, ignore_errors=True)
    ensure_npm(quiet)
    stage_mathjax()
    changed = stage_sources(quiet)
    log(f"{changed} source file(s) changed in {SRC.relative_to(ROOT)}", quiet)
    cmd = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", "-q",
           "-c", str(ROOT / "docs"), "-d", str(DOCTREES), str(SRC), str(HTML)]
    env = dict(os.environ, NNFP_SITE_STATIC=str(STATIC))
    env.setdefault("MPLBACKEND", "Agg")
    result = subprocess.run(cmd, cwd=ROOT, env=env)
    if result.returncode != 0:
        raise SystemExit(f"site: sphinx-build failed (exit {result.returncode}); "
                         "warnings are errors: fix the page or docstring named above")
    seconds = time.perf_counter() - start
    log(f"built {HTML.relative_to(ROOT)}/index.html in {seconds:.1f} s "
        f"({site_size() / 1e6:.1f} MB)", quiet)
    return seconds


def site_size() -> int:
    return sum(p.stat().st_size for p in HTML.rglob("*") if p.is_file())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clean", action="store_true", help="rebuild everything from scratch")
    parser.add_argument("--quiet", action="store_true", help="print only errors")
    args = parser.parse_args(argv)
    build(clean=args.clean, quiet=args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
