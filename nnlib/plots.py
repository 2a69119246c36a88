"""Plot helpers shared by every lesson: one palette, off-screen figures, PNG bytes.

Figures are plain ``matplotlib.figure.Figure`` objects drawn with the Agg
backend; nothing here touches pyplot, so no figure ever leaks into a cell's
output and no GUI backend is needed.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

# Okabe & Ito (2008), a palette that stays distinct for colour-blind readers.
PALETTE = {
    "blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "red": "#D55E00",
    "purple": "#CC79A7", "sky": "#56B4E9", "yellow": "#F0E442", "black": "#000000",
    "grey": "#999999",
}
COLORS = [PALETTE[k] for k in
          ("blue", "orange", "green", "red", "purple", "sky", "yellow", "black")]
DIVERGING_CMAP = "RdBu_r"   # negative blue, positive red: weights and decision surfaces
SEQUENTIAL_CMAP = "viridis"
DPI = 72


def new_figure(width: float = 8.0, height: float = 3.4, ncols: int = 1, nrows: int = 1, **kw):
    """An off-screen ``Figure`` with a grid of axes; returns ``(fig, axes)``.

    ``axes`` is a single Axes for a 1×1 grid, else an array. Uses
    constrained layout so labels never overlap.
    """
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=True, **kw)
    return fig, axes


def fig_to_png(fig, dpi: int = DPI) -> bytes:
    """Render ``fig`` to PNG bytes (off-screen, Agg)."""
    buf = io.BytesIO()
    if fig.canvas is None or not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def banner(ax, text: str, color: str = PALETTE["red"]):
    """Write a warning such as "diverged after 7 steps: η too large" across ``ax``."""
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", fontsize=12,
            color=color, wrap=True,
            bbox=dict(boxstyle="round", facecolor="white", edgecolor=color, alpha=0.9))


def finite_or_nan(values) -> np.ndarray:
    """Replace inf by NaN, so a diverging curve simply stops on the plot."""
    v = np.asarray(values, dtype=float)
    return np.where(np.isfinite(v), v, np.nan)


def show(fig, dpi: int = DPI) -> None:
    """Display a static ``Figure`` in a notebook as a PNG (no pyplot, nothing leaks)."""
    from IPython.display import Image, display

    display(Image(data=fig_to_png(fig, dpi=dpi), format="png"))
