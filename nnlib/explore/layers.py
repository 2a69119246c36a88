"""Lesson 05 explorers: layers, network diagrams and a sum of ReLUs.

A network is drawn as columns of nodes (one column per layer) joined by
edges, one edge per weight. :func:`draw_network` colours each edge by the
sign of its weight (diverging palette: red positive, blue negative) and
makes it wider the larger ``|w|`` is. Weights use nnlib's orientation: the
matrix between a layer of ``n_in`` nodes and one of ``n_out`` nodes has
shape ``(n_in, n_out)``, so ``W[i, j]`` joins input node ``i`` to output node ``j``.

:func:`xor_data`, :func:`draw_xor_lines` and :func:`draw_xor_hidden` show why one
neuron cannot compute XOR and how a hidden layer of two ReLU units does;
:func:`draw_xor_training` shows a small network trained on it.

The explorer fits a 1-D curve with three hidden ReLU units,

    h_j = relu(w⁽¹⁾_j x + b⁽¹⁾_j)        ŷ = Σ_j w⁽²⁾_j h_j

and shows each unit's contribution ``w⁽²⁾_j h_j`` next to the diagram of the
network with its current weights.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize

from ..plots import DIVERGING_CMAP, PALETTE, new_figure, set_alt, signed
from ._base import Explorer, Scene, float_slider

__all__ = ["NetworkDiagram", "draw_network", "edge_widths", "relu_sum", "quadratic_target",
           "xor_data", "draw_xor_lines", "draw_xor_hidden", "draw_xor_training",
           "ReluSumScene", "render_relu_sum", "explore_relu_sum", "EXPLORERS"]

MIN_LW, MAX_LW = 0.6, 6.0
# the three hidden units: hues that stay apart for colour-blind readers (no red next to orange)
UNIT_COLORS = [PALETTE["orange"], PALETTE["green"], PALETTE["purple"]]
_SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"


def _sub(k: int) -> str:
    return "".join(_SUBSCRIPTS[int(d)] for d in str(k))


def edge_widths(weights, wmax: float) -> np.ndarray:
    """Line width per weight: ``MIN_LW + (MAX_LW − MIN_LW) · min(|w| / wmax, 1)``."""
    frac = np.minimum(np.abs(np.asarray(weights, dtype=float)) / wmax, 1.0)
    return MIN_LW + (MAX_LW - MIN_LW) * frac


class NetworkDiagram:
    """The artists of a drawn network, with :meth:`set_weights` to restyle them in place.

    - ``edges``: one ``LineCollection`` holding every weight, layer by layer,
      in the order ``W[i, j]`` of ``W.ravel()``
    - ``nodes``: one scatter per diagram, face colour = bias (white for inputs)
    - ``texts``: node labels, then (with ``show_values``) one value label per weight and bias

    :meth:`artists` lists them in drawing order (edges below nodes below text),
    which is the order to register them as moving artists in a :class:`Scene`.
    """

    def __init__(self, ax, sizes, wmax, show_values):
        self.ax, self.sizes, self.wmax, self.show_values = ax, list(sizes), float(wmax), show_values
        self.cmap = colormaps[DIVERGING_CMAP]
        self.norm = Normalize(-self.wmax, self.wmax)
        self.edges = self.nodes = None
        self.texts, self.weight_texts, self.bias_texts = [], [], []

    def artists(self) -> list:
        """Every artist of the diagram, in drawing order."""
        return [self.edges, self.nodes, *self.texts, *self.weight_texts, *self.bias_texts]

    def set_weights(self, weights, biases=None) -> None:
        """Restyle edges (colour = sign, width = ``|w|``), node colours and value labels."""
        flat = np.concatenate([np.asarray(W, dtype=float).ravel() for W in weights])
        if flat.size != len(self.edges.get_segments()):
            raise ValueError(f"draw_network: expected {len(self.edges.get_segments())} weights "
                             f"for layer sizes {self.sizes}, got {flat.size}")
        self.edges.set_colors(self.cmap(self.norm(flat)))
        self.edges.set_linewidths(edge_widths(flat, self.wmax))
        for text, w in zip(self.weight_texts, flat, strict=False):
            text.set_text(f"{w:.2f}")
        face = np.ones((sum(self.sizes), 4))
        if biases is not None:
            b_flat = np.concatenate([np.asarray(b, dtype=float).ravel() for b in biases])
            face[self.sizes[0]:] = self.cmap(self.norm(b_flat))
            for text, b in zip(self.bias_texts, b_flat, strict=False):
                text.set_text(f"b={b:.2f}")
        self.nodes.set_facecolors(face)


def _node_y(n: int) -> np.ndarray:
    return (n - 1) / 2 - np.arange(n, dtype=float)


def draw_network(ax, weights, biases=None, *, node_labels=None, layer_names=None,
                 wmax: float | None = None, show_values: bool = False,
                 colorbar: bool = False) -> NetworkDiagram:
    """Draw a fully connected network on ``ax``; returns a :class:`NetworkDiagram`.

    - ``weights``: list of matrices, ``W_l`` of shape ``(n_l, n_{l+1})`` (nnlib's
      orientation, ``Z = X W + b``); ``W_l[i, j]`` is the edge from node ``i`` to node ``j``
    - ``biases``: optional list of vectors ``b_l`` of shape ``(n_{l+1},)``; they colour the nodes
    - ``node_labels``: optional list (one per layer) of lists of strings; ``[]`` for none
    - ``layer_names``: labels under each column (default: input, hidden 1, …, output)
    - ``wmax``: the ``|w|`` drawn with the widest, darkest edge (default: the largest ``|w|``)
    - ``show_values``: write each weight (and bias) beside its edge (node)

    - ``colorbar``: add a colour bar that reads an edge's colour as its weight

    Edge colour = sign of ``w`` (red > 0, blue < 0), edge width ∝ ``|w|``.
    """
    weights = [np.atleast_2d(np.asarray(W, dtype=float)) for W in weights]
    if not weights:
        raise ValueError("draw_network needs at least one weight matrix")
    sizes = [weights[0].shape[0]] + [W.shape[1] for W in weights]
    for l, W in enumerate(weights):
        if W.shape[0] != sizes[l]:
            raise ValueError(f"draw_network: weight matrix {l} has shape {W.shape} but the layer "
                             f"before it has {sizes[l]} nodes; expected ({sizes[l]}, n_out)")
    if wmax is None:
        wmax = max(float(np.max(np.abs(W))) for W in weights) or 1.0
    diagram = NetworkDiagram(ax, sizes, wmax, show_values)
    ys = [_node_y(n) for n in sizes]
    segments, mids = [], []
    for l, W in enumerate(weights):
        for i in range(W.shape[0]):
            for j in range(W.shape[1]):
                segments.append([(l, ys[l][i]), (l + 1, ys[l + 1][j])])
                mids.append((l + 0.5, (ys[l][i] + ys[l + 1][j]) / 2))
    diagram.edges = ax.add_collection(LineCollection(segments, zorder=1, capstyle="round"))
    px = np.concatenate([np.full(n, l, dtype=float) for l, n in enumerate(sizes)])
    py = np.concatenate(ys)
    big = max(sizes) <= 6
    diagram.nodes = ax.scatter(px, py, s=520 if big else 160, edgecolors=PALETTE["black"],
                               linewidths=1.2, zorder=3)
    if node_labels is None and big:
        node_labels = [["x" + _sub(i + 1) if sizes[0] > 1 else "x" for i in range(sizes[0])]]
        for l, n in enumerate(sizes[1:-1], 1):
            node_labels.append([f"h{_sub(i + 1)}" if len(sizes) == 3
                                else f"$h^{{[{l}]}}_{{{i + 1}}}$"
                                for i in range(n)])
        node_labels.append(["ŷ" + _sub(i + 1) if sizes[-1] > 1 else "ŷ" for i in range(sizes[-1])])
    if node_labels is not None:
        for l, labels in enumerate(node_labels):
            for y, lab in zip(ys[l], labels, strict=False):
                diagram.texts.append(ax.text(l, y, lab, ha="center", va="center", fontsize="small",
                                             zorder=4))
    if show_values:
        box = dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.85)
        for (mx, my) in mids:
            diagram.weight_texts.append(ax.text(mx, my, "", ha="center", va="center",
                                                fontsize="x-small", zorder=2, bbox=box))
        if biases is not None:
            for l in range(1, len(sizes)):
                for y in ys[l]:
                    diagram.bias_texts.append(ax.text(l, y - 0.33, "", ha="center", va="top",
                                                      fontsize="x-small", zorder=4))
    names = layer_names or (["input"] + [f"hidden {l}" if len(sizes) > 3 else "hidden"
                                         for l in range(1, len(sizes) - 1)] + ["output"])
    top = max(sizes) / 2
    ax.set_xlim(-0.45, len(sizes) - 0.55)
    ax.set_ylim(-top - 0.15, top + 0.05)
    ax.set_xticks(range(len(sizes)), names)
    ax.set_yticks([])
    ax.tick_params(length=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    diagram.set_weights(weights, biases)
    flat = np.concatenate([W.ravel() for W in weights])
    set_alt(ax.figure, f"Diagram of a fully connected network with layers of "
                       f"{', '.join(map(str, sizes))} nodes ({', '.join(names)}), every node "
                       f"joined to every node of the next layer by {flat.size} weights in all. "
                       f"Edge colour shows the sign (red positive, blue negative) and width "
                       f"the size: the weights run from {flat.min():.2f} to {flat.max():.2f}, "
                       f"{int((flat > 0).sum())} of them positive.")
    if colorbar:
        label = "weight w (edge)" + (" or bias b (node)" if biases is not None else "")
        ax.figure.colorbar(ScalarMappable(diagram.norm, diagram.cmap), ax=ax, shrink=0.8,
                           pad=0.02, label=label)
    return diagram


def relu_sum(x, w1, b1, w2):
    """A 1→k→1 ReLU network: ``ŷ = Σ_j w2_j relu(w1_j x + b1_j)``; returns ``(y_hat, parts)``.

    x: (n,); w1, b1, w2: (k,) -> y_hat: (n,), parts ``w2_j h_j``: (n, k). In layer form:
    ``H = relu(X W⁽¹⁾ + b⁽¹⁾)`` with ``W⁽¹⁾ = w1`` as a (1, k) matrix, then ``ŷ = H W⁽²⁾`` with
    ``W⁽²⁾ = w2`` as a (k, 1) matrix.
    """
    x = np.asarray(x, dtype=float)
    h = np.maximum(x[:, None] * np.asarray(w1, dtype=float) + np.asarray(b1, dtype=float), 0.0)
    contributions = h * np.asarray(w2, dtype=float)
    return contributions.sum(axis=1), contributions


def quadratic_target(n: int = 41, seed: int = 0):
    """The explorer's data: ``y = x² + ε``, x ∈ [−1, 1], ``ε ~ N(0, 0.04²)``; returns ``(x, y)``."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1.0, 1.0, size=n))
    return x, x ** 2 + rng.normal(0.0, 0.04, size=n)


# --- XOR: what one neuron cannot do, and what a hidden layer does -----------------------------

def xor_data():
    """The four corners of the unit square and their XOR: ``X`` (4, 2), ``Y`` (4, 1)."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    return X, Y


def _xor_points(ax, X, Y, labels=True, s=170):
    """Targets 0 as blue circles, targets 1 as orange squares (shape and colour both differ)."""
    Y = np.asarray(Y).ravel()
    for target, colour, marker in ((0, PALETTE["blue"], "o"), (1, PALETTE["orange"], "s")):
        pts = X[Y == target]
        ax.scatter(pts[:, 0], pts[:, 1], s=s, c=colour, marker=marker, edgecolors="black",
                   linewidths=1.2, zorder=4, label=f"target y = {target}")
    if labels:
        for x1, x2 in X:
            ax.annotate(f"({x1:g}, {x2:g})", (x1, x2), textcoords="offset points",
                        xytext=(0, -20), ha="center", va="top", fontsize="small", zorder=5)


def draw_xor_lines(neurons):
    """One panel per neuron ``(w1, w2, b)``: the side where ``z = w1 x1 + w2 x2 + b > 0`` is
    shaded; a point on the wrong side of the line gets a dashed ring. Returns the ``Figure``."""
    X, Y = xor_data()
    fig, axes = new_figure(3.3 * len(neurons), 3.4, ncols=len(neurons))
    axes = np.atleast_1d(axes)
    g = np.linspace(-0.5, 1.5, 201)
    G1, G2 = np.meshgrid(g, g)
    for ax, (w1, w2, b) in zip(axes, neurons, strict=True):
        Z = w1 * G1 + w2 * G2 + b
        ax.contourf(G1, G2, (Z > 0).astype(float), levels=[-0.5, 0.5, 1.5],
                    colors=["white", "#E4E4E4"])
        ax.text(0.03, 0.97, "shaded: z > 0, the neuron says 1", transform=ax.transAxes,
                ha="left", va="top", fontsize="x-small", zorder=6,
                bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="none"))
        ax.contour(G1, G2, Z, levels=[0.0], colors=[PALETTE["black"]], linewidths=1.6)
        z = X @ np.array([w1, w2]) + b
        wrong = (z > 0).astype(float) != Y.ravel()
        _xor_points(ax, X, Y, labels=False)
        ax.scatter(X[wrong, 0], X[wrong, 1], s=560, facecolors="none",
                   edgecolors=PALETTE["black"], linewidths=2.0, linestyles="--", zorder=3)

        def term(c, name, first=False):
            sign = ("−" if c < 0 else "") if first else (" − " if c < 0 else " + ")
            mag = abs(c)
            return sign + (name if mag == 1 and name else f"{mag:g}{name}")

        ax.set_title("z = " + term(w1, "x₁", True) + term(w2, "x₂") + term(b, "") + "\n"
                     f"{int(wrong.sum())} of 4 on the wrong side", fontsize="small")
        ax.set(xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), xlabel="$x_1$", aspect="equal")
    mid = axes[len(axes) // 2]
    mid.legend(*axes[0].get_legend_handles_labels(), loc="upper center", ncols=2,
               bbox_to_anchor=(0.5, -0.2), fontsize="small", markerscale=0.6, frameon=False)
    axes[0].set_ylabel("$x_2$")
    panels = []
    for w1, w2, b in neurons:
        z = X @ np.array([w1, w2]) + b
        wrong = int(((z > 0).astype(float) != Y.ravel()).sum())
        panels.append(f"z = {w1:g}x₁ {signed(w2, 'g')}x₂ {signed(b, 'g')}: {wrong} of 4 on "
                      "the wrong side")
    set_alt(fig, f"The four XOR points on the unit square: (0, 0) and (1, 1) with target 0 "
                 f"(blue circles), (0, 1) and (1, 0) with target 1 (orange squares). "
                 f"{len(neurons)} panel{'s' if len(neurons) > 1 else ''}, one neuron each, its "
                 f"line z = 0 drawn and the side z > 0 shaded; points on the wrong side are "
                 f"ringed. " + "; ".join(panels) + ".")
    return fig


def _relu_net(X, W1, b1, W2, b2):
    H = np.maximum(X @ W1 + b1, 0.0)
    return H, H @ W2 + b2


def draw_xor_hidden(W1, b1, W2, b2):
    """Left: the network's output ``ŷ`` over the input square (colour bar), with the XOR points.
    Right: the same four points in the hidden layer's coordinates ``(h₁, h₂)``, where the
    line ``ŷ = 0.5`` separates them. ``W1`` (2, 2), ``b1`` (2,), ``W2`` (2, 1), ``b2`` (1,)."""
    X, Y = xor_data()
    W1, b1, W2, b2 = (np.asarray(v, dtype=float) for v in (W1, b1, W2, b2))
    fig, (ax, hid) = new_figure(9.6, 3.9, ncols=2)
    g = np.linspace(-0.5, 1.5, 101)
    G1, G2 = np.meshgrid(g, g)
    _, out = _relu_net(np.c_[G1.ravel(), G2.ravel()], W1, b1, W2, b2)
    mesh = ax.imshow(out.reshape(G1.shape), extent=(-0.5, 1.5, -0.5, 1.5), origin="lower",
                     cmap=DIVERGING_CMAP, vmin=-1.0, vmax=2.0)
    ax.contour(G1, G2, out.reshape(G1.shape), levels=[0.5], colors=[PALETTE["black"]],
               linewidths=1.4)
    fig.colorbar(mesh, ax=ax, label="network output $\\hat y$")
    _xor_points(ax, X, Y)
    ax.set(xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), xlabel="$x_1$", ylabel="$x_2$", aspect="equal",
           title="input space: black line is $\\hat y = 0.5$")
    H, _ = _relu_net(X, W1, b1, W2, b2)
    top = max(2.5, float(H.max()) + 0.5)
    hg = np.linspace(-0.3, top, 81)
    H1, H2 = np.meshgrid(hg, hg)
    line = W2[0, 0] * H1 + W2[1, 0] * H2 + b2[0]
    hid.contour(H1, H2, line, levels=[0.5], colors=[PALETTE["black"]], linewidths=1.4)
    _xor_points(hid, H, Y, labels=False)
    for (x1, x2), (h1, h2) in zip(X, H, strict=True):
        both = x1 == 1 and x2 == 1          # its label goes up-left, clear of the line
        hid.annotate(f"from ({x1:g}, {x2:g})", (h1, h2), textcoords="offset points",
                     xytext=(-10, 8) if both else (12, 8 if x1 == 0 else -16),
                     ha="right" if both else "left", fontsize="small", zorder=5)
    hid.set(xlim=(-0.3, top), ylim=(-0.3, top), xlabel="$h_1$", ylabel="$h_2$",
            aspect="equal", title="hidden space: one straight line now works")
    hid.legend(loc="upper left", fontsize="small")
    _, Y_hat = _relu_net(X, W1, b1, W2, b2)
    right = int(((Y_hat.ravel() > 0.5) == (Y.ravel() > 0.5)).sum())
    moved = "; ".join(f"({x1:g}, {x2:g}) → h = ({h1:.2f}, {h2:.2f}), ŷ = {yh:.2f}"
                      for (x1, x2), (h1, h2), yh in zip(X, H, Y_hat.ravel(), strict=True))
    set_alt(fig, "Left: the network's output ŷ over the input square as a colour map, with "
                 "the four XOR points and the curve ŷ = 0.5. Right: the same points in the "
                 "hidden layer's coordinates (h₁, h₂) with the straight line ŷ = 0.5: "
                 f"{moved}. {right} of the 4 points are on their target's side.")
    return fig


def draw_xor_training(losses, forward, every: int = 1):
    """Left: the loss after each step (log scale). Right: the trained network's output over the
    input square (colour bar) with the XOR points. ``forward(X) -> Y_hat`` is the trained net."""
    X, Y = xor_data()
    fig, (ax, surf) = new_figure(9.6, 3.6, ncols=2)
    steps = np.arange(len(losses)) * every
    ax.semilogy(steps, losses, color=PALETTE["blue"], lw=2)
    ax.set(xlabel="gradient-descent step", ylabel="loss L (MSE, log scale)",
           title=f"loss {losses[0]:.3g} → {losses[-1]:.2g}")
    g = np.linspace(-0.5, 1.5, 101)
    G1, G2 = np.meshgrid(g, g)
    out = np.asarray(forward(np.c_[G1.ravel(), G2.ravel()]), dtype=float).reshape(G1.shape)
    mesh = surf.imshow(out, extent=(-0.5, 1.5, -0.5, 1.5), origin="lower",
                       cmap=DIVERGING_CMAP, vmin=-1.0, vmax=2.0)
    surf.contour(G1, G2, out, levels=[0.5], colors=[PALETTE["black"]], linewidths=1.4)
    fig.colorbar(mesh, ax=surf, label="network output $\\hat y$")
    _xor_points(surf, X, Y)
    surf.set(xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), xlabel="$x_1$", ylabel="$x_2$",
             aspect="equal", title="trained network: black line is $\\hat y = 0.5$")
    corners = np.asarray(forward(X), dtype=float).ravel()
    right = int(((corners > 0.5) == (Y.ravel() > 0.5)).sum())
    set_alt(fig, f"Left: the loss (MSE, log scale) over {steps[-1]} gradient-descent steps, "
                 f"falling from {losses[0]:.3g} to {losses[-1]:.2g}. Right: the trained "
                 f"network's output over the input square as a colour map, with the four XOR "
                 f"points; its outputs at (0, 0), (0, 1), (1, 0), (1, 1) are "
                 + ", ".join(f"{v:.2f}" for v in corners)
                 + f", so {right} of 4 are on the right side of ŷ = 0.5.")
    return fig


class ReluSumScene(Scene):
    """Left: each unit's contribution ``w2_j relu(w1_j x + b1_j)``, their sum ŷ and the data.
    Right: the 1→3→1 network, edges styled by the current weights."""

    figsize = (10.0, 3.9)
    grid = (1, 2)
    margins = dict(left=0.07, right=0.98, bottom=0.13, top=0.88)
    W_MAX = 3.0
    KINK_Y = np.array([-0.12, -0.24, -0.36])

    def setup(self, axes):
        ax, net = axes
        ax.set_position([0.07, 0.13, 0.47, 0.75])
        net.set_position([0.64, 0.09, 0.34, 0.79])
        self.x, self.y = quadratic_target()
        self.xs = np.linspace(-1.0, 1.0, 201)
        ax.scatter(self.x, self.y, s=14, color=PALETTE["grey"],
                   label="data $y = x^2 + \\varepsilon$", zorder=2)
        ax.axhline(0, color=PALETTE["grey"], lw=0.8)
        ax.set(xlim=(-1.0, 1.0), ylim=(-1.2, 1.6), xlabel="x (input, scaled to [−1, 1])",
               ylabel="output")
        self.total, = self.dyn(ax.plot([], [], lw=1.8, color=PALETTE["blue"], zorder=2, alpha=0.7,
                                       label="$\\hat y$ = sum of the units"))
        self.parts = [self.dyn(ax.plot([], [], "--", lw=2.2, color=UNIT_COLORS[k], zorder=4,
                                       label=f"unit {k + 1}: $w^{{[2]}}_{k + 1} h_{k + 1}$")[0])
                      for k in range(3)]
        self.kinks = self.dyn(ax.scatter([0, 0, 0], [0, 0, 0], s=30, marker="^",
                                         c=UNIT_COLORS, zorder=5))
        ax.legend(loc="lower center", fontsize="x-small", ncols=2, framealpha=0.9)
        self.title = self.dyn(ax.set_title("", fontsize="medium"))
        zeros = [np.zeros((1, 3)), np.zeros((3, 1))]
        self.diagram = draw_network(net, zeros, [np.zeros(3), np.zeros(1)], wmax=self.W_MAX,
                                    node_labels=[], colorbar=True)
        self.dyn(self.diagram.artists())
        # labels beside the nodes stay static (fast): the moving nodes would cover labels inside
        for (nx, ny), label in zip(self.diagram.nodes.get_offsets(),
                                   ["$x$", "$h_1$", "$h_2$", "$h_3$", "$\\hat y$"], strict=True):
            net.text(nx, ny + 0.3, label, ha="center", va="bottom", fontsize="medium")
        net.set_title("edge colour = weight, width ∝ |w|\nnode colour = bias", fontsize="small")

    def update(self, w1=1.0, w2=-1.0, w3=1.0, b1=0.0, b2=0.0, b3=-0.5,
               v1=0.5, v2=0.5, v3=1.0):
        w, b, v = np.array([w1, w2, w3]), np.array([b1, b2, b3]), np.array([v1, v2, v3])
        y_hat, parts = relu_sum(self.xs, w, b, v)
        for line, part in zip(self.parts, parts.T, strict=True):
            line.set_data(self.xs, part)
        self.total.set_data(self.xs, y_hat)
        with np.errstate(divide="ignore", invalid="ignore"):
            kink_x = np.where(w != 0, -b / w, np.nan)
        kink_x = np.where(np.abs(kink_x) <= 1.0, kink_x, np.nan)
        # staggered below the axis line, so two bends at the same x never hide each other
        self.kinks.set_offsets(np.c_[kink_x, self.KINK_Y])
        loss = float(np.mean((relu_sum(self.x, w, b, v)[0] - self.y) ** 2))
        self.title.set_text("$\\hat y = \\sum_j w^{[2]}_j\\,\\mathrm{relu}(w^{[1]}_j x"
                            f" + b^{{[1]}}_j)$     MSE = {loss:.4f}")
        self.diagram.set_weights([w.reshape(1, 3), v.reshape(3, 1)], [b, np.zeros(1)])
        self._frame = dict(loss=loss, kink_x=kink_x)

    def describe(self, w1=1.0, w2=-1.0, w3=1.0, b1=0.0, b2=0.0, b3=-0.5,
                 v1=0.5, v2=0.5, v3=1.0):
        units = []
        for k, (w, b, v, kink) in enumerate(zip((w1, w2, w3), (b1, b2, b3), (v1, v2, v3),
                                                self._frame["kink_x"], strict=True), 1):
            bend = f"bends at x = {kink + 0.0:.2f}" if np.isfinite(kink) else "no bend in view"
            units.append(f"unit {k}: {v:.2f}·relu({w:.2f}x {signed(b)}), {bend}")
        return (f"Left: {len(self.x)} data points of y = x² for x from -1 to 1, each of three "
                f"ReLU units' contribution (dashed) and their sum ŷ; " + "; ".join(units)
                + f". The sum fits the data with MSE = {self._frame['loss']:.4f}. Right: the "
                "1→3→1 network, edge colour and width showing each weight.")


render_relu_sum = ReluSumScene.render


def explore_relu_sum(w1=1.0, w2=-1.0, w3=1.0, b1=0.0, b2=0.0, b3=-0.5, v1=0.5, v2=0.5, v3=1.0):
    """Nine sliders for a 1→3→1 ReLU network: bend a sum of ReLUs into the data's parabola.

    Unit k has ``w{k}`` = its weight w⁽¹⁾ₖ from x, ``b{k}`` = its bias b⁽¹⁾ₖ and ``v{k}`` = its
    weight w⁽²⁾ₖ to the output (the parameter names are kept short for the sliders).
    """
    controls = {}
    for k, (wk, bk, vk) in enumerate(zip((w1, w2, w3), (b1, b2, b3), (v1, v2, v3), strict=True), 1):
        controls[f"w{k}"] = float_slider(f"w⁽¹⁾{_sub(k)} (x → h{_sub(k)})", -3.0, 3.0, 0.05, wk)
        controls[f"b{k}"] = float_slider(f"b⁽¹⁾{_sub(k)} (bias of h{_sub(k)})", -2.0, 2.0, 0.05,
                                         bk)
        controls[f"v{k}"] = float_slider(f"w⁽²⁾{_sub(k)} (h{_sub(k)} → ŷ)", -2.0, 2.0, 0.05, vk)
    return Explorer(ReluSumScene(), controls,
                    hint="Each unit adds one bend at x = −b⁽¹⁾/w⁽¹⁾ (▲). Move all three units' "
                         "sliders: can you push the MSE below 0.01?")


EXPLORERS = [explore_relu_sum]
