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
