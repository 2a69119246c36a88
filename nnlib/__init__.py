"""nnlib: the small NumPy-only library behind *Neural Networks from First Principles*.

One module per lesson idea:

=================  =======  ==============================================
module             lesson   what it holds
=================  =======  ==============================================
``calculus``       01       numerical derivatives, ``gradcheck``
``losses``         02       ``mse``, ``mae``, ``cross_entropy`` and gradients
``optim``          03, 07   the update rule, ``SGD``, learning-rate schedules
``activations``    04       ``relu``, ``sigmoid``, ``tanh``, ``softmax``
``layers``         05, 06   ``Dense``, activation layers, ``Sequential``, ``MLP``
``engine``         06       ``Value``: scalar automatic differentiation
``train``          07       ``fit``: the mini-batch training loop
``data``           02, 08   digits, generators, splitting and scaling
``plots``          all      palette and off-screen figures
``explore``        all      the slider explorers used in the notebooks
``checks``         all      self-checking exercises
=================  =======  ==============================================
"""

__version__ = "0.1.0"

# Submodules load on first use (``nnlib.layers``, ``from nnlib import data``, ...), not with
# ``import nnlib``: a kernel pays only for what its lesson touches (PEP 562).
_SUBMODULES = ("activations", "calculus", "checks", "data", "engine", "explore", "layers",
               "losses", "optim", "plots", "train", "validate")
__all__ = [*_SUBMODULES, "NNLibWarning"]


def __getattr__(name):
    if name in _SUBMODULES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    if name == "NNLibWarning":  # the warning category of the classic mistakes (docs/mistakes.md)
        from .validate import NNLibWarning

        return NNLibWarning
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_SUBMODULES) | {"NNLibWarning"})
