"""Diagnosis helpers shared by the checks of lessons 05–09.

``_core.call`` already runs the learner's function on copies (a ✗ when it changes its inputs),
refuses text and names the common exceptions. On top of it, a check of these lessons names a
slip only from evidence: a candidate slip is named when it reproduces the learner's results on
*every* input tried, or when the learner's own code shows it (a ``//``, a ``<=``, ``np.max``
where ``np.maximum`` was meant). These helpers give that evidence.

- :func:`run` is ``_core.call`` plus, when the call fails, a slip read off the learner's code
  and verified by running the fix (:func:`slip_in_code`): ``np.max`` where ``np.maximum``
  gives the right answer, or a regrouping of the learner's own expression (``a @ b * c`` as
  ``a @ (b * c)``) that does;
- :func:`explains` says whether a candidate slip reproduces every result;
- :func:`code_ops`, :func:`compares`, :func:`code_names` read what the learner's code does
  (its bytecode), so a line can name a ``//`` or a ``<=`` that is really there.
"""

from __future__ import annotations

import dis
import types
import warnings

import numpy as np

from ._core import Hint, _grouped, _time_limit, call, close, regroupings

__all__ = ["run", "slip_in_code", "precedence", "explains", "code_ops", "code_names",
           "compares"]


def run(fn, *args, name: str, verify=None, **kwargs):
    """``_core.call(fn, *args)``; when it fails and ``verify`` is given, also try each regrouping
    of the learner's own expressions (``a @ b * c`` as ``a @ (b * c)``): one that ``verify``
    accepts (it computes the right answer) is named as an operator-precedence slip."""
    try:
        return call(fn, *args, name=name, **kwargs)
    except Hint as hint:
        timed_out = "without returning" in str(hint)
        better = slip_in_code(fn, verify) if verify is not None and not timed_out else None
        if better:
            raise Hint(f"`{name}`: {better}") from None
        raise hint from None


def _passes(verify, f) -> bool:
    """``verify(f)``, False when it raises or runs longer than 5 s (an endless loop)."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings(), _time_limit(5):
            warnings.simplefilter("ignore")
            return bool(verify(f))
    except BaseException as exc:  # noqa: BLE001 - _TimeUp is a BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return False


class _NumPyWith:
    """``np`` with a few functions replaced (to run a learner's code with one fix applied)."""

    def __init__(self, **replace):
        self.__dict__.update(replace)

    def __getattr__(self, attr):
        return getattr(np, attr)


_SWAPS = (("max", "maximum", "largest", "np.max(A, 0) is the largest entry of each column, a "
           "reduction that changes the shape"),
          ("min", "minimum", "smallest", "np.min(A, 0) is the smallest entry of each column, a "
           "reduction that changes the shape"))


def slip_in_code(fn, verify) -> str | None:
    """A slip read off the learner's code and *verified*: with it fixed, ``verify(new_fn)``
    holds (the right answer) while ``verify(fn)`` does not. Tried: np.max/np.min where
    np.maximum/np.minimum was meant, and operator precedence (see :func:`precedence`)."""
    if _passes(verify, fn):
        return None
    func = getattr(fn, "__func__", fn)
    names = code_names(fn)
    for short, full, _, why in _SWAPS:
        if short in names and isinstance(getattr(func, "__globals__", {}).get("np"),
                                         types.ModuleType):
            patched = types.FunctionType(func.__code__,
                                         {**func.__globals__,
                                          "np": _NumPyWith(**{short: getattr(np, full)})},
                                         func.__name__, func.__defaults__, func.__closure__)
            if _passes(verify, patched):
                return (f"np.{short} is not the element-wise np.{full}: {why}. With "
                        f"np.{full} your function gives the right answer")
    return precedence(fn, verify)


def precedence(fn, verify) -> str | None:
    """An operator-precedence line when ONE regrouping of the learner's expressions makes
    ``verify(new_fn)`` true while ``verify(fn)`` is false (the suggested brackets are checked
    by running them), else None."""
    if _passes(verify, fn):
        return None
    for written, meant, f in regroupings(fn):
        if _passes(verify, f):
            return (f"operator precedence: Python reads `{written}` as `{_grouped(written)}` "
                    f"(it works left to right when operators bind equally, as * and @ do); "
                    f"you meant `{meant}`. Add the parentheses")
    return None


# ---------------------------------------------------------------- evidence

def explains(candidate, results) -> bool:
    """``candidate(case)`` equals the learner's result for every ``(case, got)`` in ``results``
    (``candidate`` returning None, or raising, does not explain)."""
    for case, got in results:
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                want = candidate(case)
        except Exception:
            return False
        if want is None or not close(got, want):
            return False
    return bool(results)


def _codes(fn):
    func = getattr(fn, "__func__", fn)
    code = getattr(func, "__code__", None)
    todo, out = ([code] if code is not None else []), []
    while todo:
        c = todo.pop()
        out.append(c)
        todo += [k for k in c.co_consts if isinstance(k, types.CodeType)]
    return out


def code_ops(fn) -> set[str]:
    """The binary and in-place operators the learner's code uses: {'//', '/=', '**', ...}."""
    ops = set()
    for code in _codes(fn):
        for inst in dis.get_instructions(code):
            if inst.opname == "BINARY_OP":
                ops.add(inst.argrepr)
            elif inst.opname.startswith(("BINARY_", "INPLACE_")):
                legacy = {"FLOOR_DIVIDE": "//", "TRUE_DIVIDE": "/", "POWER": "**",
                          "MULTIPLY": "*", "MATRIX_MULTIPLY": "@", "XOR": "^"}
                kind, _, op = inst.opname.partition("_")
                if op in legacy:
                    ops.add(legacy[op] + ("=" if kind == "INPLACE" else ""))
    return ops


def compares(fn) -> set[str]:
    """The comparisons the learner's code makes: {'<', '<=', ...}."""
    out = set()
    for code in _codes(fn):
        for inst in dis.get_instructions(code):
            if inst.opname == "COMPARE_OP":
                out.add(str(inst.argrepr).removeprefix("bool(").removesuffix(")"))
    return out


def code_names(fn) -> set[str]:
    """Every global, attribute, method and free-variable name the learner's code reads."""
    out = set()
    for code in _codes(fn):
        out.update(code.co_names)
        out.update(code.co_freevars)
    return out
