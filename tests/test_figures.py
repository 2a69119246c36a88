"""The course's figure style (issue 10 §5): resolution, CSS size, palette, mathtext, PNG.

Latency is not timed here (see ``make bench``); these tests check what the figures are.
"""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image as PILImage

from nnlib import plots
from nnlib.explore import ALL_EXPLORERS
from nnlib.explore._base import _canvas_png, css_width
from nnlib.explore.descent import explore_descent


def test_style_is_applied_and_legible():
    for key, value in plots.STYLE.items():
        assert matplotlib.rcParams[key] == value, key
    # legible: no text smaller than 11 CSS px by default (8-pt text was the problem)
    for key in ("font.size", "axes.labelsize", "xtick.labelsize", "ytick.labelsize",
                "legend.fontsize"):
        assert plots.STYLE[key] * plots.DISPLAY_DPI / 72 >= 11, key
    assert plots.DPI == plots.DISPLAY_DPI * plots.PIXEL_RATIO


def test_explorer_png_is_hidpi_and_shown_at_css_size():
    explorer = explore_descent()
    png = bytes(explorer.image.value)
    img = PILImage.open(io.BytesIO(png))
    fig = explorer.scene.fig
    w_in, h_in = fig.get_size_inches()
    assert abs(img.size[0] - w_in * plots.DPI) <= 1 and abs(img.size[1] - h_in * plots.DPI) <= 1
    assert int(explorer.image.width) == css_width(png)
    assert abs(css_width(png) - w_in * plots.DISPLAY_DPI) <= 1
    data, metadata = explorer._repr_mimebundle_()
    assert metadata["image/png"]["width"] == css_width(png)
    assert "image/png" in data
    explorer.close()


def test_canvas_png_decodes_to_the_canvas_pixels():
    for factory in ALL_EXPLORERS:
        explorer = factory()
        canvas = explorer.scene.fig.canvas
        image = PILImage.open(io.BytesIO(_canvas_png(canvas)))
        assert image.mode == "RGBA"
        decoded = np.asarray(image)
        assert np.array_equal(decoded, np.asarray(canvas.buffer_rgba()))
        # opaque everywhere: the PNG shows the same on a light or a dark page
        assert (decoded[..., 3] == 255).all(), factory.__name__
        explorer.close()


def test_show_displays_at_css_size(monkeypatch):
    shown = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: shown.append(obj))
    fig, ax = plots.new_figure(6.0, 3.0)
    ax.plot([0, 1], [0, 1])
    plots.show(fig)
    (image,) = shown
    assert image.width == round(6.0 * plots.DISPLAY_DPI)
    assert PILImage.open(io.BytesIO(image.data)).size[0] == round(6.0 * plots.DPI)


def test_palette_api():
    assert plots.colors(3) == [plots.PALETTE[k] for k in ("blue", "orange", "green")]
    assert plots.WARNING not in plots.colors(len(plots.SERIES))
    with pytest.raises(ValueError, match="at most"):
        plots.colors(len(plots.SERIES) + 1)
    assert plots.check_distinct("blue", "orange") == [plots.PALETTE["blue"],
                                                       plots.PALETTE["orange"]]
    with pytest.raises(ValueError, match="colour-blind"):
        plots.check_distinct("red", "orange")
    with pytest.raises(ValueError, match="unknown"):
        plots.check_distinct("pink")
    assert [c.lower() for c in matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]] == \
        [c.lower() for c in plots.COLORS]


def test_confusable_pairs_finds_red_and_orange_data():
    fig = Figure()
    ax = fig.subplots()
    ax.plot([0, 1], color=plots.PALETTE["orange"])
    assert plots.confusable_pairs(fig) == []
    ax.text(0.5, 0.5, "diverged", color=plots.WARNING)  # text is a message, not data
    assert plots.confusable_pairs(fig) == []
    ax.plot([1, 0], color=plots.PALETTE["red"])
    assert plots.confusable_pairs(fig) == [("orange", "red")]


def test_math_labels_render_as_math():
    fig = Figure()
    ax = fig.subplots()
    label = ax.set_xlabel(plots.math(r"\eta_t"))
    assert label.get_text() == r"$\eta_t$"
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()  # parses as mathtext without error
    # mathtext draws η with a subscript, narrower than the literal text "\eta_t"
    renderer = fig.canvas.get_renderer()
    literal = ax.text(0, 0, r"\eta_t").get_window_extent(renderer).width
    assert label.get_window_extent(renderer).width < literal
