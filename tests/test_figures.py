"""The course's figure style (issue 10 §5): resolution, CSS size, palette, mathtext, PNG.

Latency is not timed here (see ``make bench``); these tests check what the figures are.
"""

from __future__ import annotations

import base64
import html as html_lib
import io
import json
import re
from pathlib import Path

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
    data, _ = explorer._repr_mimebundle_()
    # the static preview: an <img> with the frame's alt text, at the CSS size (sharp on HiDPI)
    img = _img_tag(data["text/html"])
    assert img["width"] == str(css_width(png))
    assert base64.b64decode(img["src"].split(",", 1)[1]) == png
    assert img["alt"] == explorer.alt == explorer.scene.describe(**explorer.params)
    assert data["text/plain"] == f"[explorer] {explorer.hint}"
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


def _img_tag(html_text: str) -> dict:
    """The attributes of the one ``<img>`` in ``html_text`` (parsed by the standard library)."""
    from html.parser import HTMLParser

    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "img":
                found.append(dict(attrs))

    Parser().feed(html_text)
    assert len(found) == 1, f"expected one <img>, found {len(found)} in {html_text[:200]!r}"
    return found[0]


def _shown(monkeypatch):
    """Capture what ``plots.show`` displays: a list of ``(data, metadata)`` bundles."""
    shown = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "display",
                        lambda obj, **kw: shown.append(obj._repr_mimebundle_()))
    return shown


def test_show_displays_at_css_size_with_alt(monkeypatch):
    shown = _shown(monkeypatch)
    fig, ax = plots.new_figure(6.0, 3.0)
    ax.plot([0, 1], [0, 1])
    plots.show(fig, alt='A line from (0, 0) to (1, 1) & a "quote" <b>')
    ((data, _),) = shown
    img = _img_tag(data["text/html"])
    assert img["width"] == str(round(6.0 * plots.DISPLAY_DPI))
    png = base64.b64decode(img["src"].removeprefix("data:image/png;base64,"))
    assert PILImage.open(io.BytesIO(png)).size[0] == round(6.0 * plots.DPI)
    # the alt survives HTML escaping exactly; text/plain is the same sentence
    assert img["alt"] == 'A line from (0, 0) to (1, 1) & a "quote" <b>' == data["text/plain"]
    assert set(data) == {"text/html", "text/plain"}  # no second copy of the PNG


def test_show_uses_set_alt_and_alt_wins(monkeypatch):
    shown = _shown(monkeypatch)
    fig, ax = plots.new_figure()
    ax.plot([0, 1])
    assert plots.set_alt(fig, "  Loss against c₁:\n a parabola  ") is fig
    assert plots.get_alt(fig) == "Loss against c₁: a parabola"   # whitespace collapsed
    plots.show(fig)
    plots.show(fig, alt="given in the cell")
    assert [_img_tag(d["text/html"])["alt"] for d, _ in shown] == \
        ["Loss against c₁: a parabola", "given in the cell"]
    for bad in ("", "   ", None, 3):
        with pytest.raises(ValueError, match="alt text"):
            plots.set_alt(fig, bad)
    with pytest.raises(ValueError, match="alt must be"):
        plots.show(fig, alt="  ")


def test_show_without_alt_warns_in_tests_and_falls_back(monkeypatch):
    shown = _shown(monkeypatch)
    fig, ax = plots.new_figure()
    ax.plot([0, 1])
    ax.set(title=r"loss against $\eta_t$", xlabel="$c_1$", ylabel="loss")
    with pytest.warns(UserWarning, match="without alt text"):
        plots.show(fig)
    alt = shown[0][0]["text/plain"]
    assert alt.startswith(plots.FALLBACK_PREFIX)
    assert "loss against η_t" in alt and "x: c₁" in alt and "$" not in alt


def test_plain_reads_mathtext():
    assert plots.plain(r"$\eta_t$ and $c_1$, $h^2$") == "η_t and c₁, h²"
    assert plots.plain("a_1 and b^2, no math") == "a_1 and b^2, no math"
    assert plots.signed(-0.5) == "− 0.50" and plots.signed(0.25, ".1f") == "+ 0.2"
    assert plots.signed(-0.0001) == "+ 0.00"   # prints as zero: no "minus zero"


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


# --------------------------------------------------------------------------- alt text
ROOT = Path(__file__).resolve().parents[1]
BAD_IN_ALT = re.compile(r"\$|\\[a-zA-Z]|\bnan\b|\binf\b|np\.float|array\(")


def _check_alt(alt: str, where: str):
    assert alt and len(alt) >= 40, f"{where}: alt text too short to say anything: {alt!r}"
    assert not alt.startswith(plots.FALLBACK_PREFIX), f"{where}: no description given"
    assert not BAD_IN_ALT.search(alt), f"{where}: raw math or a NumPy repr in {alt!r}"
    assert re.search(r"\d", alt), f"{where}: no numbers in {alt!r}"


def _other_values(widget):
    """Two values of ``widget`` other than its current one (an end and the middle)."""
    options = getattr(widget, "options", None)
    if options is not None:
        values = [o[1] if isinstance(o, tuple) else o for o in options]
        return [v for v in values if v != widget.value][:2]
    lo, hi = widget.min, widget.max
    if hasattr(widget, "base"):
        lo, hi = widget.base ** lo, widget.base ** hi
    candidates = [hi, lo, (lo * hi) ** 0.5 if hasattr(widget, "base") else (lo + hi) / 2]
    if isinstance(widget.value, int):
        candidates = [int(round(c)) for c in candidates]
    return [c for c in candidates if c != widget.value][:2]


@pytest.mark.parametrize("factory", ALL_EXPLORERS, ids=lambda f: f.__name__)
def test_every_explorer_describes_each_frame(factory):
    """The image's alt text is the scene's description of the frame shown: present from the
    start, on the image (tooltip → title on ipywidgets 8), and new whenever the image is."""
    from nnlib.explore._base import IMAGE_HAS_TOOLTIP

    explorer = factory()
    name = factory.__name__
    _check_alt(explorer.alt, name)
    head = explorer.alt.split(",")[0]   # the caption on ipywidgets 7 is HTML: ' is escaped
    assert (explorer.image.tooltip.count(head) if IMAGE_HAS_TOOLTIP
            else explorer.caption.value.count(html_lib.escape(head))) >= 1
    first = explorer.alt
    assert " ".join(explorer.scene.describe(**explorer.params).split()) == first, \
        f"{name}: the same frame is described differently"
    for control, widget in explorer.controls.items():
        for value in _other_values(widget)[:1]:
            png, alt = bytes(explorer.image.value), explorer.alt
            widget.value = value
            assert explorer.error is None, f"{name}.{control} = {value}: {explorer.error}"
            _check_alt(explorer.alt, f"{name}.{control} = {value}")
            if bytes(explorer.image.value) != png:
                assert explorer.alt != alt, \
                    f"{name}: moving {control} to {value} changed the image, not its alt text"
            assert explorer.alt == " ".join(
                explorer.scene.describe(**explorer.params).split())
            if IMAGE_HAS_TOOLTIP:
                assert explorer.image.tooltip == explorer.alt
    explorer.close()


def test_describe_numbers_match_independent_math():
    """Spot checks of described numbers against the math, not against the scenes' code."""
    from nnlib.explore.derivatives import explore_line, explore_partials

    ex = explore_line(c1=-1.2, c0=0.7)
    assert "slope is -2.40 / 2 = -1.20" in ex.alt and "intercept 0.70" in ex.alt
    ex.close()
    ex = explore_partials(x=1.0, y=-0.5)    # f = x² − xy + 2y²: 1 + 0.5 + 0.5 = 2
    assert "f = 2.00" in ex.alt and "∂f/∂x = 2.50" in ex.alt and "∂f/∂y = -3.00" in ex.alt
    ex.close()


def test_figure_functions_set_alt_with_their_numbers():
    """Every nnlib figure a lesson shows carries alt text computed from what it draws."""
    from nnlib.engine import Value
    from nnlib.explore import backprop, descent, digits, layers, neuron

    figures = {
        "regimes_figure": descent.regimes_figure(),
        "basins_figure": descent.basins_figure(),
        "decay_figure": descent.decay_figure(),
        "chain_rule_figure": descent.chain_rule_figure(),
        "parabola_figure": descent.parabola_figure(),
        "perceptron_figure": neuron.perceptron_figure(),
        "activations_figure": neuron.activations_figure(),
        "relu_sum_figure": neuron.relu_sum_figure(),
        "draw_xor_lines": layers.draw_xor_lines([(1, 1, -0.5), (1, 1, -1.5)]),
        "draw_xor_hidden": layers.draw_xor_hidden([[1, 1], [1, 1]], [0, -1], [[1], [-2]], [0]),
        "draw_xor_training": layers.draw_xor_training(np.array([0.5, 0.1, 0.01]),
                                                      lambda X: X[:, 0] * 0 + 0.3, every=10),
    }
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    out = a * b + a
    out.label = "L"
    out.backward()
    figures["draw_graph"] = backprop.draw_graph(out)
    levers = backprop.three_levers(np.array([[0.5, 1.0], [1.0, 0.2]]), np.array([0.5, -1.0]),
                                   0.1, np.array([1.0, 0.0]))
    figures["draw_three_levers"] = backprop.draw_three_levers(levers, np.array([0.5, -1.0]))
    model, history = digits.default_model()
    _, X_val, _, _, y_val, _ = digits.digits_splits()
    probs = digits.softmax_probs(model, X_val)
    figures["plot_digits"] = digits.plot_digits(X_val, y_val, rows=2, cols=5)
    figures["plot_curves"] = digits.plot_curves(history, seconds=1.234)
    figures["plot_confusion"] = digits.plot_confusion(
        digits.confusion_matrix(y_val, probs.argmax(axis=1)))
    figures["plot_weights"] = digits.plot_weights(model)
    figures["plot_mistakes"] = digits.plot_mistakes(X_val, y_val, probs)
    for name, fig in figures.items():
        _check_alt(plots.get_alt(fig) or "", name)
    alt = {name: plots.get_alt(fig) for name, fig in figures.items()}
    # independent numbers: w₁₀ = (1 − 2η)¹⁰ on f(w) = w²; the hilltop of x⁴/4 − x² + 0.3x
    for lr in (0.1, 0.75, 1.1):
        assert f"w_10 = {(1 - 2 * lr) ** 10:.3g}" in alt["parabola_figure"]
    hilltop = sorted(np.roots([1.0, 0.0, -2.0, 0.3]).real)[1]
    assert f"hilltop at x = {hilltop:.3f}" in alt["basins_figure"]
    assert "z = 3·1 + 4·2 + 5·3 + 3 = 29" in alt["perceptron_figure"]
    assert "h'(1) = 8 · 3 = 24" in alt["chain_rule_figure"]   # (u²)' · 3 at u = 4
    assert "value 3 = a × b: data -6, grad 1" in alt["draw_graph"]
    assert "a (input): data 2, grad -2" in alt["draw_graph"]  # ∂(ab + a)/∂a = b + 1
    assert "1 of 4 on the wrong side" in alt["draw_xor_lines"]
    assert "s" not in re.findall(r"\d s\b", alt["plot_curves"])  # no timing in the text
    assert "1.23" not in alt["plot_curves"]
    labels = " ".join(str(v) for v in y_val[:10])
    assert labels in alt["plot_digits"]
    wrong = int((probs.argmax(axis=1) != y_val).sum())
    assert f"{wrong} of {len(y_val)} images misclassified" in alt["plot_mistakes"]
    assert f"{len(y_val) - wrong} right" in alt["plot_confusion"]


def _stored_images(path: Path):
    """``(where, data)`` of every stored output of ``path`` that shows an image."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            html = data.get("text/html", "")
            html = "".join(html) if isinstance(html, list) else html
            if any(k.startswith("image/") for k in data) or "<img" in html:
                yield f"{path.relative_to(ROOT)} cell {i}", data, html


NOTEBOOK_FILES = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted(
    (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_stored_figure_has_alt_text(path):
    """The safety net: no image a learner sees is stored without alt text. Front ends ignore
    alt in image/png metadata, so an image must be an <img alt="..."> in text/html."""
    problems = []
    for where, _data, html in _stored_images(path):
        if "<img" not in html:
            problems.append(f"{where}: an image without alt text (image/png only: "
                            "display it with nnlib.plots.show(fig, alt=...))")
            continue
        img = _img_tag(html)
        alt = img.get("alt") or ""
        if not alt.strip():
            problems.append(f"{where}: <img> without alt text")
        elif alt.startswith(plots.FALLBACK_PREFIX):
            problems.append(f"{where}: no description given, only titles and labels: "
                            f"pass show(fig, alt=f\"...\") ({alt[:80]}...)")
    assert not problems, "\n".join(problems)
