"""Every public function, class and method defined in nnlib has a docstring.

Public means: the name does not start with ``_``. Docstrings are where nnlib
states each formula in the course notation and the shapes it works on.
"""

import importlib
import inspect
import pkgutil

import pytest

import nnlib


def _modules():
    names = ["nnlib"] + [m.name for m in pkgutil.walk_packages(nnlib.__path__, "nnlib.")]
    return [importlib.import_module(name) for name in names]


def _public_objects():
    """``(qualified name, object)`` for each public function and class nnlib defines."""
    found = {}
    for module in _modules():
        for name, obj in vars(module).items():
            if name.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            if getattr(obj, "__module__", "") != module.__name__:
                continue  # imported from elsewhere: checked where it is defined
            found[f"{module.__name__}.{name}"] = obj
    return found


def _public_methods(cls):
    """``(name, function)`` for the public methods and properties ``cls`` itself defines."""
    for name, attr in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(attr, (staticmethod, classmethod)):
            attr = attr.__func__
        elif isinstance(attr, property):
            attr = attr.fget
        if inspect.isfunction(attr):
            yield name, attr


OBJECTS = _public_objects()


def test_the_walk_finds_the_library():
    for name in ("nnlib.layers.Dense", "nnlib.losses.mse", "nnlib.explore._base.Scene",
                 "nnlib.checks.lesson01.check_df", "nnlib.explore.sgd.explore_momentum"):
        assert name in OBJECTS
    assert all(obj.__module__.startswith("nnlib") for obj in OBJECTS.values())


@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_public_object_has_docstring(name):
    obj = OBJECTS[name]
    assert (obj.__doc__ or "").strip(), f"{name} has no docstring"
    if inspect.isclass(obj):
        for method_name, fn in _public_methods(obj):
            # an override may inherit its docstring from the base class (Scene.update)
            doc = fn.__doc__ or inspect.getdoc(getattr(obj, method_name))
            assert (doc or "").strip(), f"{name}.{method_name} has no docstring"


# ---- the core modules follow docs/notation.md ----------------------------------------------

CORE = ["activations", "calculus", "data", "engine", "layers", "losses", "optim", "train",
        "validate"]
FORBIDDEN = {  # text -> the rule in docs/notation.md it breaks
    "dY": "the gradient w.r.t. a pre-activation is dZ (and w.r.t. an activation dA)",
    "(n, k)": "the number of classes is K: (n, K)",
    "/ σ": "σ is the sigmoid only; a standard deviation is 'std'",
    "g(Z)": "an activation function is φ",
    "argmax ŷ": "ŷ is a regression output, never logits or probabilities",
    "a x²": "polynomial coefficients are c₂, c₁, c₀ (a is an activation)",
    "ln a": "a is an activation, not a generic number",
}


def _core_docstrings():
    for mod_name in CORE:
        module = importlib.import_module(f"nnlib.{mod_name}")
        yield f"nnlib.{mod_name}", module.__doc__ or ""
        for name, obj in vars(module).items():
            if getattr(obj, "__module__", "") != module.__name__:
                continue
            if inspect.isfunction(obj):
                yield f"nnlib.{mod_name}.{name}", obj.__doc__ or ""
            elif inspect.isclass(obj):
                yield f"nnlib.{mod_name}.{name}", obj.__doc__ or ""
                for meth, fn in vars(obj).items():
                    fn = getattr(fn, "fget", fn)
                    if inspect.isfunction(fn):
                        yield f"nnlib.{mod_name}.{name}.{meth}", fn.__doc__ or ""


def test_core_docstrings_follow_the_notation():
    problems = [f"{where}: {text!r} ({rule})" for where, doc in _core_docstrings()
                for text, rule in FORBIDDEN.items() if text in doc]
    assert not problems, "\n".join(problems)


def test_the_notation_check_sees_the_core_docstrings():
    found = dict(_core_docstrings())
    assert "nnlib.layers.Dense.backward" in found and "dZ" in found["nnlib.layers.Dense.backward"]
    assert "nnlib.engine.Value.backward" in found


def _all_docstrings():
    for name, obj in OBJECTS.items():
        yield name, obj.__doc__ or ""
        if inspect.isclass(obj):
            for meth, fn in _public_methods(obj):
                yield f"{name}.{meth}", fn.__doc__ or ""


def test_no_docstring_repeats_a_line():
    """Sequential.backward and MLP once said the same paragraph twice."""
    problems = []
    for where, doc in _all_docstrings():
        lines = [line.strip() for line in doc.splitlines() if len(line.strip()) > 30]
        repeated = {line for line in lines if lines.count(line) > 1}
        problems += [f"{where}: {line!r}" for line in sorted(repeated)]
    assert not problems, "\n".join(problems)
