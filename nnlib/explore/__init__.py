"""Slider explorers, one module per lesson.

- ``derivatives`` (01): ``explore_line``, ``explore_tangent``, ``explore_step_error``,
  ``explore_partials``
- ``loss`` (02): ``explore_fit``, ``explore_outlier``
- ``descent`` (03): ``explore_descent``, ``explore_quad_descent``
- ``neuron`` (04): ``explore_neuron_plane``, ``explore_double_relu``, ``explore_train_neuron``
- ``layers`` (05): ``explore_relu_sum``
- ``backprop`` (06): ``explore_backprop_slope``
- ``sgd`` (07): ``explore_minibatch``, ``explore_boundary``, ``explore_momentum``
- ``digits`` (08): ``explore_digit_training``, ``explore_predictions``
- ``training`` (09): ``explore_weight_decay``, ``explore_init``, ``explore_schedules``,
  ``explore_minima``
- ``capstone`` (10): ``explore_digit``

Each explorer is a :class:`~nnlib.explore._base.Scene` (the pure
``render_<idea>(**params) -> Figure``) wrapped in an
:class:`~nnlib.explore._base.Explorer` (the sliders).
"""

import importlib

from ._base import Explorer, Scene

# A lesson imports only its own module (``from nnlib.explore.digits import ...``); the other
# eight load on first use, so ``MODULES`` and ``ALL_EXPLORERS`` are built when asked for.
_LESSONS = ("derivatives", "loss", "descent", "neuron", "layers", "backprop", "sgd", "digits",
            "training", "capstone")


def __getattr__(name):
    if name in _LESSONS:
        return importlib.import_module(f"{__name__}.{name}")
    if name == "MODULES":
        return tuple(importlib.import_module(f"{__name__}.{m}") for m in _LESSONS)
    if name == "ALL_EXPLORERS":  # every explorer factory of the course, in lesson order
        return [factory for module in __getattr__("MODULES") for factory in module.EXPLORERS]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["Explorer", "Scene", "MODULES", "ALL_EXPLORERS"]
