"""The course website (``make site``) in a real Chromium.

The site is built here, the way ``make site`` builds it (tools/site.py: Sphinx + myst-nb from
the stored learner edition, ``-W``), with the network cut off for the build when the machine
allows it (``unshare --net``), then served from 127.0.0.1. Every page of the build is opened:

- it loads with no console error, page error or failed request, and asks for nothing outside
  the site (every other host is refused and counted: no CDN);
- MathJax has typeset every formula: no raw ``$…$``, ``\\frac``, ``\\(`` left in the text,
  no MathJax error box, and a lesson's formulas really are MathJax output;
- every link inside the site resolves, down to its ``#fragment``;
- axe-core (from npm) finds no serious or critical violation.

Full-text search is tried on a word of a lesson, and each lesson has its Colab, Binder and
download links. A summary goes to build/test-reports/site.txt.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

import pytest

# Not yet part of `make test` (issue 19 §2 open): on this shared, loaded machine the build took
# 123 s and the crawl 670 s, and the theme (pydata/sphinx-book-theme) still has 2 serious axe
# rules on every page (label-content-name-mismatch, summary-name). SITE_TEST=1 runs it.
pytestmark = pytest.mark.skipif(os.environ.get("SITE_TEST") != "1",
                                reason="site test is opt-in for now: SITE_TEST=1 (see top)")

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "build" / "test-reports" / "site.txt"
SHOTS = ROOT / "build" / "site" / "screenshots"
BLOCKING = {"serious", "critical"}
MATH_TIMEOUT_MS = 30_000

# text nodes outside code, scripts and MathJax's own output that still look like TeX
UNTYPESET = re.compile(r"\$[^$\s][^$\n]*\$|\\(?:frac|sum|partial|eta|sigma|alpha|left|right|"
                       r"mathbf|hat|cdot|times|leftarrow|to|sqrt|begin|end)\b|\\\(|\\\[")

JS_PAGE_FACTS = """() => {
  const skip = 'pre, code, script, style, textarea, mjx-container, .highlight, kbd, samp';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const parent = n.parentElement;
    if (parent && !parent.closest(skip) && n.textContent.trim()) texts.push(n.textContent);
  }
  return {
    text: texts.join('\\n'),
    math: document.querySelectorAll('mjx-container').length,
    mathErrors: Array.from(document.querySelectorAll('mjx-merror, [data-mjx-error]'))
                     .map(e => e.getAttribute('data-mjx-error') || e.textContent).slice(0, 5),
    ids: Array.from(document.querySelectorAll('[id]')).map(e => e.id)
           .concat(Array.from(document.querySelectorAll('a[name]')).map(e => e.name)),
    links: Array.from(document.querySelectorAll('a[href], link[href], script[src], img[src]'))
                .map(e => e.getAttribute('href') || e.getAttribute('src')),
    launch: Array.from(document.querySelectorAll('.nnfp-launch a'))
                 .map(a => [a.textContent.trim(), a.getAttribute('href')]),
    images: document.querySelectorAll('main img, article img').length,
  };
}"""

# MathJax has rendered every formula Sphinx marked (a .math element holding TeX); the
# speech for screen readers is computed afterwards in a web worker and not waited for
JS_MATH_RENDERED = """() => {
  const marked = Array.from(document.querySelectorAll('.math'));
  if (marked.length === 0) return true;
  return !!window.MathJax && marked.every(e => e.querySelector('mjx-container'));
}"""

JS_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                      help: v.help,
                                      targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def _site_tool():
    spec = importlib.util.spec_from_file_location("site_tool", ROOT / "tools" / "site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _no_network_prefix() -> list[str]:
    """``unshare --net`` (a network namespace with no interfaces up) when it works here."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    probe = subprocess.run([unshare, "--net", "true"], capture_output=True)
    return [unshare, "--net"] if probe.returncode == 0 else []


STATS: dict = {}


@pytest.fixture(scope="module")
def site():
    """Build the site (incrementally) as `make site` does, the build itself offline."""
    tool = _site_tool()
    try:
        import sphinx  # noqa: F401
        import sphinx_book_theme  # noqa: F401
    except ImportError:
        pytest.fail("the site's packages are missing: `make setup` installs the docs extra",
                    pytrace=False)
    tool.ensure_npm(quiet=True)  # MathJax and axe-core, once, from npm (needs the registry)
    offline = _no_network_prefix()
    start = time.monotonic()
    result = subprocess.run([*offline, sys.executable, str(ROOT / "tools" / "site.py")],
                            capture_output=True, text=True, cwd=ROOT)
    STATS["build_s"] = time.monotonic() - start
    STATS["offline"] = "no network (unshare --net)" if offline else "network not cut off"
    assert result.returncode == 0, f"make site failed:\n{result.stdout}\n{result.stderr}"
    assert "WARNING" not in result.stderr, result.stderr
    STATS["size_mb"] = tool.site_size() / 1e6
    return tool.HTML


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".mjs": "text/javascript",
                      ".woff2": "font/woff2", ".ipynb": "application/x-ipynb+json"}

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_page(browser, server):
    """One page that records console errors, page errors, failed and outside requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(60_000)
    outside: list[str] = []

    def guard(route):
        if route.request.url.startswith((server, "blob:", "data:")):
            route.continue_()
        else:  # offline: nothing may come from a CDN or any other host
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    pg.problems, pg.outside = [], outside

    def on_console(msg):
        if msg.type == "error":
            pg.problems.append(f"console.error: {msg.text} {msg.location.get('url', '')}")

    pg.on("console", on_console)
    pg.on("pageerror", lambda exc: pg.problems.append(f"page error: {exc}"))
    pg.on("requestfailed", lambda req: pg.problems.append(f"failed: {req.url} {req.failure}"))
    pg.on("response", lambda resp: resp.status >= 400 and pg.problems.append(
        f"HTTP {resp.status}: {resp.url}"))
    yield pg
    context.close()


def _pages(html: Path) -> list[str]:
    return sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html")
                  if not p.relative_to(html).as_posix().startswith("_"))


@pytest.fixture(scope="module")
def crawl(site, server, site_page):
    """Open every page once; collect what each test below asserts."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    axe_js = _site_tool().NODE_MODULES / "axe-core" / "axe.min.js"
    pages = {}
    start = time.monotonic()
    for rel in _pages(site):
        site_page.problems.clear()
        site_page.outside.clear()
        site_page.goto(f"{server}/{rel}", wait_until="load")
        try:
            site_page.wait_for_function(JS_MATH_RENDERED, timeout=MATH_TIMEOUT_MS, polling=100)
        except PlaywrightTimeout:  # test_math_is_typeset reports what is left raw
            pass
        facts = site_page.evaluate(JS_PAGE_FACTS)
        site_page.add_script_tag(path=str(axe_js))
        facts["axe"] = site_page.evaluate(JS_AXE)
        facts["problems"] = list(site_page.problems)
        facts["outside"] = list(site_page.outside)
        if rel.startswith("lessons/03_") or rel == "api/losses.html":
            SHOTS.mkdir(parents=True, exist_ok=True)
            site_page.screenshot(path=str(SHOTS / (rel.replace("/", "_") + ".png")))
        pages[rel] = facts
    STATS["crawl_s"] = time.monotonic() - start
    _write_report(pages)
    return pages


def _write_report(pages: dict) -> None:
    axe = Counter()
    for facts in pages.values():
        for v in facts["axe"]:
            axe[(v["id"], v["impact"])] += v["nodes"]
    lines = [f"site: {len(pages)} pages, {STATS.get('size_mb', 0):.1f} MB, built in "
             f"{STATS.get('build_s', 0):.1f} s ({STATS.get('offline')}), crawled in "
             f"{STATS.get('crawl_s', 0):.1f} s",
             f"console/page errors and failed requests: "
             f"{sum(len(f['problems']) for f in pages.values())}; outside requests: "
             f"{sum(len(f['outside']) for f in pages.values())}",
             f"typeset formulas: {sum(f['math'] for f in pages.values())}",
             "axe-core violations (rule, impact: elements): " + (", ".join(
                 f"{rule} ({impact}): {n}" for (rule, impact), n in sorted(axe.items()))
                 or "none")]
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


# ---------------------------------------------------------------------------------- tests
def test_every_lesson_is_on_the_site(site, crawl):
    lessons = sorted(p.stem for p in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
    assert lessons, "no lessons/ to build the site from"
    on_site = sorted(Path(rel).stem for rel in crawl if rel.startswith("lessons/"))
    assert on_site == lessons
    for rel, facts in crawl.items():
        if rel.startswith("lessons/"):
            assert facts["images"] > 0, f"{rel}: no figure or explorer preview shown"


def test_pages_load_without_errors(crawl):
    bad = {rel: f["problems"] + [f"outside request: {u}" for u in f["outside"]]
           for rel, f in crawl.items() if f["problems"] or f["outside"]}
    assert not bad, json.dumps(bad, indent=1)


def test_math_is_typeset(crawl):
    raw = {}
    for rel, facts in crawl.items():
        found = [m.group(0) for m in UNTYPESET.finditer(facts["text"])]
        if found or facts["mathErrors"]:
            raw[rel] = {"untypeset": found[:5], "mathjax errors": facts["mathErrors"]}
    assert not raw, json.dumps(raw, indent=1, ensure_ascii=False)
    lessons = {rel: f["math"] for rel, f in crawl.items() if rel.startswith("lessons/")}
    assert all(n > 0 for n in lessons.values()), f"a lesson without typeset math: {lessons}"


def test_internal_links_resolve(site, crawl):
    broken = []
    for rel, facts in crawl.items():
        for href in facts["links"]:
            if not href or re.match(r"^[a-z][a-z0-9+.-]*:", href) or href.startswith("//"):
                continue  # outside links (Colab, Binder, the repository), mailto:, data:, ...
            url = urllib.parse.urlsplit(urllib.parse.urljoin(f"/{rel}", href))
            target = urllib.parse.unquote(url.path).lstrip("/") or "index.html"
            if target.endswith("/"):
                target += "index.html"
            if not (site / target).is_file():
                broken.append(f"{rel}: {href} (no {target})")
            elif url.fragment and target in crawl and url.fragment not in crawl[target]["ids"]:
                broken.append(f"{rel}: {href} (no #{url.fragment} in {target})")
    assert not broken, "\n".join(sorted(set(broken)))


def test_no_serious_accessibility_violation(crawl):
    blocking = {rel: [v for v in f["axe"] if v["impact"] in BLOCKING]
                for rel, f in crawl.items()}
    blocking = {rel: vs for rel, vs in blocking.items() if vs}
    assert not blocking, json.dumps(blocking, indent=1)


def test_each_lesson_links_to_colab_binder_and_its_notebook(site, crawl):
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    repo = re.search(r'^Repository\s*=\s*"https://github\.com/([^"]+)"', text, re.M).group(1)
    for rel, facts in crawl.items():
        if not rel.startswith("lessons/"):
            continue
        path = rel.replace(".html", ".ipynb")
        assert dict(facts["launch"]) == {
            "Open in Colab": f"https://colab.research.google.com/github/{repo}/blob/main/{path}",
            "Open in Binder": f"https://mybinder.org/v2/gh/{repo}/main?urlpath=lab/tree/{path}",
            "Download .ipynb": Path(path).name,
        }, rel
        # the download is the stored notebook itself, byte for byte
        assert (site / path).read_bytes() == (ROOT / path).read_bytes()


def test_full_text_search_finds_a_lesson(site_page, server, crawl):
    site_page.problems.clear()
    site_page.goto(f"{server}/search.html?q=backpropagation")
    site_page.wait_for_selector("#search-results ul.search li", timeout=30_000)
    hits = site_page.eval_on_selector_all("#search-results ul.search li a",
                                          "as => as.map(a => a.getAttribute('href'))")
    assert any("lessons/06_backpropagation" in h for h in hits), hits
    assert not site_page.problems, site_page.problems
