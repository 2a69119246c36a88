"""Lesson 06 pictures: computation graphs, the three levers, and the slope backprop finds.

- :func:`draw_graph` lays out the graph behind a :class:`~nnlib.engine.Value`
  (boxes with ``data`` and ``grad``, round op nodes) with plain matplotlib.
- :func:`three_levers` and :func:`draw_three_levers` show how one output neuron
  ``a = σ(w·a_prev + b)`` with the loss of one example ``ℓ = (a − y)²`` wants its inputs
  to move:

      ∂ℓ/∂b = ∂ℓ/∂z      ∂ℓ/∂w_k = a_prev,k · ∂ℓ/∂z      ∂ℓ/∂a_prev,k = w_k · ∂ℓ/∂z
      where ∂ℓ/∂z = 2 (a − y) σ'(z)

- The explorer slides one weight ``w`` of a small 1→3→1 tanh network and draws
  the tangent to ``L(w)`` whose slope is the gradient from backpropagation.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch

from ..activations import sigmoid
from ..engine import Value
from ..layers import Dense, Sequential, Tanh
from ..losses import mse, mse_grad
from ..plots import DPI, PALETTE, new_figure, plain, set_alt
from ._base import Explorer, Scene, float_slider

__all__ = ["graph_order", "graph_layout", "draw_graph", "three_levers", "format_levers",
           "draw_three_levers", "slope_network", "SlopeScene", "render_backprop_slope",
           "explore_backprop_slope", "EXPLORERS"]

_OP_SYMBOLS = {"+": "+", "*": "×", "relu": "relu", "tanh": "tanh", "sigmoid": "σ", "exp": "exp",
               "log": "log"}


# --- computation graphs ------------------------------------------------------------------------

def graph_order(root: Value) -> list[Value]:
    """Every value ``root`` depends on, children before parents (a topological order)."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        for child in reversed(node._prev):
            if id(child) not in seen:
                stack.append((child, False))
    return order


def graph_layout(root: Value) -> dict[int, tuple[float, float]]:
    """Positions ``{id(value): (x, y)}`` for :func:`draw_graph`, inputs on the left.

    A value made by an operation sits two columns right of its deepest input
    (the op node goes in between); an input sits just left of the first op that
    uses it. Inputs are stacked top to bottom in the order they are first used,
    and every other value is centred on its inputs.
    """
    order = graph_order(root)
    depth, pos_y = {}, {}
    leaf_count = 0
    for v in order:
        if v._prev:
            depth[id(v)] = 1 + max(depth[id(c)] for c in v._prev)
            kids = {id(c): c for c in v._prev}
            pos_y[id(v)] = float(np.mean([pos_y[k] for k in kids]))
        else:
            depth[id(v)] = 0
            pos_y[id(v)] = -float(leaf_count)
            leaf_count += 1
    x = {id(v): 2.0 * depth[id(v)] for v in order if v._prev}
    for v in order:
        if not v._prev:
            users = [2.0 * depth[id(u)] - 2 for u in order if any(c is v for c in u._prev)]
            x[id(v)] = min(users) if users else 0.0
    # keep values in one column at least one row apart
    columns: dict[float, list[int]] = {}
    for v in order:
        columns.setdefault(x[id(v)], []).append(id(v))
    for ids in columns.values():
        ids.sort(key=lambda k: -pos_y[k])
        for above, below in zip(ids, ids[1:], strict=False):
            pos_y[below] = min(pos_y[below], pos_y[above] - 1.0)
    return {k: (x[k], pos_y[k]) for k in x}


def _fmt(v: float) -> str:
    return f"{v:.4g}" if v != 0 else "0"


def draw_graph(root: Value, title: str | None = None) -> Figure:
    """Draw the computation graph of ``root`` and return the ``Figure``.

    Each value is a box ``label / data / grad``; each operation is a round
    node between its inputs and its output. Arrows follow the forward pass;
    backpropagation walks them right to left. A value used twice (``a + a``)
    gets two arrows. Inputs (leaves) are shaded.
    """
    pos = graph_layout(root)
    order = graph_order(root)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    width = 0.95 * (max(xs) - min(xs)) + 2.2
    height = 0.95 * (max(ys) - min(ys)) + 1.6
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_xlim(min(xs) - 0.85, max(xs) + 0.85)
    ax.set_ylim(min(ys) - 0.65, max(ys) + 0.65)
    ax.axis("off")
    boxes = {}
    for v in order:
        x, y = pos[id(v)]
        leaf = not v._prev
        text = (f"{v.label}\n" if v.label else "") + f"data {_fmt(v.data)}\ngrad {_fmt(v.grad)}"
        boxes[id(v)] = ax.text(x, y, text, ha="center", va="center", fontsize="small", zorder=3,
                               linespacing=1.3,
                               bbox=dict(boxstyle="round,pad=0.35", linewidth=1.4,
                                         facecolor="#DCEEFB" if leaf else "white",
                                         edgecolor=PALETTE["blue"]))
    arrow = dict(arrowstyle="-|>", color=PALETTE["grey"], lw=1.3, shrinkA=2, shrinkB=2)
    for v in order:
        if not v._prev:
            continue
        x, y = pos[id(v)]
        op = ax.text(x - 1, y, _OP_SYMBOLS.get(v._op, v._op.replace("**", "^")), ha="center",
                     va="center", fontsize="small", zorder=3,
                     bbox=dict(boxstyle="circle,pad=0.25", facecolor="#EEEEEE",
                               edgecolor=PALETTE["black"], linewidth=1.0))
        ax.annotate("", xy=(x, y), xytext=(x - 1, y), zorder=2,
                    arrowprops=dict(arrow, patchA=op.get_bbox_patch(),
                                    patchB=boxes[id(v)].get_bbox_patch()))
        uses = Counter(id(c) for c in v._prev)
        drawn = Counter()
        for child in v._prev:
            m, k = uses[id(child)], drawn[id(child)]
            drawn[id(child)] += 1
            rad = 0.0 if m == 1 else 0.35 * (k - (m - 1) / 2)
            ax.annotate("", xy=(x - 1, y), xytext=pos[id(child)], zorder=2,
                        arrowprops=dict(arrow, connectionstyle=f"arc3,rad={rad}",
                                        patchA=boxes[id(child)].get_bbox_patch(),
                                        patchB=op.get_bbox_patch()))
    ax.set_title(title or "computation graph: data flows right, grad flows back left",
                 fontsize="small")
    names = {id(v): v.label or f"value {i + 1}" for i, v in enumerate(order)}
    parts = []
    for v in order:
        if v._prev:
            inputs = f" {_OP_SYMBOLS.get(v._op, v._op)} ".join(names[id(c)] for c in v._prev)
            if len(v._prev) > 1:
                made = f" = {inputs}"
            elif v._op.startswith("**"):
                made = f" = {inputs} to the power {v._op[2:]}"
            else:
                made = f" = {v._op}({inputs})"
        else:
            made = " (input)"
        parts.append(f"{names[id(v)]}{made}: data {_fmt(v.data)}, grad {_fmt(v.grad)}")
    set_alt(fig, f"Computation graph{': ' + plain(title) if title else ''} with {len(order)} "
                 f"values, data flowing left to right and gradients back right to left. In "
                 f"forward order: " + "; ".join(parts) + ".")
    return fig


# --- the three levers of one output neuron --------------------------------------------------

# one colour and one marker per example: no red next to orange, shapes tell them apart in grey
_EXAMPLE_COLORS = [PALETTE["orange"], PALETTE["green"], PALETTE["purple"], PALETTE["black"]]
_MARKERS = ["o", "s", "^", "D"]

def three_levers(A_prev, w, b: float, y) -> dict:
    """Gradients of ``ℓ = (a − y)²`` for one sigmoid neuron, per example and averaged.

    ``A_prev``: (n, k) previous activations, one example per row; ``w``: (k,);
    ``y``: (n,). With ``z = A_prev w + b``, ``a = σ(z)`` and ``g = ∂ℓ/∂z = 2 (a − y) σ'(z)`` per
    example: ``db = g`` (n,), ``dw = A_prev · g`` (n, k), ``da_prev = g wᵀ`` (n, k). The
    ``mean_*`` entries average over the n examples: the step every example agrees on.
    """
    A_prev, w, y = (np.asarray(v, dtype=float) for v in (A_prev, w, y))
    z = A_prev @ w + b
    a = sigmoid(z)
    delta = 2 * (a - y) * a * (1 - a)
    out = {"z": z, "a": a, "delta": delta, "db": delta, "dw": A_prev * delta[:, None],
           "da_prev": delta[:, None] * w[None, :]}
    for key in ("db", "dw", "da_prev"):
        out["mean_" + key] = out[key].mean(axis=0)
    return out


def format_levers(levers: dict) -> str:
    """A small text table of the nudges ``−gradient`` per example and their average."""
    k = levers["dw"].shape[1]
    head = (f"{'example':>8} {'a':>7} {'−∂ℓ/∂b':>8} "
            + " ".join(f"{'−∂ℓ/∂w' + str(j + 1):>8}" for j in range(k)) + " "
            + " ".join(f"{'−∂ℓ/∂a' + str(j + 1):>8}" for j in range(k)))
    rows = [head]
    for i in range(len(levers["a"])):
        rows.append(f"{i + 1:>8} {levers['a'][i]:7.3f} {-levers['db'][i]:8.3f} "
                    + " ".join(f"{-g:8.3f}" for g in levers["dw"][i]) + " "
                    + " ".join(f"{-g:8.3f}" for g in levers["da_prev"][i]))
    rows.append(f"{'average':>8} {'':>7} {-levers['mean_db']:8.3f} "
                + " ".join(f"{-g:8.3f}" for g in levers["mean_dw"]) + " "
                + " ".join(f"{-g:8.3f}" for g in levers["mean_da_prev"]))
    return "\n".join(rows)


def draw_three_levers(levers: dict, w) -> Figure:
    """Three panels of nudges (−gradient): bias, weights (∝ a_prev), previous activations (∝ w).

    Dots are single examples, bars their average: the step gradient descent takes.
    """
    w = np.asarray(w, dtype=float)
    k = len(w)
    fig, axes = new_figure(10, 3.2, ncols=3)
    panels = [("1 · the bias", -levers["db"][:, None], ["$b$"]),
              ("2 · the weights ($\\propto a_\\mathrm{prev}$)", -levers["dw"],
               [f"$w_{j + 1}$" for j in range(k)]),
              ("3 · previous activations ($\\propto w$)", -levers["da_prev"],
               [f"$a_{j + 1}$" for j in range(k)])]
    top = max(float(np.max(np.abs(p[1]))) for p in panels) * 1.15
    for ax, (title, nudges, names) in zip(axes, panels, strict=True):
        pos = np.arange(nudges.shape[1])
        ax.bar(pos, nudges.mean(axis=0), color=PALETTE["sky"], edgecolor=PALETTE["blue"],
               width=0.6, label="average")
        for i, row in enumerate(nudges):
            ax.plot(pos + 0.12 * (i - (len(nudges) - 1) / 2), row, _MARKERS[i % 4], ms=6,
                    color=_EXAMPLE_COLORS[i % 4], markeredgecolor="black", markeredgewidth=0.6,
                    label=f"example {i + 1}")
        ax.axhline(0, color=PALETTE["black"], lw=0.8)
        ax.set(xlim=(-0.7, len(pos) - 0.3), ylim=(-top, top), title=title)
        ax.set_xticks(pos, names)
    axes[2].set_xlabel(", ".join(f"$w_{j + 1} = {w[j]:+.1f}$" for j in range(k)),
                       fontsize="small")
    axes[0].set_ylabel("nudge $= -\\partial\\ell/\\partial(\\mathrm{lever})$")
    axes[0].legend(fontsize="x-small", loc="lower left")
    n = len(levers["a"])

    def bars(key, name):
        return ", ".join(f"{name}{j + 1} {-g:+.3f}" for j, g in enumerate(levers[key]))
    set_alt(fig, f"Three bar charts of the nudges (minus the gradient) for one sigmoid neuron, "
                 f"over {n} examples (dots) and their average (bars). Bias: average "
                 f"{-float(levers['mean_db']):+.3f}. Weights, proportional to the previous "
                 f"activations: average {bars('mean_dw', 'w')}. Previous activations, "
                 f"proportional to the weights ("
                 + ", ".join(f"w{j + 1} = {w[j]:+.1f}" for j in range(k))
                 + f"): average {bars('mean_da_prev', 'a')}.")
    return fig


# --- the explorer: one weight, its loss curve and the backprop tangent ----------------------

def slope_network(w: float) -> Sequential:
    """The 1→3→1 tanh network of the explorer (float64), with ``W₁[0, 1] = w``."""
    first, second = Dense(1, 3, dtype=np.float64), Dense(3, 1, dtype=np.float64)
    first.W[:] = [[2.0, w, -1.0]]
    first.b[:] = [0.5, -0.3, 0.2]
    second.W[:] = [[0.8], [-1.2], [0.6]]
    second.b[:] = [0.1]
    return Sequential(first, Tanh(), second)


def _slope_data():
    x = np.linspace(-1.0, 1.0, 24)[:, None]
    rng = np.random.default_rng(3)
    y = slope_network(1.5).forward(x) + rng.normal(0.0, 0.05, (24, 1))
    return x, y


class SlopeScene(Scene):
    """Left: L(w) with the tangent whose slope is backprop's ∂L/∂w. Right: the fit at this w."""

    figsize = (10.0, 3.9)
    grid = (1, 2)
    W_RANGE = (-4.0, 4.0)
    H = 1e-5

    def setup(self, axes):
        ax, fit = axes
        self.x, self.y = _slope_data()
        self.net = slope_network(0.0)
        ws = np.linspace(*self.W_RANGE, 321)
        curve = np.array([self.loss(w) for w in ws])   # precomputed once
        ax.plot(ws, curve, color=PALETTE["blue"], lw=2, label="loss L(w)")
        ax.set(xlim=self.W_RANGE, ylim=(-0.15, 3.4),
               xlabel="$w$ (weight from $x$ to hidden unit 2)", ylabel="loss $L$ (MSE)")
        self.tangent, = self.dyn(ax.plot(
            [], [], "--", color=PALETTE["orange"], lw=2,
            label="tangent: slope = backprop $\\partial L/\\partial w$"))
        self.point, = self.dyn(ax.plot([], [], "o", color=PALETTE["orange"], ms=8))
        self.step = self.dyn(ax.add_patch(FancyArrowPatch((0, 0), (0, 0), arrowstyle="-|>",
                                                          mutation_scale=16, lw=2.2, zorder=4,
                                                          color=PALETTE["green"])))
        ax.plot([], [], color=PALETTE["green"], lw=2.2, marker=">",
                label="descent step $\\propto -\\partial L/\\partial w$")   # legend entry
        ax.legend(loc="upper right", fontsize="small")
        self.title = self.dyn(ax.set_title("", fontsize="small"))
        self.xs = np.linspace(-1.0, 1.0, 101)[:, None]
        fit.scatter(self.x[:, 0], self.y[:, 0], s=16, color=PALETTE["grey"], label="data")
        self.fit_line, = self.dyn(fit.plot([], [], color=PALETTE["blue"], lw=2,
                                           label="network output $\\hat y$"))
        fit.set(xlim=(-1.05, 1.05), ylim=(-1.5, 2.2), xlabel="$x$", ylabel="$y$")
        fit.legend(loc="upper left", fontsize="small")
        fit.set_title("the network's output at the current w", fontsize="small")

    def set_w(self, w: float) -> None:
        """Set the one weight the slider moves, ``W₁[0, 1] = w``, in place."""
        self.net.layers[0].W[0, 1] = w

    def loss(self, w: float) -> float:
        """``L(w) = mean (ŷ − y)²`` with every other weight fixed."""
        self.set_w(w)
        return mse(self.net.forward(self.x), self.y)

    def backprop_slope(self, w: float) -> float:
        """``∂L/∂w`` by one forward and one backward pass (entry [0, 1] of the first layer's dW)."""
        self.set_w(w)
        y_hat = self.net.forward(self.x)
        self.net.backward(mse_grad(y_hat, self.y))
        return float(self.net.layers[0].dW[0, 1])

    def update(self, w=-1.0):
        numerical = (self.loss(w + self.H) - self.loss(w - self.H)) / (2 * self.H)
        slope = self.backprop_slope(w)
        loss = self.loss(w)
        span = np.array([w - 1.2, w + 1.2])
        self.tangent.set_data(span, loss + slope * (span - w))
        self.point.set_data([w], [loss])
        length = -float(np.clip(0.5 * slope, -1.2, 1.2))
        self.step.set_positions((w, loss + 0.3), (w + length, loss + 0.3))
        self.title.set_text(f"$w$ = {w:.2f}   $L$ = {loss:.4f}\nbackprop "
                            f"$\\partial L/\\partial w$ = {slope:+.4f}"
                            f"   numerical slope = {numerical:+.4f}")
        self.fit_line.set_data(self.xs[:, 0], self.net.forward(self.xs)[:, 0])
        self._frame = dict(loss=loss, slope=slope, numerical=numerical)

    def describe(self, w=-1.0):
        f = self._frame
        way = "right (w grows)" if f["slope"] < 0 else "left (w shrinks)"
        return (f"Left: the loss L(w) of a small tanh network against one weight w from "
                f"{self.W_RANGE[0]:g} to {self.W_RANGE[1]:g}, with its tangent at w = {w:.2f}, "
                f"where L = {f['loss']:.4f}. The tangent's slope is backprop's ∂L/∂w = "
                f"{f['slope']:+.4f} (numerical slope {f['numerical']:+.4f}); the descent step "
                f"points {way}. Right: {len(self.x)} data points and the network's output at "
                f"this w.")


render_backprop_slope = SlopeScene.render


def explore_backprop_slope(w: float = -1.0):
    """One slider for one weight: backprop's ∂L/∂w is the slope of the loss curve at w."""
    return Explorer(
        SlopeScene(),
        {"w": float_slider("w (one weight)", SlopeScene.W_RANGE[0], SlopeScene.W_RANGE[1],
                           0.05, w)},
        hint="Slide **w**: the orange tangent's slope is backprop's ∂L/∂w; the green arrow is "
             "the step gradient descent would take.")


EXPLORERS = [explore_backprop_slope]
