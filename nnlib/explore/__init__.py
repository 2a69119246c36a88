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

Each explorer is a :class:`~nnlib.explore._base.Scene` (the pure
``render_<idea>(**params) -> Figure``) wrapped in an
:class:`~nnlib.explore._base.Explorer` (the sliders).
"""

from . import backprop, derivatives, descent, digits, layers, loss, neuron, sgd, training
from ._base import Explorer, Scene

MODULES = (derivatives, loss, descent, neuron, layers, backprop, sgd, digits, training)

#: every explorer factory of the course, in lesson order
ALL_EXPLORERS = [factory for module in MODULES for factory in module.EXPLORERS]

__all__ = ["Explorer", "Scene", "MODULES", "ALL_EXPLORERS"]
