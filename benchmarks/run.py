"""Performance benchmarks for nnlib and the course (``make bench``).

Measures, in one run (about 2-4 minutes on a 2-core laptop):

1. training throughput (ms/epoch, GFLOP/s) of nnlib's MLP + SGD through
   ``nnlib.train.fit``, against a bare hand-written NumPy loop and PyTorch CPU;
2. the machine's float32 GEMM rate (np.matmul at 2048²);
3. slider latency of every explorer in every ``nnlib.explore`` module (kernel side: the
   render and PNG of one update);
4. execution time and kernel peak RSS of every notebook (nbclient, like nbval);
5. held-out accuracy and training time of the lesson-08 digits model, and (``capstone``) of
   lesson 10's reference network on 28×28 MNIST (target ≥ 94 % test in ≤ 10 s);
6. ``browser``: slider latency in real JupyterLab in Chromium, keypress → new image painted,
   median and p95 per explorer (``tests/browser/latency.py``; needs Chromium), with the
   nnlib_nodelay server extension, and with ``--browser-before`` also without it;
7. ``memory``: kernel RSS with every explorer cell of every lesson run 30 times.

Prints a table with a ✓/✗ per target and writes JSON to
``benchmarks/results/<timestamp>.json`` and ``benchmarks/results/latest.json``.
Not part of ``make test``: timings depend on the machine.

8. ``guards``: the per-batch and per-``fit`` cost of the classic-mistake checks
   (docs/mistakes.md), next to the cost of one training batch.

Usage: python benchmarks/run.py [--only gemm,train,digits,capstone,guards,sliders,notebooks,
                                        browser,memory]
                                [--no-torch] [--threads N] [--no-save] [--browser-before]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import importlib
import json
import os
import pkgutil
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path


def _threads_from_argv(argv):
    """``--threads N`` must act before NumPy (and its BLAS) is imported."""
    for i, arg in enumerate(argv):
        if arg == "--threads" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--threads="):
            return arg.split("=", 1)[1]
    return None


if _threads_from_argv(sys.argv[1:]):
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_var] = _threads_from_argv(sys.argv[1:])

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results"
NOTEBOOKS = ROOT / "notebooks"

import matplotlib  # noqa: E402

matplotlib.use("Agg")

from nnlib.data import load_digits, scale_to_range, train_val_split  # noqa: E402
from nnlib.layers import MLP  # noqa: E402
from nnlib.optim import SGD  # noqa: E402
from nnlib.train import evaluate, fit  # noqa: E402

# --- targets (issue "Performance: make bench") --------------------------------------------
TARGETS = {
    "nnlib_vs_torch": 0.8,     # nnlib time / PyTorch time, both shapes
    "nnlib_vs_bare": 1.3,      # nnlib time / bare NumPy loop time, both shapes
    "gemm_fraction": 0.70,     # shape (b) nnlib GFLOP/s / float32 GEMM GFLOP/s
    "slider_median_ms": 40.0,  # every continuous slider, kernel side (render + PNG)
    "slider_p95_ms": 60.0,
    "browser_median_ms": 50.0,  # every explorer in Chromium: keypress -> new image painted
    "browser_p95_ms": 100.0,
    "rerun_rss_mb": 200.0,     # kernel RSS, every explorer cell of a lesson run 30 times
    "series_s": 45.0,          # all notebooks
    "notebook_s": 15.0,        # each notebook
    "kernel_rss_mb": 200.0,    # each notebook's kernel peak RSS
    "digits_acc": 0.975,       # lesson-08 default model, held-out
    "digits_train_s": 3.0,
    "capstone_acc": 0.94,      # lesson-10 reference network, held-out test digits
    "capstone_train_s": 10.0,  # its full training (the lesson's train(), early stopping)
}

# Lesson-08 defaults, used only if nnlib.explore.digits (the lesson's own code) is missing.
DIGITS_FALLBACK = dict(hidden=64, lr=0.05, momentum=0.9, num_epochs=30, batch_size=32, seed=0)

BUDGET_S = 40.0  # seconds of timed rounds per shape, at most (a busy machine gets fewer)

SHAPES = {
    "a": dict(label="digits 64-64-10, batch 32", sizes=[64, 64, 10], batch=32, lr=0.05,
              momentum=0.9, warmup=3, repeats=25),
    "b": dict(label="MNIST-shaped 784-256-10, batch 128", sizes=[784, 256, 10], batch=128,
              lr=0.01, momentum=0.9, warmup=1, repeats=7),
}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def blas_threads() -> int:
    """Threads NumPy's BLAS uses: threadpoolctl if present, else the environment or CPU count."""
    try:
        from threadpoolctl import threadpool_info
        counts = [p["num_threads"] for p in threadpool_info() if p.get("user_api") == "blas"]
        if counts:
            return int(counts[0])
    except ImportError:
        pass
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        if os.environ.get(var, "").isdigit():
            return int(os.environ[var])
    return os.cpu_count() or 1


def median(xs):
    return float(statistics.median(xs)) if xs else float("nan")


def p95(xs):
    return float(np.percentile(xs, 95)) if xs else float("nan")


def epoch_flops(n, sizes):
    """6·n·Σ in·out: per Dense layer one matmul forward, two backward; 2 flops per multiply-add."""
    return 6 * n * sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=False))


# --- 1. training throughput ---------------------------------------------------------------
#
# Every implementation is an ``epoch()`` closure; the closures take turns, one epoch each
# per round, so a background load slows them all alike instead of whichever ran last.

def shape_data(key):
    if key == "a":
        X, y = load_digits()
        X = scale_to_range(X).astype(np.float32)
    else:
        rng = np.random.default_rng(0)
        X = rng.random((60_000, 784), dtype=np.float32)
        y = rng.integers(0, 10, 60_000)
    return np.ascontiguousarray(X, dtype=np.float32), y.astype(np.int64)


def nnlib_fit_epoch(X, y, cfg):
    """``fit`` exactly as the notebooks call it (one epoch per call): training, then the
    loss and accuracy on the whole training set that ``history.train_acc`` records."""
    model = MLP(cfg["sizes"], rng=np.random.default_rng(0))
    opt = SGD(model.parameters(), lr=cfg["lr"], momentum=cfg["momentum"])
    rng = np.random.default_rng(1)

    def epoch():
        fit(model, X, y, "cross_entropy", opt, epochs=1, batch_size=cfg["batch"], rng=rng)
    return epoch


def nnlib_loop_epoch(X, y, cfg):
    """The loop inside ``fit`` written out: forward, loss + gradient, backward, step; no metrics."""
    from nnlib.data import minibatches
    from nnlib.losses import cross_entropy_with_grad
    model = MLP(cfg["sizes"], rng=np.random.default_rng(0))
    opt = SGD(model.parameters(), lr=cfg["lr"], momentum=cfg["momentum"])
    rng = np.random.default_rng(1)

    def epoch():
        total = 0.0
        for Xb, yb in minibatches(X, y, cfg["batch"], rng=rng):
            loss, grad = cross_entropy_with_grad(model.forward(Xb), yb)
            total += loss * len(yb)
            model.backward(grad, input_grad=False)
            opt.step()
        return total / len(y)
    return epoch


def bare_epoch(X, y, cfg, eval_train=True):
    """Hand-written float32 NumPy: the same maths with no classes, checks or generators.

    With ``eval_train`` each epoch ends like ``fit``'s: loss and accuracy on the whole
    training set (what ``history.train_acc`` records), so the work matches ``fit``'s.
    """
    sizes, bs, lr, mu = cfg["sizes"], cfg["batch"], cfg["lr"], cfg["momentum"]
    rng = np.random.default_rng(0)
    Ws = [(rng.standard_normal((a, b)) * np.sqrt(2 / a)).astype(np.float32)
          for a, b in zip(sizes[:-1], sizes[1:], strict=False)]
    bs_ = [np.zeros(b, np.float32) for b in sizes[1:]]
    vW = [np.zeros_like(W) for W in Ws]
    vb = [np.zeros_like(b) for b in bs_]
    L, n = len(Ws), len(X)
    order_rng = np.random.default_rng(1)

    def epoch():
        total = 0.0
        order = order_rng.permutation(n)
        for s in range(0, n, bs):
            idx = order[s:s + bs]
            h, yb, m = X[idx], y[idx], len(idx)
            acts = [h]
            for i in range(L):
                h = h @ Ws[i]
                h += bs_[i]
                if i < L - 1:
                    np.maximum(h, 0, out=h)
                acts.append(h)
            rows = np.arange(m)
            z = h - h.max(axis=1, keepdims=True)
            e = np.exp(z)
            s_sum = e.sum(axis=1, keepdims=True)
            total += float(np.log(s_sum).sum() - z[rows, yb].sum())
            g = e / s_sum
            g[rows, yb] -= 1
            g /= m
            for i in range(L - 1, -1, -1):
                a = acts[i]
                dW = a.T @ g
                db = g.sum(axis=0)
                if i > 0:
                    g = g @ Ws[i].T
                    g *= a > 0
                vW[i] *= mu
                vW[i] -= lr * dW
                Ws[i] += vW[i]
                vb[i] *= mu
                vb[i] -= lr * db
                bs_[i] += vb[i]
        if not eval_train:
            return total / n
        h = X
        for i in range(L):
            h = h @ Ws[i] + bs_[i]
            if i < L - 1:
                h = np.maximum(h, 0)
        z = h - h.max(axis=1, keepdims=True)
        train_loss = -np.mean(z[np.arange(n), y] - np.log(np.exp(z).sum(axis=1)))
        return total / n, float(train_loss), float(np.mean(h.argmax(axis=1) == y))
    return epoch


def torch_epoch(X, y, cfg, threads, eval_train=True):
    """Plain PyTorch: nn.Sequential + SGD + CrossEntropyLoss, same shuffling and batches."""
    import torch
    from torch import nn
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    sizes = cfg["sizes"]
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:], strict=False)):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    model = nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=cfg["momentum"])
    loss_fn = nn.CrossEntropyLoss()
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    n, bs = len(X), cfg["batch"]

    def epoch():
        total = 0.0
        order = torch.randperm(n)
        for s in range(0, n, bs):
            idx = order[s:s + bs]
            xb, yb = Xt[idx], yt[idx]
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        if not eval_train:
            return total / n
        with torch.no_grad():  # like fit: loss and accuracy on the whole training set
            out = model(Xt)
            return (total / n, loss_fn(out, yt).item(),
                    (out.argmax(dim=1) == yt).float().mean().item())
    return epoch


def round_robin(epochs: dict, warmup: int, repeats: int, budget_s: float = BUDGET_S):
    """Time one epoch of each implementation per round; ``warmup`` rounds are not kept.

    Stops early (after at least 3 kept rounds) once the kept rounds took ``budget_s``,
    so a busy machine cannot stretch the run without bound.
    """
    times = {name: [] for name in epochs}
    start = None
    for r in range(warmup + repeats):
        if r == warmup:
            start = time.perf_counter()
        for name, epoch in epochs.items():
            t = time.perf_counter()
            epoch()
            if r >= warmup:
                times[name].append((time.perf_counter() - t) * 1000)
        if start is not None and r - warmup >= 2 and time.perf_counter() - start > budget_s:
            break
    return times


def _ratio(rows, a, b):
    return rows[a]["ms_per_epoch"] / rows[b]["ms_per_epoch"] if b in rows else None


def torch_available():
    try:
        import torch
        return torch.__version__
    except ImportError:
        return None


def bench_training(threads, use_torch):
    out = {}
    torch_version = torch_available() if use_torch else None
    if use_torch and torch_version is None:
        log("  PyTorch not importable: skipped (pip install torch to compare)")
    for key, cfg in SHAPES.items():
        X, y = shape_data(key)
        flops = epoch_flops(len(X), cfg["sizes"])
        log(f"training shape ({key}): {cfg['label']}")
        impls = {"nnlib fit": nnlib_fit_epoch(X, y, cfg), "bare NumPy": bare_epoch(X, y, cfg)}
        if torch_version:
            impls["PyTorch"] = torch_epoch(X, y, cfg, threads)
        impls["nnlib loop, training only"] = nnlib_loop_epoch(X, y, cfg)
        impls["bare NumPy, training only"] = bare_epoch(X, y, cfg, eval_train=False)
        if torch_version:
            impls["PyTorch, training only"] = torch_epoch(X, y, cfg, threads, eval_train=False)
        runs = round_robin(impls, cfg["warmup"], cfg["repeats"])
        rows = {}
        for name, times in runs.items():
            ms = median(times)
            rows[name] = dict(ms_per_epoch=ms, gflops=flops / ms / 1e6, times_ms=times)
        out[key] = dict(label=cfg["label"], n=len(X), sizes=cfg["sizes"], batch=cfg["batch"],
                        flops_per_epoch=flops, runs=rows, torch_version=torch_version,
                        ratio_nnlib_bare=_ratio(rows, "nnlib fit", "bare NumPy"),
                        ratio_nnlib_torch=_ratio(rows, "nnlib fit", "PyTorch"),
                        ratio_training_only_nnlib_bare=_ratio(
                            rows, "nnlib loop, training only", "bare NumPy, training only"),
                        ratio_training_only_nnlib_torch=_ratio(
                            rows, "nnlib loop, training only", "PyTorch, training only"))
    return out


# --- 2. GEMM peak -------------------------------------------------------------------------

def bench_gemm(n=2048, repeats=7):
    rng = np.random.default_rng(0)
    a = rng.random((n, n), dtype=np.float32)
    b = rng.random((n, n), dtype=np.float32)
    c = np.empty_like(a)
    np.matmul(a, b, out=c)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        np.matmul(a, b, out=c)
        times.append(time.perf_counter() - t)
    rates = [2 * n ** 3 / t / 1e9 for t in times]
    return dict(n=n, gflops_median=median(rates), gflops_best=max(rates), gflops_all=rates)


# --- 3. slider latency --------------------------------------------------------------------

def sweep_values(w, count=30):
    """About ``count`` values spanning the control's range (a cycle of options for choices)."""
    opts = getattr(w, "options", None)
    if opts is not None:
        values = [o[1] if isinstance(o, tuple) else o for o in opts]
        if isinstance(opts, dict):
            values = list(opts.values())
        if len(values) < 2:
            return []
        start = values.index(w.value) if w.value in values else 0
        k = min(count, 2 * len(values))
        return [values[(start + 1 + i) % len(values)] for i in range(k)]
    if isinstance(w.value, bool):
        return [not w.value if i % 2 == 0 else w.value for i in range(min(count, 10))]
    if not (hasattr(w, "min") and hasattr(w, "max")):
        return []
    lo, hi = w.min, w.max
    if hasattr(w, "base"):  # FloatLogSlider: min/max are exponents
        return list(w.base ** np.linspace(lo, hi, count))
    if isinstance(w.value, int):
        vals = np.unique(np.linspace(lo, hi, count).round().astype(int))
        return [int(v) for v in vals]
    return [float(v) for v in np.linspace(lo, hi, count)]


def discover_explorers():
    """``(module, name, factory)`` for every factory in every nnlib.explore module's EXPLORERS."""
    import nnlib.explore as pkg
    found = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        try:
            mod = importlib.import_module(f"nnlib.explore.{info.name}")
        except Exception as exc:  # an explorer still being written must not stop the run
            found.append((info.name, "<import>", exc))
            continue
        factories = getattr(mod, "EXPLORERS", None)
        if factories is None:
            continue
        items = factories.items() if isinstance(factories, dict) else (
            (getattr(f, "__name__", repr(f)), f) for f in factories)
        for name, factory in items:
            found.append((info.name, name, factory))
    return found


def bench_sliders(budget_s=12.0):
    results = []
    for module, name, factory in discover_explorers():
        entry = dict(module=module, explorer=name, controls={}, error=None)
        results.append(entry)
        if isinstance(factory, Exception):
            entry["error"] = f"import failed: {factory!r}"
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t = time.perf_counter()
                ex = factory()
                entry["build_ms"] = (time.perf_counter() - t) * 1000
        except Exception as exc:
            entry["error"] = f"factory failed: {exc!r}"
            continue
        all_ms, cont_ms = [], []
        for cname, w in ex.controls.items():
            values = sweep_values(w)
            if not values:
                continue
            original = w.value
            ms, errors = [], 0
            t_start = time.perf_counter()
            for v in values:
                before = ex.last_ms
                try:
                    w.value = v
                except Exception:
                    continue
                if ex.last_ms is not before:
                    ms.append(ex.last_ms)
                    errors += ex.error is not None
                if time.perf_counter() - t_start > budget_s:
                    break
            try:
                w.value = original
            except Exception:
                pass
            continuous = bool(getattr(w, "continuous_update", False)) and hasattr(w, "min")
            entry["controls"][cname] = dict(kind=type(w).__name__, continuous=continuous,
                                            n=len(ms), median_ms=median(ms), p95_ms=p95(ms),
                                            errors=errors)
            all_ms += ms
            if continuous:
                cont_ms += ms
        entry.update(n=len(all_ms), median_ms=median(all_ms), p95_ms=p95(all_ms),
                     continuous_median_ms=median(cont_ms), continuous_p95_ms=p95(cont_ms),
                     has_continuous=bool(cont_ms))
        log(f"  explorer {module}.{name}: median {entry['median_ms']:.1f} ms, "
            f"p95 {entry['p95_ms']:.1f} ms over {len(all_ms)} updates")
        del ex
        import matplotlib.pyplot as plt
        plt.close("all")
    return results


# --- 3b. slider latency in the browser -----------------------------------------------------

def bench_browser(nodelay=True, samples=10):
    """``tests/browser/latency.py`` in a subprocess (its own JupyterLab and Chromium)."""
    script = ROOT / "tests" / "browser" / "latency.py"
    with tempfile.TemporaryDirectory(prefix="nnlib-bench-browser-") as tmp:
        out = Path(tmp) / "latency.json"
        cmd = [sys.executable, str(script), "--samples", str(samples), "--json", str(out)]
        if not nodelay:
            cmd.append("--no-nodelay")
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1800,
                              env={**os.environ, **NOTEBOOK_ENV})
        if proc.returncode != 0 or not out.exists():
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            return dict(error=" / ".join(tail) or f"exit code {proc.returncode}")
        res = json.loads(out.read_text())
    for nb, explorers in res["results"].items():
        for name, r in explorers.items():
            r.update(median_ms=median(r["samples"]), p95_ms=p95(r["samples"]))
            log(f"  browser {nb} {name}: median {r['median_ms']:.1f} ms, "
                f"p95 {r['p95_ms']:.1f} ms (n={len(r['samples'])})")
    return res


# --- 3c. memory: explorer cells re-run ------------------------------------------------------

def bench_memory(reruns=30):
    """Every lesson in a fresh kernel, then each explorer cell until it ran ``reruns`` times."""
    sys.path.insert(0, str(ROOT / "tests"))
    from test_explorer_memory import run_lesson_with_reruns
    out = {}
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        try:
            out[path.name] = r = run_lesson_with_reruns(path, reruns)
        except Exception as exc:
            out[path.name] = dict(error=repr(exc))
            continue
        log(f"  memory {path.name}: {r['explorer_cells']} explorer cells x {reruns}: peak "
            f"{r['rss_peak_mb']:.0f} MB, figures {r['figures_after_lesson']} -> {r['figures']}")
    return out


# --- 4. notebooks -------------------------------------------------------------------------

class RSSMonitor(threading.Thread):
    """Polls a process's resident set size (plus its children's) every ``interval`` seconds."""

    def __init__(self, pid, interval=0.02):
        super().__init__(daemon=True)
        import psutil
        self.proc = psutil.Process(pid)
        self.interval, self.peak, self._stop_event = interval, 0, threading.Event()

    def run(self):
        import psutil
        while not self._stop_event.is_set():
            try:
                rss = self.proc.memory_info().rss
                for child in self.proc.children(recursive=True):
                    try:
                        rss += child.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, rss)
            except psutil.Error:
                break
            self._stop_event.wait(self.interval)

    def stop(self):
        self._stop_event.set()
        self.join()


def kernel_pid(client):
    km = client.km
    try:
        return km.provisioner.process.pid
    except AttributeError:
        return km.kernel.pid


def execute_notebook(path: Path, timeout=600):
    """Run a fresh copy of ``path`` (never written back) in a new kernel, as nbval does."""
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(path, as_version=4)
    monitor = {}

    def on_start(**_kw):
        try:
            monitor["m"] = RSSMonitor(kernel_pid(client))
            monitor["m"].start()
        except Exception as exc:  # no psutil or no pid: time only
            monitor["error"] = repr(exc)

    # run from a scratch copy of notebooks/ so nothing a notebook writes lands in the repo
    with tempfile.TemporaryDirectory(prefix="nnlib-bench-") as tmp:
        work = Path(tmp) / "notebooks"
        shutil.copytree(path.parent, work, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(work)}},
                                store_widget_state=False, record_timing=False,
                                on_notebook_start=on_start)
        error = None
        start = time.perf_counter()
        try:
            client.execute()
        except Exception as exc:
            lines = str(exc).strip().splitlines() or [""]
            error = f"{type(exc).__name__}: {lines[-1]}"
        seconds = time.perf_counter() - start
        m = monitor.get("m")
        if m is not None:
            m.stop()
    return dict(seconds=seconds, peak_rss_mb=(m.peak / 2**20 if m else None), error=error)


NOTEBOOK_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def bench_notebooks():
    """Each notebook in a fresh kernel with one BLAS thread, as ``make test``/``make notebooks``."""
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    out = {}
    saved = {k: os.environ.get(k) for k in NOTEBOOK_ENV}
    os.environ.update(NOTEBOOK_ENV)  # inherited by the kernels
    try:
        for path in paths:
            res = out[path.name] = execute_notebook(path)
            rss = f"{res['peak_rss_mb']:.0f} MB" if res["peak_rss_mb"] else "?"
            log(f"  notebook {path.name}: {res['seconds']:.1f} s, kernel peak {rss}"
                + (f"  ERROR {res['error']}" if res["error"] else ""))
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return out


# --- 5. digits ----------------------------------------------------------------------------

def _fallback_digits(data, hidden, lr, momentum, num_epochs, batch_size, seed):
    X_tr, X_val, y_tr, y_val = data
    model = MLP([64, int(hidden), 10], rng=np.random.default_rng(seed))
    hist = fit(model, X_tr, y_tr, "cross_entropy", SGD(model.parameters(), lr=lr,
               momentum=momentum), epochs=num_epochs, batch_size=batch_size, X_val=X_val,
               y_val=y_val, rng=np.random.default_rng(seed))
    return model, hist


def bench_digits(repeats=3):
    """Lesson 08's default model, trained as the lesson does: ``train_digits(**DEFAULTS)``."""
    try:
        from nnlib.explore import digits as lesson
        cfg, data, train = dict(lesson.DEFAULTS), lesson.digits_data(), lesson.train_digits
        source = "nnlib.explore.digits.train_digits(**DEFAULTS)"
    except (ImportError, AttributeError):
        X, y = load_digits()
        X_tr, X_val, y_tr, y_val = train_val_split(X, y, val_fraction=0.2, seed=0)
        lo, hi = X_tr.min(axis=0), X_tr.max(axis=0)
        data = (scale_to_range(X_tr, data_min=lo, data_max=hi), scale_to_range(
            X_val, data_min=lo, data_max=hi), y_tr, y_val)
        cfg, train, source = dict(DIGITS_FALLBACK), _fallback_digits, "benchmarks/run.py fallback"
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        model, hist = train(**cfg, data=data)
        times.append(time.perf_counter() - t)
    acc = evaluate(model, data[1], data[3])[1]
    return dict(config=cfg, defaults_from=source, train_s=median(times), train_s_all=times,
                val_acc=acc, n_train=len(data[2]), n_val=len(data[3]))


# --- capstone: lesson 10's reference network on 28×28 MNIST ---------------------------------

def bench_capstone(repeats=3):
    """Lesson 10's full training, as the lesson runs it: the plain-NumPy reference ``train``
    (784 → 64 → 10, η = 0.1, μ = 0.9, batch 64, ≤ 30 epochs, patience 3) on 8,000 MNIST
    digits, then the held-out test accuracy of the weights it keeps."""
    from nnlib.checks.lesson10 import evaluate as evaluate10
    from nnlib.checks.lesson10 import init_params, train
    from nnlib.explore.capstone import DEFAULTS, mnist_splits

    X_train, X_val, X_test, y_train, y_val, y_test = mnist_splits()
    cfg = dict(DEFAULTS)
    times = []
    for _ in range(repeats):
        params = init_params(list(cfg["sizes"]), np.random.default_rng(cfg["seed"]))
        t = time.perf_counter()
        best, hist = train(params, X_train, y_train, X_val, y_val, cfg["lr"], cfg["momentum"],
                           cfg["batch_size"], cfg["num_epochs"], cfg["patience"],
                           np.random.default_rng(cfg["seed"]))
        times.append(time.perf_counter() - t)
    kept = int(np.argmin(hist["val_loss"]))
    return dict(config={k: list(v) if isinstance(v, tuple) else v for k, v in cfg.items()},
                train_s=median(times), train_s_all=times, epochs_run=len(hist["val_loss"]),
                kept_epoch=kept + 1, val_acc=hist["val_acc"][kept],
                test_acc=evaluate10(best, X_test, y_test)[1], n_train=len(y_train),
                n_test=len(y_test))


# --- guards: the cost of the classic-mistake checks (issue 18, docs/mistakes.md) -----------

def _per_call_us(fn, calls, rounds=7):
    """Best of ``rounds`` timings of ``calls`` calls, in µs per call (best: least disturbed)."""
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(calls):
            fn()
        best = min(best, time.perf_counter() - t)
    return best / calls * 1e6


def bench_guards():
    """Per-batch and per-call cost of the mistake checks, next to what they guard.

    Per batch: ``SGD.step``'s replaced-array check (one integer comparison) and the
    probabilities check in the checked ``cross_entropy_grad`` (hand-written loops).
    Per ``fit`` call: the symmetric-init, optimizer and unscaled-input checks.
    """
    from nnlib import layers as nn_layers
    from nnlib.data import minibatches
    from nnlib.layers import warn_if_symmetric
    from nnlib.losses import cross_entropy_grad, looks_like_probabilities
    from nnlib.train import _check_optimizer

    rng = np.random.default_rng(0)
    X, y = shape_data("a")
    model = MLP([64, 64, 10], rng=rng)
    opt = SGD(model.parameters(), lr=0.05, momentum=0.9)
    Xb, yb = X[:32], y[:32]
    logits = model.forward(Xb)

    def batch():
        model.backward(cross_entropy_grad(model.forward(Xb), yb), input_grad=False)
        opt.step()

    rows = {
        "per batch: SGD.step's replaced-array check":
            _per_call_us(lambda: opt._seen != nn_layers._generation, 20000),
        "per batch: probabilities check, (32, 10) logits":
            _per_call_us(lambda: looks_like_probabilities(logits), 20000),
        "per batch: SGD.step, 64-64-10, momentum (guard included)": _per_call_us(opt.step, 5000),
        "per batch: checked cross_entropy_grad (32, 10) (guard included)":
            _per_call_us(lambda: cross_entropy_grad(logits, yb), 5000),
        "per batch: forward + checked grad + backward + step (digits)": _per_call_us(batch, 2000),
        "per epoch: minibatches(X, y, 32) call (1797 × 64)":
            _per_call_us(lambda: minibatches(X, y, 32, rng=rng), 2000),
        "per fit: symmetric-init check, 64-64-10": _per_call_us(
            lambda: warn_if_symmetric(model), 5000),
        "per fit: optimizer-matches-model check": _per_call_us(
            lambda: _check_optimizer(model, opt), 5000),
        "per fit: unscaled-input check (first 256 rows)": _per_call_us(
            lambda: float(np.abs(X[:256]).max()), 5000),
    }
    guard = rows["per batch: SGD.step's replaced-array check"] + rows[
        "per batch: probabilities check, (32, 10) logits"]
    return dict(us=rows, per_batch_guard_us=guard,
                per_batch_guard_fraction=guard / rows[
                    "per batch: forward + checked grad + backward + step (digits)"])


# --- report -------------------------------------------------------------------------------

def mark(ok):
    return "✓" if ok else "✗"


def report(res):
    lines, checks = [], []

    def check(name, ok, detail):
        checks.append(dict(target=name, ok=bool(ok), detail=detail))

    if "gemm" in res:
        g = res["gemm"]
        lines.append(f"float32 GEMM {g['n']}²: {g['gflops_median']:.1f} GFLOP/s median "
                     f"(best {g['gflops_best']:.1f}), "
                     f"{res['machine']['blas_threads']} BLAS threads")
    if "training" in res:
        lines.append("")
        lines.append(f"{'training':44s} {'ms/epoch':>10s} {'GFLOP/s':>9s} {'vs nnlib fit':>13s}")
        for key, sh in res["training"].items():
            lines.append(f"({key}) {sh['label']}, n={sh['n']}")
            nn_ms = sh["runs"]["nnlib fit"]["ms_per_epoch"]
            for name, r in sh["runs"].items():
                rel = nn_ms / r["ms_per_epoch"]
                lines.append(f"    {name:40s} {r['ms_per_epoch']:10.1f} {r['gflops']:9.2f} "
                             f"{rel:12.2f}×")
            ok = sh["ratio_nnlib_bare"] <= TARGETS["nnlib_vs_bare"]
            check(f"({key}) nnlib/bare ≤ {TARGETS['nnlib_vs_bare']}", ok,
                  f"{sh['ratio_nnlib_bare']:.2f}")
            if sh["ratio_nnlib_torch"] is not None:
                ok = sh["ratio_nnlib_torch"] <= TARGETS["nnlib_vs_torch"]
                check(f"({key}) nnlib/PyTorch ≤ {TARGETS['nnlib_vs_torch']}", ok,
                      f"{sh['ratio_nnlib_torch']:.2f}")
            else:
                check(f"({key}) nnlib/PyTorch ≤ {TARGETS['nnlib_vs_torch']}", False,
                      "PyTorch not measured")
        if "gemm" in res and "b" in res["training"]:
            frac = (res["training"]["b"]["runs"]["nnlib fit"]["gflops"]
                    / res["gemm"]["gflops_median"])
            res["gemm_fraction_b"] = frac
            check(f"(b) nnlib ≥ {TARGETS['gemm_fraction']:.0%} of GEMM",
                  frac >= TARGETS["gemm_fraction"], f"{frac:.0%}")
    if "guards" in res:
        g = res["guards"]
        lines.append("")
        lines.append(f"{'guard checks (issue 18)':64s} {'µs/call':>9s}")
        for name, us in g["us"].items():
            lines.append(f"    {name:60s} {us:9.2f}")
        lines.append(f"    per-batch guards: {g['per_batch_guard_us']:.2f} µs, "
                     f"{g['per_batch_guard_fraction']:.1%} of a hand-written digits batch "
                     f"(fit's fast path runs only the first)")
    if "sliders" in res:
        lines.append("")
        lines.append(f"{'slider latency (explorer)':44s} {'median ms':>10s} {'p95 ms':>9s} "
                     f"{'n':>5s}")
        for e in res["sliders"]:
            name = f"{e['module']}.{e['explorer']}"
            if e["error"]:
                lines.append(f"    {name:40s} ERROR {e['error']}")
                check(f"slider {name}", False, e["error"])
                continue
            lines.append(f"    {name:40s} {e['median_ms']:10.1f} {e['p95_ms']:9.1f} {e['n']:5d}")
            for cname, c in e["controls"].items():
                flag = "" if c["continuous"] else " (not continuous)"
                err = f"  {c['errors']} errors" if c["errors"] else ""
                lines.append(f"        {cname + flag:36s} {c['median_ms']:10.1f} "
                             f"{c['p95_ms']:9.1f} {c['n']:5d}{err}")
                if c["continuous"]:
                    ok = (c["median_ms"] <= TARGETS["slider_median_ms"]
                          and c["p95_ms"] <= TARGETS["slider_p95_ms"] and not c["errors"])
                    check(f"slider {name}.{cname} median ≤ {TARGETS['slider_median_ms']:.0f} ms, "
                          f"p95 ≤ {TARGETS['slider_p95_ms']:.0f} ms", ok,
                          f"{c['median_ms']:.1f} / {c['p95_ms']:.1f} ms")
        if not res["sliders"]:
            lines.append("    (no explorers found)")
    if "notebooks" in res:
        lines.append("")
        lines.append(f"{'notebooks (fresh kernel)':44s} {'seconds':>10s} {'peak RSS':>9s}")
        total = 0.0
        for nb, r in res["notebooks"].items():
            total += r["seconds"]
            rss = f"{r['peak_rss_mb']:.0f} MB" if r["peak_rss_mb"] else "?"
            lines.append(f"    {nb:40s} {r['seconds']:10.1f} {rss:>9s}"
                         + (f"  ERROR {r['error']}" if r["error"] else ""))
            check(f"notebook {nb} ≤ {TARGETS['notebook_s']:.0f} s, no error",
                  r["seconds"] <= TARGETS["notebook_s"] and not r["error"], f"{r['seconds']:.1f} s")
            if r["peak_rss_mb"] is not None:
                check(f"notebook {nb} kernel RSS ≤ {TARGETS['kernel_rss_mb']:.0f} MB",
                      r["peak_rss_mb"] <= TARGETS["kernel_rss_mb"], f"{r['peak_rss_mb']:.0f} MB")
        res["notebooks_total_s"] = total
        lines.append(f"    {'whole series':40s} {total:10.1f}")
        if res["notebooks"]:
            check(f"whole series ≤ {TARGETS['series_s']:.0f} s", total <= TARGETS["series_s"],
                  f"{total:.1f} s")
        else:
            lines.append("    (no notebooks found)")
    if "digits" in res:
        d = res["digits"]
        c = d["config"]
        lines.append("")
        lines.append(f"digits (lesson 08: MLP([64, {c['hidden']}, 10]), lr {c['lr']}, momentum "
                     f"{c['momentum']}, {c['num_epochs']} epochs, batch {c['batch_size']}; "
                     f"{d['defaults_from']})")
        lines.append(f"    held-out accuracy {d['val_acc']:.2%} on {d['n_val']} images, "
                     f"training {d['train_s']:.2f} s")
        check(f"digits ≥ {TARGETS['digits_acc']:.1%} in ≤ {TARGETS['digits_train_s']:.0f} s",
              d["val_acc"] >= TARGETS["digits_acc"] and d["train_s"] <= TARGETS["digits_train_s"],
              f"{d['val_acc']:.2%} in {d['train_s']:.2f} s")
    if "capstone" in res:
        d = res["capstone"]
        c = d["config"]
        lines.append("")
        lines.append(f"capstone (lesson 10: {' → '.join(map(str, c['sizes']))}, lr {c['lr']}, "
                     f"momentum {c['momentum']}, batch {c['batch_size']}, ≤ {c['num_epochs']} "
                     f"epochs, patience {c['patience']}; {d['n_train']:,} MNIST digits)")
        lines.append(f"    {d['epochs_run']} epochs run, kept epoch {d['kept_epoch']}: validation "
                     f"{d['val_acc']:.1%}, test {d['test_acc']:.1%} on {d['n_test']:,} images; "
                     f"training {d['train_s']:.2f} s (median of {len(d['train_s_all'])})")
        check(f"capstone ≥ {TARGETS['capstone_acc']:.0%} test in ≤ "
              f"{TARGETS['capstone_train_s']:.0f} s",
              d["test_acc"] >= TARGETS["capstone_acc"]
              and d["train_s"] <= TARGETS["capstone_train_s"],
              f"{d['test_acc']:.1%} in {d['train_s']:.2f} s")
    if "browser" in res:
        for key, label in (("browser_before", "without nnlib_nodelay (before)"),
                           ("browser", "with nnlib_nodelay")):
            b = res.get(key)
            if b is None:
                continue
            lines.append("")
            if "error" in b:
                lines.append(f"slider latency in Chromium, {label}: ERROR {b['error']}")
                if key == "browser":
                    check("browser slider latency measured", False, b["error"])
                continue
            lines.append(f"slider latency in Chromium, keypress → new image painted, {label}; "
                         f"{b.get('dpi')} dpi, {b['folder']}, load "
                         f"{b['load_average']['before']:.1f}")
            lines.append(f"    {'explorer':40s} {'median ms':>10s} {'p95 ms':>9s} {'n':>5s}")
            for nb, explorers in b["results"].items():
                for name, r in explorers.items():
                    floor = nb == "00_floor.ipynb"  # reference sliders, not the course's
                    label = f"floor: {name}" if floor else nb[:2] + " " + name
                    lines.append(f"    {label:40s} {r['median_ms']:10.1f} "
                                 f"{r['p95_ms']:9.1f} {len(r['samples']):5d}")
                    if key == "browser" and not floor:
                        ok = (r["median_ms"] <= TARGETS["browser_median_ms"]
                              and r["p95_ms"] <= TARGETS["browser_p95_ms"])
                        check(f"browser {nb[:2]} {name} median ≤ "
                              f"{TARGETS['browser_median_ms']:.0f} ms, p95 ≤ "
                              f"{TARGETS['browser_p95_ms']:.0f} ms", ok,
                              f"{r['median_ms']:.1f} / {r['p95_ms']:.1f} ms")
    if "memory" in res:
        lines.append("")
        lines.append("kernel memory, every explorer cell run 30 times (nbclient)")
        for nb, r in res["memory"].items():
            if "error" in r:
                lines.append(f"    {nb:40s} ERROR {r['error']}")
                check(f"memory {nb}", False, r["error"])
                continue
            lines.append(f"    {nb:40s} {r['explorer_cells']} cells  peak "
                         f"{r['rss_peak_mb']:4.0f} MB  figures {r['figures_after_lesson']} → "
                         f"{r['figures']}")
            check(f"memory {nb} ≤ {TARGETS['rerun_rss_mb']:.0f} MB, no figure kept",
                  r["rss_peak_mb"] <= TARGETS["rerun_rss_mb"]
                  and r["figures"] <= r["figures_after_lesson"],
                  f"{r['rss_peak_mb']:.0f} MB")
    load = res.get("load_average")
    if load:
        cores = res["machine"]["cpu_count"] or 1
        lines.append("")
        lines.append(f"load average (1 min) before/after: {load['before']:.1f} / "
                     f"{load['after']:.1f} on {cores} cores")
        if max(load["before"], load["after"]) > 0.5 * cores:
            lines.append("⚠ other processes were using the CPU: timings (multi-threaded BLAS "
                         "especially) are unreliable; rerun on an idle machine")
    lines.append("")
    lines.append("targets")
    for c in checks:
        lines.append(f"  {mark(c['ok'])} {c['target']:64s} {c['detail']}")
    res["targets"] = checks
    return "\n".join(lines)


def machine_info(threads):
    info = dict(python=platform.python_version(), numpy=np.__version__,
                platform=platform.platform(), cpu_count=os.cpu_count(), blas_threads=threads)
    try:
        with open("/proc/cpuinfo") as f:
            info["cpu"] = next((ln.split(":", 1)[1].strip() for ln in f
                                if ln.startswith("model name")), platform.processor())
    except OSError:
        info["cpu"] = platform.processor()
    try:
        info["git_commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                            capture_output=True, text=True).stdout.strip()
        info["git_dirty"] = bool(subprocess.run(["git", "status", "--porcelain", "nnlib"],
                                                cwd=ROOT, capture_output=True,
                                                text=True).stdout.strip())
    except OSError:
        pass
    return info


SECTIONS = ("gemm", "train", "digits", "capstone", "guards", "sliders", "notebooks", "browser",
            "memory")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default=",".join(SECTIONS),
                    help=f"comma-separated sections to run (default: all of {','.join(SECTIONS)})")
    ap.add_argument("--no-torch", action="store_true", help="skip the PyTorch comparison")
    ap.add_argument("--no-save", action="store_true", help="print only, write no JSON")
    ap.add_argument("--browser-before", action="store_true",
                    help="also measure browser latency without the nnlib_nodelay extension")
    ap.add_argument("--browser-samples", type=int, default=10, help="key presses per slider")
    ap.add_argument("--threads", type=int, default=None,
                    help="BLAS/PyTorch threads (default: what NumPy's BLAS uses, all cores)")
    args = ap.parse_args(argv)
    only = set(args.only.split(","))
    unknown = only - set(SECTIONS)
    if unknown:
        ap.error(f"unknown section(s) {sorted(unknown)}; choose from {SECTIONS}")
    threads = blas_threads()
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    started = time.perf_counter()
    res = dict(timestamp=_dt.datetime.now().isoformat(timespec="seconds"),
               machine=machine_info(threads), targets_config=TARGETS)
    if "gemm" in only:
        log("GEMM peak")
        res["gemm"] = bench_gemm()
    if "train" in only:
        res["training"] = bench_training(threads, use_torch=not args.no_torch)
    if "digits" in only:
        log("digits (lesson 08)")
        res["digits"] = bench_digits()
    if "capstone" in only:
        log("capstone (lesson 10)")
        res["capstone"] = bench_capstone()
    if "guards" in only:
        log("guard checks (issue 18)")
        res["guards"] = bench_guards()
    if "sliders" in only:
        log("slider latency")
        res["sliders"] = bench_sliders()
    if "notebooks" in only:
        log("notebooks")
        res["notebooks"] = bench_notebooks()
    if "browser" in only:
        if args.browser_before:
            log("slider latency in Chromium, without nnlib_nodelay")
            res["browser_before"] = bench_browser(nodelay=False, samples=args.browser_samples)
        log("slider latency in Chromium")
        res["browser"] = bench_browser(nodelay=True, samples=args.browser_samples)
    if "memory" in only:
        log("memory: explorer cells re-run 30 times")
        res["memory"] = bench_memory()
    res["bench_seconds"] = time.perf_counter() - started
    if load_before is not None:
        res["load_average"] = dict(before=load_before, after=os.getloadavg()[0])
    text = report(res)
    print(text)
    print(f"\n(benchmark took {res['bench_seconds']:.0f} s)")
    if not args.no_save:
        RESULTS.mkdir(parents=True, exist_ok=True)
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        payload = json.dumps(res, indent=1, default=float)
        (RESULTS / f"{stamp}.json").write_text(payload)
        (RESULTS / "latest.json").write_text(payload)
        print(f"wrote {RESULTS.relative_to(ROOT) / (stamp + '.json')} and latest.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
