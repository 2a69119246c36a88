"""Plot helpers shared by every lesson: one style, one palette, off-screen figures, PNG bytes.

Figures are plain ``matplotlib.figure.Figure`` objects drawn with the Agg
backend; nothing here touches pyplot, so no figure ever leaks into a cell's
output and no GUI backend is needed.

**One course style.** Importing this module applies :data:`STYLE` (font sizes a class can
read from the back of a room, mathtext in the text font, the palette as the colour cycle)
to matplotlib's ``rcParams``, so every figure of the course looks the same, explorers and
static figures alike. Use relative font sizes (``fontsize="small"``), never absolute
points, so text follows the style.

**Sharp on HiDPI screens.** A figure inch is shown as :data:`DISPLAY_DPI` CSS pixels (an
8-inch figure is 576 CSS pixels wide) and rendered with :data:`PIXEL_RATIO` device pixels per
CSS pixel (:data:`DPI` = 144), so a 2× ("retina") screen, or a projector with the browser
zoomed to 200 %, shows every pixel. :func:`show` and the explorers display the PNG at its
CSS size.

**Colour.** Okabe & Ito's palette (:data:`PALETTE`). Vermillion (``"red"``) is the warning
colour (banners such as "diverged"); data never uses it next to orange, which colour-blind
readers confuse with it. :func:`colors` returns series colours without that pair;
:func:`check_distinct` raises on a confusable choice; :func:`confusable_pairs` finds them in a
finished figure.
"""

from __future__ import annotations

import io
import os

import matplotlib
import numpy as np
from cycler import cycler
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

# Okabe & Ito (2008), a palette that stays distinct for colour-blind readers.
PALETTE = {
    "blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "red": "#D55E00",
    "purple": "#CC79A7", "sky": "#56B4E9", "yellow": "#F0E442", "black": "#000000",
    "grey": "#999999",
}
#: pairs of palette colours that must never name two different things in one figure
CONFUSABLE = (frozenset({"red", "orange"}),)
#: series colours in order; vermillion is left out (it is the warning colour, see WARNING)
SERIES = ("blue", "orange", "green", "purple", "sky", "black", "grey")
COLORS = [PALETTE[k] for k in SERIES]
WARNING = PALETTE["red"]      # banners and error text only, never a data series
DIVERGING_CMAP = "RdBu_r"     # negative blue, positive red: weights and decision surfaces
SEQUENTIAL_CMAP = "viridis"

DISPLAY_DPI = 72              # CSS pixels per figure inch (the size on the page)
# rendered pixels per CSS pixel: 2 is sharp on 2× screens; NNLIB_PIXEL_RATIO=1 halves the
# pixels (and the PNG work per slider move) for a slow server
PIXEL_RATIO = float(os.environ.get("NNLIB_PIXEL_RATIO") or 2)
if not 0.5 <= PIXEL_RATIO <= 4:
    raise ValueError(f"NNLIB_PIXEL_RATIO must be between 0.5 and 4, got {PIXEL_RATIO:g}")
DPI = DISPLAY_DPI * PIXEL_RATIO

#: the course style, applied to matplotlib's rcParams when this module is imported
STYLE = {
    "font.size": 12.0,                 # 12 CSS px: the size of the notebook's own text
    "axes.titlesize": 13.0,
    "axes.labelsize": 12.0,
    "xtick.labelsize": 11.0,
    "ytick.labelsize": 11.0,
    "legend.fontsize": 11.0,
    "legend.title_fontsize": 11.0,
    "figure.titlesize": 14.0,
    "lines.linewidth": 2.0,
    "lines.markersize": 6.0,
    "axes.linewidth": 1.0,
    "axes.prop_cycle": cycler(color=COLORS),
    "axes.titlelocation": "center",
    "mathtext.fontset": "dejavusans",  # $\\eta_t$ in the same face as the words around it
    "mathtext.default": "it",
    "image.cmap": SEQUENTIAL_CMAP,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "legend.framealpha": 0.9,
}
matplotlib.rcParams.update(STYLE)


def colors(n: int) -> list[str]:
    """``n`` series colours (hex), no two of them confusable: blue, orange, green, purple, ..."""
    if not 0 <= n <= len(SERIES):
        raise ValueError(f"colors(n) gives at most {len(SERIES)} distinct series colours, "
                         f"asked for {n}")
    return COLORS[:n]


def check_distinct(*names: str) -> list[str]:
    """The hex colours of palette ``names``; raises if two of them are confusable.

    ``check_distinct("blue", "orange")`` → ``["#0072B2", "#E69F00"]``;
    ``check_distinct("red", "orange")`` raises ``ValueError``.
    """
    unknown = [n for n in names if n not in PALETTE]
    if unknown:
        raise ValueError(f"unknown palette colour(s) {unknown}; choose from {list(PALETTE)}")
    for pair in CONFUSABLE:
        if pair <= set(names):
            a, b = sorted(pair)
            raise ValueError(f"{a} and {b} are confused by colour-blind readers: pick another "
                             "for one of them (colors(n) gives a safe set)")
    return [PALETTE[n] for n in names]


def _artist_colors(artist) -> set[str]:
    """Palette names of the colours ``artist`` draws with (lines, markers, patches, texts)."""
    hexes = set()
    for getter in ("get_color", "get_markerfacecolor", "get_markeredgecolor", "get_facecolor",
                   "get_edgecolor"):
        fn = getattr(artist, getter, None)
        if fn is None:
            continue
        try:
            value = fn()
        except Exception:
            continue
        values = np.atleast_2d(np.asarray(matplotlib.colors.to_rgba_array(value)))
        for rgba in values:
            if rgba[3] > 0:
                hexes.add(to_hex(rgba[:3]).lower())
    by_hex = {v.lower(): k for k, v in PALETTE.items()}
    return {by_hex[h] for h in hexes if h in by_hex}


def confusable_pairs(fig) -> list[tuple[str, str]]:
    """Confusable palette pairs (e.g. ``("orange", "red")``) drawn in ``fig``'s visible artists.

    Text (banners, titles) is not data and is left out; so are invisible artists.
    """
    from matplotlib.text import Text

    used = set()
    for artist in fig.findobj(lambda a: a.get_visible() and not isinstance(a, Text)):
        used |= _artist_colors(artist)
    return [tuple(sorted(pair)) for pair in CONFUSABLE if pair <= used]


def math(expr: str) -> str:
    """``expr`` as mathtext, for labels: ``math(r"\\eta_t")`` → ``"$\\eta_t$"`` renders η with
    a subscript t, not the literal text "eta_t". Also ``f"loss {math('L(w)')}"``."""
    return f"${expr}$"


def css_size(fig) -> tuple[int, int]:
    """``(width, height)`` in CSS pixels at which ``fig`` is shown on the page."""
    w, h = fig.get_size_inches()
    return round(w * DISPLAY_DPI), round(h * DISPLAY_DPI)


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


def banner(ax, text: str, color: str = WARNING):
    """Write a warning such as "diverged after 7 steps: η too large" across ``ax``."""
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", fontsize="large",
            color=color, wrap=True,
            bbox=dict(boxstyle="round", facecolor="white", edgecolor=color, alpha=0.9))


def finite_or_nan(values) -> np.ndarray:
    """Replace inf by NaN, so a diverging curve simply stops on the plot."""
    v = np.asarray(values, dtype=float)
    return np.where(np.isfinite(v), v, np.nan)


ALT_ATTR = "_nnlib_alt"
#: how alt text made from a figure's titles and labels starts (no description was given); the
#: tests flag any stored figure whose alt text starts with it
FALLBACK_PREFIX = "Figure without a description: "


def set_alt(fig, text: str):
    """Attach alt text to ``fig``: what the figure shows, with its numbers; returns ``fig``.

    nnlib's figure functions call it with text computed from the numbers they draw
    ("Loss against c₁: a parabola with its minimum 1.2 at c₁ = 2.0"), so the text stays
    true when the numbers change. :func:`show` uses it when called without ``alt``.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError("alt text must be a non-empty string saying what the figure shows, "
                         f"got {text!r}")
    setattr(fig, ALT_ATTR, " ".join(text.split()))
    return fig


def get_alt(fig) -> str | None:
    """The alt text set on ``fig`` by :func:`set_alt`, or ``None``."""
    return getattr(fig, ALT_ATTR, None)


_TEX = {r"\eta": "η", r"\Delta": "Δ", r"\delta": "δ", r"\partial": "∂", r"\sigma": "σ",
        r"\lambda": "λ", r"\alpha": "α", r"\beta": "β", r"\gamma": "γ", r"\theta": "θ",
        r"\mu": "μ", r"\nabla": "∇", r"\cdot": "·", r"\times": "×", r"\to": "→",
        r"\propto": "∝", r"\approx": "≈", r"\leq": "≤", r"\geq": "≥", r"\ell": "ℓ",
        r"\hat": "", r"\mathrm": "", r"\mathbf": "", r"\,": " ", r"\;": " ", r"\!": ""}
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def plain(text: str) -> str:
    """``text`` with mathtext made readable aloud: ``"$\\eta_t$"`` → ``"η_t"``,
    ``"$c_1$"`` → ``"c₁"``, ``"$h^2$"`` → ``"h²"`` (for alt text built from labels)."""
    import re

    if "$" not in text:
        return text
    for tex, uni in sorted(_TEX.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(tex, uni)
    text = re.sub(r"_\{?([0-9]+)\}?", lambda m: m.group(1).translate(_SUB), text)
    text = re.sub(r"\^\{?([0-9]+)\}?", lambda m: m.group(1).translate(_SUP), text)
    return " ".join(text.replace("$", "").replace("{", "").replace("}", "").split())


def signed(value: float, spec: str = ".2f") -> str:
    """``value`` as a term after another one, for alt text: ``"+ 0.50"``, ``"− 0.50"``
    (``-0.0`` prints as ``+ 0.00``)."""
    text = format(abs(float(value)), spec)
    negative = float(value) < 0 and float(format(float(value), spec)) != 0
    return ("− " if negative else "+ ") + text


def _fallback_alt(fig) -> str:
    """A last-resort description from the figure's titles and axis labels."""
    parts = []
    title = fig._suptitle.get_text() if getattr(fig, "_suptitle", None) is not None else ""
    if title:
        parts.append(title)
    for ax in fig.axes:
        bits = [t for t in (ax.get_title(), ax.get_xlabel() and f"x: {ax.get_xlabel()}",
                            ax.get_ylabel() and f"y: {ax.get_ylabel()}") if t]
        if bits:
            parts.append(", ".join(bits))
    return plain(FALLBACK_PREFIX + ("; ".join(parts) if parts else "no titles or labels"))


class AltFigure:
    """A figure's display bundle: an ``<img>`` with alt text (text/html) plus the alt text
    itself as text/plain. Built by :func:`show`; shown with IPython's ``display``."""

    def __init__(self, png: bytes, alt: str, width: int):
        self.png, self.alt, self.width = png, alt, width

    def _repr_mimebundle_(self, include=None, exclude=None):
        return alt_bundle(self.png, self.alt, self.width), {}


def alt_bundle(png: bytes, alt: str, width: int) -> dict:
    """The display data for ``png`` with ``alt``: text/html ``<img … alt>`` and text/plain."""
    import base64
    import html

    src = base64.b64encode(png).decode("ascii")
    return {
        "text/html": f'<img src="data:image/png;base64,{src}" width="{width}" '
                     f'alt="{html.escape(alt, quote=True)}" />',
        "text/plain": alt,
    }


def show(fig, alt: str | None = None, *, dpi: int = DPI) -> None:
    """Display a static ``Figure`` in a notebook as a PNG with alt text (no pyplot).

    ``alt`` says what the figure shows, with its numbers (compute them in the cell:
    ``show(fig, alt=f"Loss against c₁: minimum {m:.1f} at c₁ = {c:.1f}")``). Without it,
    the text set by :func:`set_alt` is used (nnlib's figure functions set it); a figure
    with neither gets a description from its titles and axis labels and, under pytest, a
    warning.

    The PNG has ``dpi / DISPLAY_DPI`` pixels per CSS pixel and is shown at the figure's CSS
    size, so it is sharp on HiDPI screens.
    """
    from IPython.display import display

    if alt is None:
        alt = get_alt(fig)
    if alt is None:
        alt = _fallback_alt(fig)
        if os.environ.get("PYTEST_CURRENT_TEST") or os.environ.get("NNLIB_REQUIRE_ALT"):
            import warnings

            warnings.warn("show(fig) without alt text: pass show(fig, alt=f\"...\") saying "
                          "what the figure shows, with its numbers", UserWarning, stacklevel=2)
    elif not isinstance(alt, str) or not alt.strip():
        raise ValueError("alt must be a non-empty string saying what the figure shows, "
                         f"got {alt!r}")
    width, _ = css_size(fig)
    display(AltFigure(fig_to_png(fig, dpi=dpi), " ".join(alt.split()), width))
