"""The slider machinery shared by every explorer.

An explorer is a :class:`Scene` (how to draw the picture for given
parameters) plus this thin widget layer: each control's value is passed to
the scene by name, and the figure becomes PNG bytes shown in an
``ipywidgets.Image``. Updating the image's bytes (instead of redrawing a live
figure) means no flicker and no figure leaking into the cell's output.

A scene draws its static parts (axes, labels, fixed curves) once in
``setup`` and marks the moving parts with ``self.dyn(artist)``. On a slider
move only ``update`` runs: the cached background is restored and just the
moving artists are drawn again (blitting), which keeps an update near 10 ms.
``Scene.render(**params)`` is the pure path: a fresh ``Figure`` every call,
used by the tests.

Displayed in a notebook, an explorer emits two outputs: a one-line hint
(Markdown) and the widget, whose display bundle also carries a PNG of the
default figure. ``make notebooks`` strips the widget part from the stored
notebook, so GitHub, nbviewer and JupyterLab before running all show the
static preview instead of "Error displaying widget".
"""

from __future__ import annotations

import gc
import hashlib
import html
import struct
import time
import traceback
import weakref
import zlib

import ipywidgets as widgets
import numpy as np
from IPython.display import Markdown, display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from traitlets import Unicode

from ..plots import DPI, PIXEL_RATIO, WARNING, _fallback_alt, alt_bundle, fig_to_png, get_alt

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# ipywidgets 8 has a ``tooltip`` trait, which the front end puts on the <img> as its title (its
# accessible name when it has no alt); ipywidgets 7.7.1 (Colab) has none: there the frame's
# description goes into a visually hidden text right after the image instead.
IMAGE_HAS_TOOLTIP = "tooltip" in widgets.Image.class_trait_names()


class AltImage(widgets.Image):
    """``ipywidgets.Image`` whose ``tooltip`` reaches the ``<img>`` as its title (its accessible
    name) on ipywidgets 8.

    ipywidgets 8's ``DOMWidgetView.updateTooltip`` reads ``description.length``; ``Image`` has no
    ``description``, so a tooltip throws a TypeError in the front end ("Error setting state:
    Cannot read properties of undefined (reading 'length')") and the image is not shown. An
    empty synced ``description`` lets it set the title. Harmless on ipywidgets 7.
    """

    description = Unicode("").tag(sync=True)


SR_ONLY = ("position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;"
           "clip:rect(0,0,0,0);white-space:nowrap;border:0")


def float_slider(description, min, max, step, value, *, continuous=True, fmt=None):
    """A ``FloatSlider`` with explicit range, a readable label and a fixed width."""
    return widgets.FloatSlider(
        value=value, min=min, max=max, step=step, description=description,
        continuous_update=continuous, readout_format=fmt or ".2f",
        style={"description_width": "initial"}, layout=widgets.Layout(width="340px"))


def log_slider(description, min_exp, max_exp, value, *, step=0.05, continuous=True, fmt=".3g"):
    """A ``FloatLogSlider`` from ``10**min_exp`` to ``10**max_exp``: use it for learning rates."""
    return widgets.FloatLogSlider(
        value=value, base=10, min=min_exp, max=max_exp, step=step, description=description,
        continuous_update=continuous, readout_format=fmt,
        style={"description_width": "initial"}, layout=widgets.Layout(width="340px"))


def int_slider(description, min, max, value, *, step=1, continuous=True):
    """An ``IntSlider`` with explicit range and a readable label."""
    return widgets.IntSlider(
        value=value, min=min, max=max, step=step, description=description,
        continuous_update=continuous, style={"description_width": "initial"},
        layout=widgets.Layout(width="340px"))


def dropdown(description, options, value):
    """A ``Dropdown`` choice (e.g. an activation function)."""
    return widgets.Dropdown(options=options, value=value, description=description,
                            style={"description_width": "initial"},
                            layout=widgets.Layout(width="340px"))


class Scene:
    """A figure drawn once and then updated in place.

    Subclasses set ``figsize`` and ``grid`` (rows, cols), draw the static parts
    in ``setup(axes)`` and register every artist that moves with
    ``self.dyn(artist)``. ``update(**params)`` changes those artists; it may
    return ``True`` when it changed something static too (for example an
    axis range), which forces a full redraw.
    """

    figsize = (8.0, 3.4)
    grid = (1, 1)
    margins = None  # optional fig.subplots_adjust(**margins); otherwise constrained layout

    def __init__(self):
        self.fig = None
        self._dynamic = []
        self._background = None

    # --- to be written by each explorer ---
    def setup(self, axes):
        """Draw the static parts on ``axes`` (one Axes or an array shaped like ``grid``)."""
        raise NotImplementedError

    def update(self, **params):
        """Move the dynamic artists to show ``params``; return ``True`` to force a full redraw."""
        raise NotImplementedError

    def describe(self, **params) -> str:
        """Alt text for the frame ``update(**params)`` draws: what it shows, with its numbers.

        Called with the same parameters as ``update``, after it. The explorer gives it to
        the image as its accessible name, so a screen reader hears the current frame.
        """
        raise NotImplementedError

    # --- helpers for subclasses ---
    def dyn(self, artist):
        """Mark ``artist`` as moving: it is redrawn on every update."""
        if isinstance(artist, (list, tuple)):
            return [self.dyn(a) for a in artist]
        artist.set_animated(True)
        self._dynamic.append(artist)
        return artist

    def banner(self, ax, color=WARNING):
        """A hidden, moving text box in the middle of ``ax`` for messages such as "diverged"."""
        return self.dyn(ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center",
                                fontsize="large", color=color, visible=False, zorder=10,
                                bbox=dict(boxstyle="round", facecolor="white", edgecolor=color)))

    @staticmethod
    def say(text_artist, message):
        """Show ``message`` in a banner made by :meth:`banner` (hide it when empty)."""
        text_artist.set_text(message or "")
        text_artist.set_visible(bool(message))

    # --- machinery ---
    def build(self):
        """A new off-screen ``Figure`` with a ``grid`` of axes, drawn by ``setup``; returns it."""
        rows, cols = self.grid
        fig = Figure(figsize=self.figsize, dpi=DPI,
                     layout=None if self.margins else "constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(rows, cols, squeeze=True)
        if self.margins:
            fig.subplots_adjust(**self.margins)
        self.fig, self._dynamic, self._background = fig, [], None
        self.setup(axes)
        return fig

    @classmethod
    def render(cls, **params) -> Figure:
        """Pure path: a new ``Figure`` showing ``params`` (what the tests call)."""
        scene = cls()
        scene.build()
        scene.update(**params)
        return scene.fig

    def png(self, **params) -> bytes:
        """Fast path: update the moving artists and return PNG bytes."""
        if self.fig is None:
            self.build()
        full = self.update(**params)
        canvas = self.fig.canvas
        if full or self._background is None:
            canvas.draw()                       # static parts (and the layout, once)
            self.fig.set_layout_engine("none")  # freeze positions: later draws skip layout
            self._background = canvas.copy_from_bbox(self.fig.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self._dynamic:
            if artist.get_visible():
                self.fig.draw_artist(artist)
        return _canvas_png(canvas)


def css_width(png: bytes) -> int:
    """The CSS width of an explorer PNG: its pixel width (from the header) / ``PIXEL_RATIO``."""
    return round(int.from_bytes(bytes(png[16:20]), "big") / PIXEL_RATIO)


def _png_chunk(tag: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))


def _canvas_png(canvas) -> bytes:
    """The canvas as an RGBA PNG, written for speed: no row filters, zlib level 1.

    At 2× pixel density PNG encoding is a large part of a slider update. Pillow tries a row
    filter for every row; on these mostly flat images that costs ~40 % more CPU for the same
    size. The canvas's RGBA rows are written as they are (one contiguous copy to put the
    filter byte in front of each row): dropping alpha to make RGB needs a strided copy that
    costs more than compressing the extra, constant alpha byte (figures have an opaque
    background, so alpha is 255 everywhere). The file is a plain PNG (IHDR, one IDAT, IEND)
    that every decoder reads.
    """
    width, height = canvas.get_width_height()
    rgba = np.asarray(canvas.buffer_rgba())
    rows = np.empty((height, 1 + 4 * width), dtype=np.uint8)
    rows[:, 0] = 0  # filter type "None" for every row
    rows[:, 1:] = rgba.reshape(height, 4 * width)
    deflate = zlib.compressobj(1, zlib.DEFLATED, 15, 9)
    data = deflate.compress(rows) + deflate.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", data)
            + _png_chunk(b"IEND", b""))


# --- one live explorer per notebook cell ---------------------------------------------------
#
# Re-running a cell clears its output in the browser, but the kernel keeps the old widgets
# registered with ipywidgets (and IPython's ``Out`` keeps the old explorer), so the old Figure
# and its pixels stayed alive: ~2.8 MiB per re-run. Each explorer built while a kernel runs an
# execute request is recorded under that request's cell; a later execution of the same cell
# closes the explorers of the earlier one. Explorers made in the same execution (two in one
# cell) or outside a kernel (tests, scripts) are never closed behind the caller's back.
_LIVE: dict[str, list] = {}   # cell key -> [(execution msg_id, weakref to Explorer)]


def _current_execution():
    """``(cell key, execution id)`` of the execute request the kernel is running, else None.

    The cell key is the front end's ``cellId`` (JupyterLab, Notebook 7, VS Code); without one
    it is a hash of the cell's code.
    """
    try:
        from IPython import get_ipython

        kernel = getattr(get_ipython(), "kernel", None)
        parent = kernel.get_parent() if kernel is not None else None
    except Exception:  # no IPython, or a kernel without get_parent
        return None
    header = (parent or {}).get("header") or {}
    if header.get("msg_type") != "execute_request" or not header.get("msg_id"):
        return None
    cell = ((parent.get("metadata") or {}).get("cellId")
            or "code:" + hashlib.sha1(
                str((parent.get("content") or {}).get("code", "")).encode("utf-8")).hexdigest())
    return cell, header["msg_id"]


def _replace_in_cell(explorer) -> None:
    """Close the explorers an earlier run of the current cell made; record ``explorer``."""
    where = _current_execution()
    if where is None:
        return
    cell, execution = where
    kept, closed = [], False
    for run, ref in _LIVE.get(cell, []):
        old = ref()
        if old is None:
            continue
        if run == execution:
            kept.append((run, ref))
        else:
            old.close()
            closed = True
    kept.append((execution, weakref.ref(explorer)))
    _LIVE[cell] = kept
    if closed:
        # A figure and its canvas refer to each other, so only the cycle collector frees
        # their pixel buffers, and it rarely runs a full pass: without this, released
        # figures pile up (RSS) until it does. Once per cell run, not per slider move.
        del old
        gc.collect()


class Explorer(widgets.VBox):
    """Controls that re-render a :class:`Scene` (or a ``render -> Figure`` function) into an image.

    - ``scene``: a :class:`Scene` instance, or any ``render(**params) -> Figure``
      function (slower: the whole figure is redrawn every time).
    - ``controls``: ``{param_name: widget}``; each widget's ``value`` is passed by name.
    - ``hint``: one line telling the learner what to try.
    - ``fixed``: extra parameters passed unchanged on every update.
    - ``buttons``: optional ``{label: callback(explorer)}`` for slow actions such as
      training; the callback may call :meth:`show` repeatedly and set ``status.value``.

    After every update ``last_ms`` holds the render time and ``error`` the
    text of any exception (shown under the plot instead of being lost).
    """

    def __init__(self, scene, controls: dict, hint: str, buttons: dict | None = None,
                 fixed: dict | None = None):
        self.closed = False
        self.scene = scene
        self.controls = dict(controls)
        self.fixed = dict(fixed or {})
        self.hint = hint
        self.error = None
        self.last_ms = None
        self.alt = ""  # the current frame's description (the image's accessible name)
        self.image = AltImage(format="png", layout=widgets.Layout(max_width="100%"))
        # ipywidgets 7 only: the description as visually hidden text after the image
        self.caption = None if IMAGE_HAS_TOOLTIP else widgets.HTML(value="")
        self.status = widgets.HTML(value="")
        self.buttons = {}
        for label, callback in (buttons or {}).items():
            btn = widgets.Button(description=label, button_style="primary",
                                 layout=widgets.Layout(width="160px"))
            btn.on_click(lambda _b, cb=callback: self._run_button(cb))
            self.buttons[label] = btn
        items = list(self.controls.values()) + list(self.buttons.values())
        self._box = widgets.HBox(items, layout=widgets.Layout(flex_flow="row wrap"))
        super().__init__([self._box, self.image]
                         + ([self.caption] if self.caption is not None else []) + [self.status])
        self.add_class("nnlib-explorer")
        for w in self.controls.values():
            w.observe(self._on_change, names="value")
        _replace_in_cell(self)  # a re-run cell releases its previous explorer first
        self.update()

    @property
    def params(self) -> dict:
        """The current value of every control (and ``fixed``), by parameter name."""
        return {**self.fixed, **{k: w.value for k, w in self.controls.items()}}

    def _on_change(self, _change):
        self.update()

    def update(self):
        """Re-render with the current control values."""
        if self.closed:
            return
        start = time.perf_counter()
        try:
            params = self.params
            if isinstance(self.scene, Scene):
                png = self.scene.png(**params)
                self._set_png(png, self._describe(params))
            else:
                self.show(self.scene(**params))
            if self.error is not None:
                self.status.value = ""
            self.error = None
        except Exception as exc:  # keep the widget alive and say what went wrong
            self._report(exc)
        self.last_ms = (time.perf_counter() - start) * 1000

    def _describe(self, params) -> str:
        """The scene's description of the frame it just drew (``Scene.describe``)."""
        try:
            return self.scene.describe(**params)
        except NotImplementedError:
            return _fallback_alt(self.scene.fig)

    def show(self, fig, alt: str | None = None):
        """Display a ``Figure`` (or PNG bytes) in the explorer's image, with alt text ``alt``
        (default: the figure's own, from ``plots.set_alt``, else its titles and labels)."""
        if isinstance(fig, bytes):
            self._set_png(fig, alt)
        else:
            self._set_png(fig_to_png(fig), alt or get_alt(fig) or _fallback_alt(fig))

    def _set_png(self, png: bytes, alt: str | None = None):
        """Show ``png`` at its CSS size (PIXEL_RATIO pixels per CSS pixel: sharp on HiDPI),
        with ``alt`` as its accessible name; one message to the front end."""
        width = str(css_width(png))
        with self.image.hold_sync():
            if self.image.width != width:
                self.image.width = width
            self.image.value = png
            if alt is not None and alt != self.alt:
                self.alt = alt
                if IMAGE_HAS_TOOLTIP:
                    self.image.tooltip = alt
        if alt is not None and self.caption is not None:
            caption = f'<span style="{SR_ONLY}">{html.escape(alt)}</span>'
            if self.caption.value != caption:
                self.caption.value = caption

    def _report(self, exc):
        self.error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        self.status.value = f"<span style='color:{WARNING}'>⚠ {self.error}</span>"

    def close(self):
        """Close the explorer and every widget in it, and let its figure go.

        Called automatically when the cell that showed it runs again. Afterwards the
        explorer holds no figure, no image bytes and no live widget.
        """
        if self.closed:
            return
        self.closed = True
        for w in self.controls.values():
            w.unobserve(self._on_change, names="value")
        parts = [self.image, self.status] + ([self.caption] if self.caption is not None else [])
        for w in (*self.controls.values(), *self.buttons.values(), *parts, self._box, self):
            for part in (getattr(w, "layout", None), getattr(w, "style", None)):
                if isinstance(part, widgets.Widget):  # Layout and Style are widgets too
                    part.close()
            if w is not self:
                w.close()
        self.image.set_trait("value", b"")  # the PNG bytes (the comm is closed: nothing sent)
        self.scene = None                   # the Figure, its canvas and its cached background
        self.controls, self.buttons, self.fixed = {}, {}, {}
        super().close()

    def _run_button(self, callback):
        if self.closed:
            return
        try:
            callback(self)
            self.error = None
        except Exception as exc:
            self._report(exc)

    # --- display: hint + widget, with a static PNG preview in the bundle ---
    def _repr_mimebundle_(self, **kwargs):
        # Built by hand (not via super()) so it also works with ipywidgets 7 on Colab.
        # The static preview (what is stored, and shown where widgets are not) is an <img> with
        # the current frame's description as alt text: front ends ignore alt in image/png
        # metadata. Shown at its CSS size, so sharp on HiDPI.
        data = {}
        if self.image.value:
            png = bytes(self.image.value)
            data.update(alt_bundle(png, self.alt or self.hint, css_width(png)))
        data.update({"text/plain": f"[explorer] {self.hint}",
                     WIDGET_VIEW: {"version_major": 2, "version_minor": 0,
                                   "model_id": self.model_id}})
        return data, {}

    def _ipython_display_(self):
        if self.closed:
            display(Markdown(f"▸ {self.hint} (this explorer was closed: run its cell again)"))
            return
        display(Markdown(f"▸ {self.hint}"))
        data, metadata = self._repr_mimebundle_()
        display(data, metadata=metadata, raw=True)
