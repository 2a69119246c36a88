"""Slider sweeps without a browser: every control of every explorer, over its whole range.

Explorers are discovered dynamically: every module in ``nnlib.explore`` (except ``_private``
ones) lists its factories in ``EXPLORERS``. For each explorer we build it with its defaults
and drive the *real* widget objects (``explorer.controls[name].value = v``), exactly what a
slider drag does in the browser (the kernel side of it):

- single-control sweeps: both ends plus an interior grid (sliders), every option (dropdowns,
  toggle buttons), True/False (checkboxes); every other control stays at its default;
- pairwise sweeps: for each pair of controls a coarse 3×3 grid (min, middle, max);
- learning-rate controls (name ``lr`` or "η"/"learning rate" in the description): at the
  maximum, a scene that has a divergence message must show "diverged" in a visible text artist.

Every position must render a PNG without an exception, without ``explorer.error`` and without
any warning; moving a single control away from its default must change the PNG; and going
back to the defaults must reproduce the default PNG (no state leaks between updates).

Also: no figure uses two colours that colour-blind readers confuse (vermillion vs orange).

A summary (positions swept, render times) is written to ``build/test-reports/sweeps.txt``.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import pkgutil
import statistics
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pytest

import nnlib.explore

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "build" / "test-reports" / "sweeps.txt"
PNG_MAGIC = b"\x89PNG"
INTERIOR = 7          # interior grid points of a single-control sweep
SLOW_MS = 120.0       # explorers slower than this per update get coarser grids
SLOW_INTERIOR = 3     # ... and so do explorers with more than MANY_CONTROLS controls
MANY_CONTROLS = 5
PAIR_BUDGET = 100     # pairwise positions per explorer before falling back to 2×2 grids


# The one warning tolerated here: matplotlib before 3.10.7 (Colab ships 3.10.0) builds its
# font-pattern and mathtext parsers with camelCase pyparsing names ('oneOf', 'parseString')
# and arguments ('endQuoteChar') that pyparsing 3.3 deprecates (Colab ships 3.3.2; matplotlib
# issue 30617). Only pyparsing's two rename messages, only as a DeprecationWarning: the same
# exception as pyproject.toml's filterwarnings (which says why not by module), which the
# "error" filter below would otherwise override.
PYPARSING_RENAMED = r"'[A-Za-z]+' (deprecated - use|argument is deprecated, use) '[A-Za-z_]+'"


@contextlib.contextmanager
def _warnings_as_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", message=PYPARSING_RENAMED, category=DeprecationWarning)
        yield


# --------------------------------------------------------------------------- discovery
def _discover():
    """``[(id, factory_or_None, import_error_or_None)]`` for every explorer module."""
    cases, modules = [], []
    for info in sorted(pkgutil.iter_modules(nnlib.explore.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        name = f"nnlib.explore.{info.name}"
        try:
            module = importlib.import_module(name)
        except Exception as exc:  # a module being written must fail its own case, not collection
            cases.append((info.name, None, f"import {name} failed: {exc!r}"))
            continue
        modules.append(module)
        factories = getattr(module, "EXPLORERS", None)
        if factories is None:  # still sweep them; test_modules_declare_explorers reports it
            factories = _explore_functions(module)
        for factory in factories:
            cases.append((f"{info.name}.{factory.__name__}", factory, None))
    return cases, modules


def _explore_functions(module):
    return [obj for name, obj in vars(module).items()
            if name.startswith("explore_") and inspect.isfunction(obj)
            and obj.__module__ == module.__name__]


CASES, MODULES = _discover()


def test_modules_declare_explorers():
    """Each explorer module lists every one of its ``explore_*`` factories in ``EXPLORERS``."""
    problems = []
    for module in MODULES:
        declared = getattr(module, "EXPLORERS", None)
        defined = _explore_functions(module)
        if declared is None:
            problems.append(f"{module.__name__}: no EXPLORERS list "
                            f"(defines {[f.__name__ for f in defined]})")
            continue
        missing = [f.__name__ for f in defined if f not in declared]
        if missing:
            problems.append(f"{module.__name__}: EXPLORERS misses {missing}, "
                            "so they are never swept")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- sweep values
def _snap(value, lo, hi, step):
    if step:
        value = lo + round((value - lo) / step) * step
    return min(max(value, lo), hi)


def _clean(values, is_int=False):
    out = []
    for v in values:
        v = int(v) if is_int else float(v)
        if not any(np.isclose(v, u, rtol=1e-9, atol=1e-12) for u in out):
            out.append(v)
    return out


def sweep_values(w, interior=INTERIOR):
    """Every value a single-control sweep tries for widget ``w`` (ends first)."""
    if isinstance(w, widgets.FloatLogSlider):
        exps = [w.min, w.max] + list(np.linspace(w.min, w.max, interior + 2)[1:-1])
        return _clean(w.base ** _snap(e, w.min, w.max, w.step) for e in exps)
    if isinstance(w, (widgets.IntSlider, widgets.BoundedIntText)):
        if (w.max - w.min) // (w.step or 1) <= interior + 1:
            return list(range(w.min, w.max + 1, w.step or 1))
        grid = np.linspace(w.min, w.max, interior + 2)[1:-1]
        return _clean([w.min, w.max] + [_snap(round(g), w.min, w.max, w.step) for g in grid], True)
    if isinstance(w, (widgets.FloatSlider, widgets.BoundedFloatText)):
        grid = np.linspace(w.min, w.max, interior + 2)[1:-1]
        return _clean([w.min, w.max] + [_snap(g, w.min, w.max, w.step) for g in grid])
    if isinstance(w, (widgets.Checkbox, widgets.ToggleButton)):
        return [True, False]
    if isinstance(w, (widgets.SelectionSlider, widgets.Dropdown, widgets.ToggleButtons,
                      widgets.RadioButtons, widgets.Select)):
        return list(w._options_values)
    raise TypeError(f"test_sweeps does not know how to sweep a {type(w).__name__}; "
                    "use a slider, dropdown, toggle buttons or checkbox")


def coarse_values(w):
    """min, middle, max (or every option/boolean when there are at most three)."""
    values = sweep_values(w, interior=1)
    if len(values) <= 3:
        return values
    if isinstance(w, (widgets.FloatSlider, widgets.IntSlider, widgets.FloatLogSlider)):
        return values[:3]  # ends first, then the single interior point
    return [values[0], values[len(values) // 2], values[-1]]


def pair_plan(controls, budget=PAIR_BUDGET):
    """``[(a, b, values_a, values_b)]``: every pair of controls on a coarse grid.

    3×3 (min, middle, max) while the explorer's pairwise positions stay within ``budget``;
    explorers with many controls get 2×2 (the two ends), which still crosses every pair of
    extremes.
    """
    names = list(controls)
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    grids = {n: coarse_values(controls[n]) for n in names}
    if sum(len(grids[a]) * len(grids[b]) for a, b in pairs) > budget:
        grids = {n: [g[0], g[-1]] if len(g) > 2 else g for n, g in grids.items()}
    return [(a, b, grids[a], grids[b]) for a, b in pairs]


def is_learning_rate(name, w):
    desc = (getattr(w, "description", "") or "").lower()
    return name == "lr" or "η" in desc or "learning rate" in desc


# --------------------------------------------------------------------------- bookkeeping
@dataclass
class Stats:
    positions: int = 0
    renders_ms: list = field(default_factory=list)
    seconds: float = 0.0


STATS: dict[str, Stats] = {}


@pytest.fixture(scope="module", autouse=True)
def _write_summary():
    start = time.perf_counter()
    yield
    total = sum(s.positions for s in STATS.values())
    all_ms = sorted(ms for s in STATS.values() for ms in s.renders_ms)
    lines = [f"slider sweeps: {total} positions across {len(STATS)} explorers "
             f"in {time.perf_counter() - start:.1f} s"]
    if all_ms:
        lines.append(f"update time: median {statistics.median(all_ms):.1f} ms, "
                     f"p95 {all_ms[int(0.95 * (len(all_ms) - 1))]:.1f} ms")
    for key, s in sorted(STATS.items()):
        ms = sorted(s.renders_ms) or [0.0]
        lines.append(f"  {key:48s} {s.positions:5d} positions  {s.seconds:5.1f} s  "
                     f"median {statistics.median(ms):5.1f} ms  max {ms[-1]:6.1f} ms")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n" + lines[0])


# --------------------------------------------------------------------------- helpers
def _png(explorer) -> bytes:
    """The explorer's current image as bytes (``Image.value`` is a memoryview)."""
    value = explorer.image.value
    return bytes(value) if value is not None else b""


def _visible_texts(explorer):
    from matplotlib.text import Text

    fig = getattr(explorer.scene, "fig", None)
    if fig is None:  # a plain render function: draw it once more to look at its texts
        fig = explorer.scene(**explorer.params)
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def _mentions_divergence(explorer, factory):
    sources = [factory.__doc__ or "", explorer.hint or ""]
    try:
        sources.append(inspect.getsource(type(explorer.scene)))
    except (TypeError, OSError):
        pass
    return any("diverg" in s.lower() for s in sources)


class Driver:
    """Sets controls on a live explorer and checks every resulting render."""

    def __init__(self, key, explorer):
        self.key, self.explorer = key, explorer
        self.stats = STATS.setdefault(key, Stats())
        self.failures: list[str] = []

    def set(self, name, value):
        w = self.explorer.controls[name]
        where = f"{name}={value!r}"
        moved = w.value != value
        try:
            w.value = value
        except Exception as exc:  # includes warnings (they are errors here)
            self.failures.append(f"{where}: {type(exc).__name__}: {exc}")
            return None
        if moved:  # a new position was rendered (setting an unchanged value renders nothing)
            self.stats.positions += 1
        if moved and self.explorer.last_ms is not None:
            self.stats.renders_ms.append(self.explorer.last_ms)
        if self.explorer.error is not None:
            self.failures.append(f"{where}: explorer.error = {self.explorer.error}")
            return None
        png = _png(self.explorer)
        if not (isinstance(png, bytes) and png.startswith(PNG_MAGIC)):
            self.failures.append(f"{where}: the image is not a PNG ({png[:8]!r})")
            return None
        return png

    def restore(self, defaults):
        for name, value in defaults.items():
            if self.explorer.controls[name].value != value:
                self.set(name, value)

    def check(self):
        if self.failures:
            pytest.fail(f"{self.key}: {len(self.failures)} problem(s):\n  "
                        + "\n  ".join(self.failures[:25]), pytrace=False)


def _build(factory, key):
    explorer = factory()
    assert explorer.error is None, f"{key}: error at defaults: {explorer.error}"
    png = _png(explorer)
    assert isinstance(png, bytes) and png.startswith(PNG_MAGIC), f"{key}: no PNG at defaults"
    assert explorer.controls, f"{key}: an explorer without controls"
    return explorer, png


IDS = [c[0] for c in CASES]


# --------------------------------------------------------------------------- the tests
@pytest.mark.parametrize("key, factory, import_error", CASES, ids=IDS)
def test_sweep(key, factory, import_error):
    assert import_error is None, import_error
    start = time.perf_counter()
    with _warnings_as_errors():
        explorer, default_png = _build(factory, key)
        drv = Driver(key, explorer)
        defaults = {name: w.value for name, w in explorer.controls.items()}

        # a few probe renders decide how fine the grid can be within the time budget
        probe = []
        for name, w in explorer.controls.items():
            values = sweep_values(w)
            other = next((v for v in values if v != defaults[name]), None)
            if other is not None:
                drv.set(name, other)
                drv.set(name, defaults[name])
                probe.append(explorer.last_ms or 0.0)
        slow = bool(probe) and statistics.median(probe) > SLOW_MS
        many = len(explorer.controls) > MANY_CONTROLS
        interior = SLOW_INTERIOR if slow or many else INTERIOR
        if _png(explorer) != default_png:
            drv.failures.append("back at the defaults after a probe, the image differs from "
                                "the first render (state leaks between updates)")

        for name, w in explorer.controls.items():
            unchanged = []
            for value in sweep_values(w, interior):
                png = drv.set(name, value)
                if png is not None and value != defaults[name] and png == default_png:
                    unchanged.append(value)
            if unchanged:
                shown = [f"{v:.4g}" if isinstance(v, float) else repr(v) for v in unchanged]
                drv.failures.append(f"{name}: the image does not change at {', '.join(shown)} "
                                    f"(default {defaults[name]!r}); every control must "
                                    "visibly change the picture")
            drv.restore(defaults)
            if _png(explorer) != default_png:
                drv.failures.append(f"{name}: after sweeping it and setting it back to "
                                    f"{defaults[name]!r} the image differs from the default "
                                    "render (state leaks between updates)")

        for a, b, grid_a, grid_b in pair_plan(explorer.controls):
            for va in grid_a:
                for vb in grid_b:
                    drv.set(a, va)
                    drv.set(b, vb)
            drv.restore(defaults)
    drv.stats.seconds += time.perf_counter() - start
    drv.check()


LR_CASES = []
for _key, _factory, _err in CASES:
    if _factory is not None:
        LR_CASES.append(pytest.param(_key, _factory, id=_key))


@pytest.mark.parametrize("key, factory", LR_CASES)
def test_learning_rate_max_diverges(key, factory):
    """At the largest learning rate, a scene with a divergence message must show it."""
    with _warnings_as_errors():
        explorer = factory()
        lr_names = [n for n, w in explorer.controls.items() if is_learning_rate(n, w)]
        if not lr_names:
            pytest.skip("no learning-rate control")
        if not _mentions_divergence(explorer, factory):
            pytest.skip("the explorer never mentions divergence (it converges at its max η)")
        drv = Driver(key, explorer)
        defaults = {n: c.value for n, c in explorer.controls.items()}
        for name in lr_names:
            top = max(sweep_values(explorer.controls[name], interior=0))
            # at the maximum η, with the others at their defaults, then with each other
            # control at its coarse values: divergence must be reachable by the learner
            settings = [{}] + [{other: v} for other in explorer.controls if other != name
                               for v in coarse_values(explorer.controls[other])
                               if v != defaults[other]]
            if explorer.buttons:  # training behind a button is slow: the defaults only
                settings = settings[:1]
            seen = []
            for extra in settings:
                drv.restore(defaults)
                drv.set(name, top)
                for other, v in extra.items():
                    drv.set(other, v)
                for label, button in explorer.buttons.items():  # e.g. "Train"
                    button.click()
                    if explorer.error is not None:
                        drv.failures.append(f"{name}={top!r}, {extra}: button {label!r}: "
                                            f"{explorer.error}")
                texts = _visible_texts(explorer)
                if any("diverged" in t.lower() for t in texts):
                    break
                seen.append(f"{extra or 'defaults'}: {[t for t in texts if len(t) > 3][:4]}")
            else:
                drv.failures.append(
                    f"{name}={top:.4g} (its maximum): no visible text says 'diverged' with "
                    "the other controls at their defaults or coarse values. Visible texts:\n    "
                    + "\n    ".join(seen[:4]))
            drv.restore(defaults)
    drv.check()


@pytest.mark.parametrize("key, factory", LR_CASES)
def test_buttons(key, factory):
    """Each button (slow actions such as training) runs once at the defaults without errors."""
    with _warnings_as_errors():
        explorer = factory()
        if not explorer.buttons:
            pytest.skip("no buttons")
        for label, button in explorer.buttons.items():
            button.click()
            assert explorer.error is None, f"{key}: button {label!r}: {explorer.error}"
            png = _png(explorer)
            assert isinstance(png, bytes) and png.startswith(PNG_MAGIC), \
                f"{key}: button {label!r} left no PNG"


@pytest.mark.parametrize("key, factory", LR_CASES)
def test_palette_colour_blind_safe(key, factory):
    """No figure draws two confusable palette colours (vermillion vs orange) as data."""
    from nnlib.plots import confusable_pairs

    with _warnings_as_errors():
        explorer = factory()
        fig = getattr(explorer.scene, "fig", None)
        if fig is None:
            fig = explorer.scene(**explorer.params)
        pairs = confusable_pairs(fig)
        explorer.close()
    assert not pairs, (f"{key}: draws {' and '.join(pairs[0])} for different things; use "
                       "nnlib.plots.colors(n) (vermillion is the warning colour)")
