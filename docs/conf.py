"""Sphinx configuration of the course website (``make site``, built by ``tools/site.py``).

The site is built from the stored, executed learner edition ``lessons/`` (never re-executed)
plus the pages in ``docs/``. ``tools/site.py`` lays the sources out in ``build/site/src``
(``index.md``, ``lessons/``, ``docs/``, ``api/``), installs MathJax from npm into
``build/site/npm`` and runs ``sphinx-build -W -c docs``; this file is that build's
configuration, so every relative path below is relative to ``docs/``.

Everything the pages load is served from the site itself: MathJax comes from npm (no CDN),
and the theme's fonts and scripts ship inside sphinx-book-theme.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import sphinx
from docutils import nodes

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
# the staged MathJax (tools/site.py copies it there from build/site/npm)
MATHJAX_STATIC = Path(os.environ.get("NNFP_SITE_STATIC", ROOT / "build" / "site" / "static"))


def _repository_url() -> str:
    """pyproject.toml's [project.urls] Repository, as tools/notebooks.py reads it for the Colab
    cell (not imported from there: that module loads nbclient, seconds of a build's time)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'^Repository\s*=\s*"https://github\.com/([^"]+)"', text, flags=re.M)
    if not match:
        raise ValueError('pyproject.toml lacks [project.urls] Repository = "https://github.com/..."')
    return match.group(1).strip("/")


GH_PATH = _repository_url()  # OWNER/NAME
REPO_URL = f"https://github.com/{GH_PATH}"
BRANCH = "main"

# -- project -------------------------------------------------------------------------------
project = "Neural Networks from First Principles"
author = "the course's authors"
copyright = "the course's authors, MIT licence"
root_doc = "index"
language = "en"

extensions = [
    "myst_nb",               # Markdown pages and the stored notebooks (also enables myst_parser)
    "sphinx.ext.autodoc",    # the API reference, from nnlib's docstrings
    "sphinx.ext.napoleon",   # NumPy/Google-style sections, should a docstring use them
]

# -- notebooks: shown as stored, never executed ----------------------------------------------
nb_execution_mode = "off"
nb_merge_streams = True
nb_render_markdown_format = "myst"  # text/markdown outputs (explorer captions) as MyST
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
exclude_patterns = ["**.ipynb_checkpoints"]
suppress_warnings: list[str] = []

# -- API reference -----------------------------------------------------------------------------
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
add_module_names = False

# -- HTML ------------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "Neural Networks from First Principles"
html_static_path = ["_static", str(MATHJAX_STATIC)]
html_css_files = ["site.css"]
html_favicon = "_static/favicon.svg"  # (without one, browsers ask for /favicon.ico: a 404)
html_copy_source = False           # the notebooks are offered as downloads instead
html_show_sourcelink = False
html_last_updated_fmt = None
# light unless the reader picks dark: the figures are drawn on white. (Without a default the
# theme logs "Got invalid theme mode" to the console on a first visit.)
html_context = {"default_mode": "light"}
html_theme_options = {
    "repository_url": REPO_URL,
    "repository_branch": BRANCH,
    "path_to_docs": "",
    "use_repository_button": True,
    "use_download_button": False,   # each lesson has its own "Download .ipynb" link
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "show_toc_level": 2,
}

# MathJax 4 from npm, served from _static/mathjax (tools/site.py puts it there); its font
# (@mathjax/mathjax-newcm-font) sits in _static/mathjax/fonts, not on a CDN.
mathjax_path = "mathjax/tex-mml-chtml.js"
_mathjax_config = {"loader": {"paths": {"fonts": "[mathjax]/fonts"}}}
if sphinx.version_info >= (9,):
    mathjax4_config = _mathjax_config
else:  # Sphinx 8.1 (the last on Python 3.10) names it after MathJax 3; MathJax 4 reads it alike
    mathjax3_config = _mathjax_config


# -- "Open in Colab / Binder / Download .ipynb" on every lesson ------------------------------
def launch_links(docname: str) -> list[tuple[str, str, str]]:
    """(label, href, extra attributes) of a lesson's launch row; ``docname`` is lessons/NN_x."""
    path = f"{docname}.ipynb"
    name = Path(path).name
    return [
        ("Open in Colab", f"https://colab.research.google.com/github/{GH_PATH}/blob/{BRANCH}/{path}",
         ""),
        ("Open in Binder", f"https://mybinder.org/v2/gh/{GH_PATH}/{BRANCH}?urlpath=lab/tree/{path}",
         ""),
        ("Download .ipynb", name, f' download="{name}"'),
    ]


def _add_launch_row(app, doctree):
    docname = app.env.docname
    if not docname.startswith("lessons/"):
        return
    links = "".join(f'<li><a class="nnfp-launch-link" href="{href}"{extra}>{label}</a></li>'
                    for label, href, extra in launch_links(docname))
    html = (f'<nav class="nnfp-launch" aria-label="Run or download this lesson">'
            f'<ul>{links}</ul></nav>\n')
    row = nodes.raw("", html, format="html")
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None and section.children and isinstance(section[0], nodes.title):
        section.insert(1, row)
    else:
        doctree.insert(0, row)


def _copy_notebooks(app, exception):
    """Put each lesson's stored .ipynb next to its page, for the download link."""
    if exception is not None or app.builder.format != "html":
        return
    for docname in app.env.found_docs:
        if docname.startswith("lessons/"):
            source = ROOT / f"{docname}.ipynb"  # as stored, not the staged copy
            target = Path(app.outdir) / f"{docname}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _require_mathjax(app):
    if not (MATHJAX_STATIC / "mathjax" / "tex-mml-chtml.js").is_file():
        from sphinx.errors import ConfigError

        raise ConfigError(f"MathJax is not staged in {MATHJAX_STATIC}: build the site with "
                          "`make site` (tools/site.py installs MathJax from npm)")


def setup(app):
    app.connect("builder-inited", _require_mathjax)
    app.connect("doctree-read", _add_launch_row)
    app.connect("build-finished", _copy_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
