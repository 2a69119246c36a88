"""Self-checking exercises: shared plumbing.

A check calls the learner's function on known inputs, compares with the
mathematically right answer and prints one line: ✓ with an insight, or ✗
with a *targeted* hint. Results are remembered per lesson so
``check_all("03")`` can say how many exercises are solved.

The pieces a lesson's check module uses:

- :class:`Exercise` records and :func:`register` declare a lesson's exercises;
- :func:`ladder` gives the lesson's ``hint`` / ``show_solution`` (idea, formula, code);
- :func:`call` runs the learner's function and turns every slip into a :class:`Hint`;
- :func:`number` and :func:`array` coerce a result or raise a :class:`Hint`;
- :func:`fmt` writes numbers and arrays as a person writes them;
- :func:`report` prints exactly one line, whatever happens;
- :func:`check_all` and :func:`assert_solved` (nbgrader's hidden tests).
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import dis
import functools
import json
import linecache
import math
import numbers
import re
import signal
import sys
import threading
import types
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

KINDS = ("predict", "derive", "debug", "implement", "design")
SOLUTIONS = Path(__file__).with_name("solutions.json")

_LESSONS: dict[str, list[str]] = {}
_EXERCISES: dict[str, dict[str, "Exercise"]] = {}
_RESULTS: dict[str, dict[str, bool]] = {}
_RUNGS: dict[tuple[str, str], int] = {}
_MODULES: dict[str, str] = {}   # lesson -> the module that registered it (its checks)
_CHECKS: dict[tuple[str, str], tuple] = {}   # (lesson, exercise) -> (check, learner function)


class Hint(Exception):
    """Raised inside a check to stop at the first problem with a targeted hint."""


@dataclass(frozen=True)
class Exercise:
    """One exercise of a lesson: its function's name, its kind and the first two hint rungs.

    ``kind`` is one of ``predict``, ``derive``, ``debug``, ``implement``, ``design``.
    ``idea`` (rung 1) says what to think about, in words; ``formula`` (rung 2) gives the maths
    in plain Unicode text (``w ← w − η · ∂L/∂w``). Rung 3 is the code, read from
    ``solutions.json`` (written by ``tools/editions.py`` from the instructor notebooks).
    """

    name: str
    kind: str = "implement"
    idea: str = ""
    formula: str = ""

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise ValueError(f"Exercise name must be a function name, got {self.name!r}")
        if self.kind not in KINDS:
            raise ValueError(f"Exercise {self.name!r}: kind must be one of {', '.join(KINDS)}, "
                             f"got {self.kind!r}")


def register(lesson: str, exercises: list) -> None:
    """Declare the exercises of a lesson, in order: :class:`Exercise` records or plain names."""
    records = [ex if isinstance(ex, Exercise) else Exercise(str(ex)) for ex in exercises]
    try:
        _MODULES[lesson] = sys._getframe(1).f_globals.get("__name__", "")
    except Exception:
        pass
    _LESSONS[lesson] = [ex.name for ex in records]
    _EXERCISES[lesson] = {ex.name: ex for ex in records}
    _RESULTS.setdefault(lesson, {})


def exercises(lesson: str) -> list[Exercise]:
    """The registered :class:`Exercise` records of ``lesson``, in order."""
    return list(_EXERCISES.get(lesson, {}).values())


# ---------------------------------------------------------------- numbers as a person writes them

def _fmt_float(x: float) -> str:
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0"
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    ax = abs(x)
    if ax < 1e-4 or ax >= 1e15:
        return f"{x:.4g}"
    digits = max(4, int(math.floor(math.log10(ax))) + 1)
    return np.format_float_positional(x, precision=digits, unique=True, fractional=False,
                                      trim="-")


def fmt(x) -> str:
    """``x`` as a person writes it: ``0.1414``, ``[-1, 1, 0]``, ``1e-08``, ``(4, 3)``.

    Never ``np.float64(...)``: NumPy scalars print as plain numbers, arrays as nested lists
    (long ones shortened, with their shape), functions by name.
    """
    try:
        return _fmt(x, top=True)
    except Exception:  # fmt is used inside hints: it must never fail
        return f"a {type(x).__name__}"


def _fmt(x, top: bool = False) -> str:
    if x is None or isinstance(x, (bool, np.bool_)):
        return str(x if x is None else bool(x))
    if isinstance(x, (numbers.Integral, np.integer)):
        return str(int(x))
    if isinstance(x, (numbers.Real, np.floating)):
        return _fmt_float(float(x))
    if isinstance(x, (complex, np.complexfloating)):
        return f"{_fmt_float(x.real)}{'+' if x.imag >= 0 else '-'}{_fmt_float(abs(x.imag))}j"
    if isinstance(x, str):
        return repr(x if len(x) <= 40 else x[:37] + "...")
    if isinstance(x, np.ndarray):
        if x.ndim == 0:
            return _fmt(x[()])
        if x.dtype.kind not in "biufc":
            return f"an array of shape {_fmt(x.shape)}"
        if x.ndim == 1 and x.size > 10:
            head = ", ".join(_fmt(v) for v in x[:3])
            return f"[{head}, …, {_fmt(x[-1])}] ({x.size} values)"
        if x.ndim >= 2 and x.size > 12:
            return f"an array of shape {_fmt(x.shape)}"
        return "[" + ", ".join(_fmt(v) for v in x) + "]"
    if isinstance(x, tuple):
        inner = ", ".join(_fmt(v) for v in x[:10]) + (", …" if len(x) > 10 else "")
        return f"({inner},)" if len(x) == 1 else f"({inner})"
    if isinstance(x, list):
        return "[" + ", ".join(_fmt(v) for v in x[:10]) + (", …" if len(x) > 10 else "") + "]"
    if isinstance(x, dict):
        return "{" + ", ".join(f"{_fmt(k)}: {_fmt(v)}" for k, v in list(x.items())[:6]) + "}"
    if callable(x):
        return f"the function `{getattr(x, '__name__', type(x).__name__)}`"
    return f"a {type(x).__name__}"


# ---------------------------------------------------------------- what the learner's code raised

_LIBRARY_DIRS = tuple(str(Path(m.__file__).resolve().parent)
                      for m in (np, types) if getattr(m, "__file__", None))
_NNLIB_DIR = str(Path(__file__).resolve().parents[1])
_CHECKS_DIR = str(Path(__file__).resolve().parent)


def _is_library(filename: str) -> bool:
    """True for code that is not the learner's (NumPy, the standard library, site-packages)."""
    try:
        path = str(Path(filename).resolve())
    except (OSError, ValueError):
        return False
    return (path.startswith(_LIBRARY_DIRS) or "site-packages" in path
            or (path.startswith(_NNLIB_DIR) and path.endswith(".py")))


def _frames(tb):
    out = []
    while tb is not None:
        out.append(tb)
        tb = tb.tb_next
    return out


def _statement(tb) -> str | None:
    """The source of the statement that failed in traceback entry ``tb`` (None if unknown)."""
    code = tb.tb_frame.f_code
    filename = code.co_filename
    start = end = tb.tb_lineno
    try:
        for inst in dis.get_instructions(code):
            if inst.offset == tb.tb_lasti and inst.positions and inst.positions.lineno:
                start, end = inst.positions.lineno, inst.positions.end_lineno or start
                break
    except Exception:
        pass
    lines = [linecache.getline(filename, n, tb.tb_frame.f_globals) for n in range(start, end + 1)]
    text = "".join(lines).strip()
    return text or None


def _matmul_operands(tb):
    """Re-evaluate the operands of each ``@`` in the failing statement: (text, A, B) pairs."""
    text = _statement(tb)
    if not text:
        return []
    for candidate in (text, text.removeprefix("return ").strip(), text.split("=", 1)[-1].strip()):
        try:
            tree = ast.parse(candidate)
            break
        except SyntaxError:
            continue
    else:
        return []
    frame = tb.tb_frame
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
            pair = []
            for side in (node.left, node.right):
                try:
                    with np.errstate(all="ignore"), warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        value = eval(compile(ast.Expression(side), "<check>", "eval"),
                                     frame.f_globals, dict(frame.f_locals))
                    pair.append(np.asarray(value))
                except Exception:
                    pair = None
                    break
            if pair:
                found.append((ast.unparse(node), pair[0], pair[1]))
    return found


def _inner_mismatch(a, b) -> bool:
    if a.ndim == 0 or b.ndim == 0:
        return False
    k_left = a.shape[-1]
    k_right = b.shape[0] if b.ndim == 1 else b.shape[-2]
    return k_left != k_right


def _matmul_hint(name: str, tb, message: str) -> str:
    rule = "(n, k) @ (k, m) → (n, m): the inner sizes must match"
    for expr, a, b in _matmul_operands(tb):
        if not _inner_mismatch(a, b):
            continue
        fix = ""
        if a.ndim == 2 and b.ndim == 2:
            if a.shape[1] == b.shape[1]:
                fix = " Is the right one transposed (`.T`)?"
            elif a.shape[0] == b.shape[0]:
                fix = " Is the left one transposed (`.T`)?"
            elif a.shape[0] == b.shape[1]:
                fix = " Swap the order?"
        return (f"`{name}`: `{expr}` multiplies shapes {fmt(a.shape)} @ {fmt(b.shape)}; "
                f"{rule}.{fix}")
    shapes = re.findall(r"\((\d+(?:,\s*\d+)*),?\)", message)
    if message.startswith("shapes") and len(shapes) >= 2:
        s1, s2 = (tuple(int(v) for v in s.split(",")) for s in shapes[:2])
        return f"`{name}`: a matrix product of shapes {fmt(s1)} and {fmt(s2)}; {rule}."
    sizes = re.search(r"size (\d+) is different from (\d+)", message)
    extra = f" (here {sizes.group(2)} and {sizes.group(1)})" if sizes else ""
    return f"`{name}`: a matrix product `@` got shapes that do not fit{extra}; {rule}."


_PLAIN_REASONS = {
    "TypeError": "a value of the wrong kind (a list where an array is needed, None, "
                 "or a function called with the wrong arguments)",
    "ValueError": "a value NumPy could not use (often arrays whose shapes do not fit)",
    "IndexError": "an index outside the array",
    "KeyError": "a key that is not in the dictionary",
    "AttributeError": "asked a value for something it does not have",
    "OverflowError": "a number grew too large",
    "RecursionError": "the function calls itself without end",
    "MemoryError": "an array far too large: check the shapes",
    "AssertionError": "an assert in your code failed",
    "StopIteration": "an iterator ran out of values",
}


def _explain(exc: BaseException, fn, name: str) -> str:
    """One sentence in the learner's terms for an exception raised by their function."""
    kind = type(exc).__name__
    message = str(exc)
    tbs = _frames(exc.__traceback__)
    inner = tbs[-1] if tbs else None
    inner_name = inner.tb_frame.f_code.co_name if inner else ""
    inner_file = inner.tb_frame.f_code.co_filename if inner else ""
    fn_code = getattr(getattr(fn, "__func__", fn), "__code__", None)
    fn_name = getattr(fn, "__name__", name)

    if isinstance(exc, NotImplementedError):
        if inner is None or inner.tb_frame.f_code is fn_code or inner_name in (name, fn_name) \
                or _is_library(inner_file) or inner_name == "<module>":
            return (f"`{name}` is not written yet: replace the `raise NotImplementedError` "
                    f"line with your code")
        return (f"`{name}` calls your `{inner_name}`, which is not written yet: "
                f"solve the `{inner_name}` exercise first")

    # a helper of the learner's (not NumPy) where it went wrong, to name it
    learner = [t for t in tbs[1:] if not _is_library(t.tb_frame.f_code.co_filename)]
    where = learner[-1] if learner else inner
    where_name = where.tb_frame.f_code.co_name if where is not None else name
    who = f"`{name}`" if where_name in (name, fn_name, "<lambda>") or where is None \
        or _is_library(where.tb_frame.f_code.co_filename) else f"`{name}` (in `{where_name}`)"

    specific = _specific(exc, message, who, where or inner)
    if specific:
        return specific
    if kind == "AxisError":
        m = re.search(r"axis (-?\d+) is out of bounds for array of dimension (\d+)", message)
        if m:
            ndim = int(m.group(2))
            got = f" axis {m.group(1)} of an array with {ndim} ax{'is' if ndim == 1 else 'es'}"
        else:
            got = " an axis that does not exist"
        return (f"{who} asked for{got}: axes count from 0 (axis=0 runs down the rows, "
                f"axis=1 along a row), and a 1-D array has only axis 0")
    if isinstance(exc, (TypeError, ValueError)) and ("bitwise_xor" in message
                                                     or "for ^:" in message):
        return f"{who} used `^`: ^ is XOR in Python; use ** for powers (x ** 2)"
    if isinstance(exc, ValueError) and "truth value of an array" in message:
        return (f"{who} used an array where Python wants one True/False (Python's `max`, "
                f"`min`, `if`, `and`/`or` on an array): use np.maximum / np.minimum / "
                f"np.where, which work on every element")
    if isinstance(exc, ValueError) and ("matmul" in message or "not aligned" in message):
        return _matmul_hint(name, where or inner, message)
    if isinstance(exc, ValueError) and "broadcast" in message:
        shapes = [tuple(int(v) for v in s.split(",") if v.strip())
                  for s in re.findall(r"\(([\d,\s]*)\)", message)]
        shown = " and ".join(fmt(s) for s in shapes[:2]) if len(shapes) >= 2 else "that differ"
        return (f"{who} combined arrays of shapes {shown} element by element (+, −, *, /): "
                f"each axis must have the same size or size 1. A transposed array, or `*` "
                f"where you meant the matrix product `@`?")
    if isinstance(exc, UnboundLocalError):
        return (f"{who} uses `{getattr(exc, 'name', None) or 'a variable'}` before giving "
                f"it a value inside the function")
    if isinstance(exc, NameError):
        missing = getattr(exc, "name", None)
        if missing is None:
            m = re.search(r"name '(\w+)'", message)
            missing = m.group(1) if m else "a name"
        return (f"{who} uses `{missing}`, which is not defined: did you use a variable "
                f"defined outside your function? Use the arguments")
    if isinstance(exc, ZeroDivisionError):
        return (f"{who} divided by zero: check the denominator (a count like n = len(y) "
                f"that is 0, or a difference that vanishes)")
    if isinstance(exc, IndexError):
        m = re.search(r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)", message)
        if m:
            i, axis, size = m.groups()
            return (f"{who} used index {i} on axis {axis}, which has size {size}: indices "
                    f"run from 0 to {int(size) - 1}. Off by one?")
        return f"{who} used an index outside the array: indices run from 0 to n − 1. Off by one?"
    if isinstance(exc, AttributeError):
        attr = getattr(exc, "name", None)
        obj = getattr(exc, "obj", None)
        if attr and obj is not None:
            extra = ": turn it into an array with np.asarray(...)" \
                if isinstance(obj, (list, tuple)) else ""
            if obj is None:
                extra = ": a helper function without `return`?"
            return (f"{who} asked a {type(obj).__name__} for `.{attr}`, which it does not "
                    f"have{extra}")
        return f"{who} raised AttributeError: {_PLAIN_REASONS['AttributeError']}"
    if isinstance(exc, TypeError):
        if "NoneType" in message:
            return (f"{who} used a value that is None: does a helper function lack "
                    f"`return`?")
        if re.search(r"unsupported operand type\(s\) for [^:]+: '(list|tuple)'|"
                     r"and '(list|tuple)'", message):
            return (f"{who} did arithmetic on a Python list, which does not do maths: "
                    f"turn it into an array with np.asarray(...)")
        if re.search(r"positional argument|required .*argument|unexpected keyword", message):
            return (f"{who} was called with arguments it does not accept: keep the "
                    f"signature the exercise gives")
        if "not callable" in message:
            return (f"{who} called something that is not a function: a number or array "
                    f"followed by parentheses?")
    reason = _PLAIN_REASONS.get(kind)
    if reason is None:
        for base in type(exc).__mro__[1:]:
            if base.__name__ in _PLAIN_REASONS:
                reason = _PLAIN_REASONS[base.__name__]
                break
    # an exception the learner raised on purpose (`raise ValueError("...")`): their own words
    if inner is not None and message and not _is_library(inner_file) and \
            linecache.getline(inner_file, inner.tb_lineno).lstrip().startswith("raise"):
        return f"{who} raised {kind}: {message.splitlines()[0]}"
    # nnlib's own errors are written for learners: pass them on
    if inner is not None and str(Path(inner_file).resolve()).startswith(_NNLIB_DIR) \
            and not str(Path(inner_file).resolve()).startswith(_CHECKS_DIR) and message:
        return f"{who} raised {kind} in nnlib: {message.splitlines()[0]}"
    return f"{who} raised {kind}: {reason or 'something went wrong inside it'}"


# ---------------------------------------------------------------- specific causes of an exception

def ordinal(k: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``, ``11th``, ``12th``, ``13th``, ``21st``, ``102nd``."""
    k = int(k)
    if 10 <= k % 100 <= 20:
        return f"{k}th"
    return f"{k}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(k % 10, 'th') }"


def _statement_tree(tb):
    """(source text, parsed tree) of the failing statement in traceback entry ``tb``."""
    text = _statement(tb) if tb is not None else None
    if not text:
        return None, None
    for candidate in (text, text.removeprefix("return ").strip(),
                      text.split("=", 1)[-1].strip(), text + "\n    pass"):
        try:
            return text, ast.parse(candidate)
        except SyntaxError:
            continue
    return text, None


def _calls(tree, names: tuple) -> list:
    """Calls in ``tree`` whose function is written as one of ``names`` (``np.max``, ``max``)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            try:
                written = ast.unparse(node.func)
            except Exception:
                continue
            if written in names:
                found.append(node)
    return found


def _value_in(tb, expr: str):
    """Evaluate the small expression ``expr`` in the frame of ``tb`` (``_MISSING`` if it fails)."""
    frame = tb.tb_frame
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return eval(compile(expr, "<check>", "eval"), frame.f_globals, dict(frame.f_locals))
    except Exception:
        return _MISSING


_MISSING = object()
_REDUCERS = ("np.max", "np.min", "np.amax", "np.amin", "numpy.max", "numpy.min")
_SHAPE_MAKERS = ("np.zeros", "np.ones", "np.empty", "np.full", "np.random.rand",
                 "numpy.zeros", "numpy.ones", "numpy.empty")


def _specific(exc, message: str, who: str, tb) -> str | None:
    """A line naming a common cause, read from the failing statement itself (None if unknown)."""
    text, tree = _statement_tree(tb)
    # np.max(0, z): np.max reduces one array; its second argument is an axis
    if tree is not None and (isinstance(exc, (TypeError, ValueError))
                             or type(exc).__name__ == "AxisError"):
        for node in _calls(tree, _REDUCERS):
            if len(node.args) >= 2:
                fname = ast.unparse(node.func)
                large = "max" in fname
                better = "np.maximum" if large else "np.minimum"
                args = ", ".join(ast.unparse(a) for a in node.args[:2])
                return (f"{who} called `{ast.unparse(node)}`: {fname} gives the "
                        f"{'largest' if large else 'smallest'} entry of ONE array, and its "
                        f"second argument is an axis. To compare every entry with a number, "
                        f"use {better}({args})")
    # np.zeros(K, K): the second argument is read as a data type
    if isinstance(exc, TypeError) and ("data type" in message or "dtype" in message) \
            and tree is not None:
        for node in _calls(tree, _SHAPE_MAKERS):
            if len(node.args) >= 2 and not ast.unparse(node.func).endswith("full"):
                sizes = ", ".join(ast.unparse(a) for a in node.args)
                fname = ast.unparse(node.func)
                return (f"{who} called `{ast.unparse(node)}`: {fname} takes the shape as ONE "
                        f"tuple (its second argument is the data type). Write "
                        f"{fname}(({sizes}))")
    # C /= n on an integer array: the result has fractions, the array holds whole numbers
    if isinstance(exc, TypeError) and "Cannot cast ufunc" in message and \
            "same_kind" in message:
        target, op = "the array", ""
        if tree is not None:
            for node in ast.walk(tree):
                if isinstance(node, ast.AugAssign):
                    target = f"`{ast.unparse(node.target)}`"
                    op = {ast.Div: "/=", ast.Mult: "*=", ast.Add: "+=", ast.Sub: "-=",
                          ast.Pow: "**="}.get(type(node.op), "")
                    break
        if op:
            base = target.strip("`")
            return (f"{who}: `{text}` changes {target} in place, but {target} is an array of "
                    f"whole numbers (integers) and the result has fractions. Compute a new "
                    f"array instead, `{base} = {base} {op[:-1]} …`, or start from floats "
                    f"(.astype(float))")
        return (f"{who} wrote fractions into an array of whole numbers (an integer array "
                f"changed in place with /=, *= or +=): compute a new array instead, or start "
                f"from floats (.astype(float))")
    # a, b = value with the wrong number of values
    m = re.search(r"(too many values to unpack|not enough values to unpack) "
                  r"\(expected (\d+)(?:, got (\d+))?\)", message)
    if isinstance(exc, ValueError) and m:
        expected = int(m.group(2))
        got = m.group(3)
        has = f"{got}" if got else f"more than {expected}"
        where = f"`{text}`" if text else "an assignment"
        rhs = "the value"
        if tree is not None:
            for node in ast.walk(tree):
                if isinstance(node, ast.Assign):
                    rhs = f"the value `{ast.unparse(node.value)}`"
                    break
                if isinstance(node, ast.For):
                    rhs = f"each item of `{ast.unparse(node.iter)}`"
                    break
        return (f"{who}: {where} unpacks into {expected} names, but {rhs} holds "
                f"{has}: count what it contains (one item per layer, per value "
                f"returned, …) and use as many names")
    # None where a number or an array is needed: name the variable that is None
    if isinstance(exc, TypeError) and "NoneType" in message:
        none_names = []
        if tree is not None and tb is not None:
            for node in ast.walk(tree):
                if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)):
                    try:
                        expr = ast.unparse(node)
                    except Exception:
                        continue
                    if any(isinstance(n, ast.Call) for n in ast.walk(node)):
                        continue
                    if expr not in none_names and _value_in(tb, expr) is None:
                        none_names.append(expr)
        if none_names:
            first = none_names[0]
            return (f"{who}: `{first}` is None in `{text}`: a helper function without "
                    f"`return`, or a method that works in place and returns None "
                    f"(.sort(), .append(), .fill())?")
        return (f"{who} used a value that is None: a helper function without `return`, "
                f"or a method that works in place and returns None (.sort(), .append())?")
    return None


_FUNCTION_TYPES = (types.FunctionType, types.MethodType, types.BuiltinFunctionType,
                   types.BuiltinMethodType, types.MethodWrapperType, np.ufunc,
                   type(np.mean), functools.partial)  # type(np.mean): NumPy's dispatchers


def _returned_function(out) -> bool:
    """A function or method (``y.mean``, ``np.mean``), not an object that happens to be
    callable (a model or a layer is a legitimate result)."""
    return isinstance(out, _FUNCTION_TYPES)


def _nonfinite(out) -> str | None:
    """'nan' / 'inf' when ``out`` is (or contains) a non-finite number, else None."""
    try:
        values = np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        if isinstance(out, (tuple, list)):
            for item in out:
                bad = _nonfinite(item)
                if bad:
                    return bad
        return None
    if np.isnan(values).any():
        return "nan"
    if np.isinf(values).any():
        return "inf"
    return None


def outside_data(fn) -> list[str]:
    """Names of data (arrays, numbers, lists) that the learner's ``fn`` reads from outside
    itself (notebook globals) instead of from its arguments, e.g. ``["Y"]`` for
    ``def mse(y_hat, y): return np.mean((y_hat - Y) ** 2)``. Modules and functions don't count.
    """
    func = getattr(fn, "__func__", fn)
    code = getattr(func, "__code__", None)
    if code is None or str(getattr(func, "__module__", "") or "").startswith("nnlib"):
        return []
    if code.co_argcount + code.co_kwonlyargcount == 0:
        return []  # no arguments to use instead (a design exercise may read notebook data)
    glob = getattr(func, "__globals__", {})
    found: list[str] = []
    todo = [code]
    while todo:
        current = todo.pop()
        todo += [c for c in current.co_consts if isinstance(c, types.CodeType)]
        for inst in dis.get_instructions(current):
            if inst.opname == "LOAD_GLOBAL" and inst.argval in glob and inst.argval not in found:
                value = glob[inst.argval]
                if isinstance(value, (np.ndarray, numbers.Number, list, tuple)):
                    found.append(inst.argval)
    return found


_CALLED: list = []  # the learner functions called during the current report()


class _TimeUp(BaseException):
    """Raised by the alarm in :func:`_time_limit` (a BaseException: a learner's
    ``except Exception`` does not swallow it)."""


@contextlib.contextmanager
def _time_limit(seconds: float | None):
    """Stop the block after ``seconds`` with :class:`_TimeUp` (Unix, main thread, and only when
    nobody else uses SIGALRM; otherwise no limit)."""
    usable = (seconds and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread()
              and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None))
    if not usable:
        yield
        return

    def on_alarm(signum, frame):
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


TIME_LIMIT = 30.0  # seconds one call of a learner's function may take


def _copy_data(value):
    """A copy of the data in ``value`` (arrays, lists, tuples, dicts, nested); anything else
    (a function, a random Generator, a model) is passed as it is."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list):
        return [_copy_data(v) for v in value]
    if isinstance(value, tuple) and type(value) is tuple:
        return tuple(_copy_data(v) for v in value)
    if isinstance(value, dict) and type(value) is dict:
        return {k: _copy_data(v) for k, v in value.items()}
    return value


def _same_data(a, b) -> bool:
    """``True`` when the data in ``b`` is still exactly the data in ``a`` (same shapes, dtypes
    and values; NaN equals NaN). Objects that are not data count as unchanged."""
    if isinstance(a, np.ndarray):
        return (isinstance(b, np.ndarray) and a.shape == b.shape and a.dtype == b.dtype
                and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")))
    if isinstance(a, (list, tuple)):
        return (type(a) is type(b) and len(a) == len(b)
                and all(_same_data(x, y) for x, y in zip(a, b, strict=True)))
    if isinstance(a, dict):
        return (isinstance(b, dict) and a.keys() == b.keys()
                and all(_same_data(a[k], b[k]) for k in a))
    return True


def _parameter_names(fn) -> list[str]:
    try:
        import inspect
        return [p.name for p in inspect.signature(fn).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return []


def _changed_inputs(fn, originals: tuple, passed: tuple, kw_orig: dict, kw_passed: dict) -> list:
    """Names of the arguments ``fn`` changed in place (the learner's own parameter names)."""
    names = _parameter_names(fn)
    changed = []
    for i, (orig, now) in enumerate(zip(originals, passed, strict=True)):
        if not _same_data(orig, now):
            changed.append(names[i] if i < len(names) else f"{ordinal(i + 1)} argument")
    changed += [k for k in kw_orig if not _same_data(kw_orig[k], kw_passed[k])]
    return changed


def _none_inside(out) -> int | None:
    """The 1-based position of the first None in a returned tuple/list (None if there is none)."""
    if isinstance(out, (tuple, list)):
        for i, v in enumerate(out):
            if v is None:
                return i + 1
    return None


def call(fn, *args, name: str | None = None, text: bool = False, finite: bool = True,
         time_limit: float | None = TIME_LIMIT, copy_inputs: bool = True, **kwargs):
    """Call the learner's ``fn(*args, **kwargs)`` and turn every slip into a :class:`Hint`.

    Slips: not callable; an exception (not written yet, also in another of the learner's
    functions it calls; shape mismatch; array truth value; ``^``; axis; unknown name;
    ``np.max(0, z)``; ``np.zeros(K, K)``; ``C /= n`` on integers; unpacking; None; ...),
    translated into the learner's terms, never a traceback or NumPy's text; ``None`` returned,
    or inside a returned tuple; a function returned instead of its value (``y.mean`` without
    parentheses); a string returned (allowed with ``text=True``, for predictions); NaN or inf
    (allowed with ``finite=False``); a call that runs longer than ``time_limit`` seconds (an
    endless loop).

    With ``copy_inputs`` (the default) ``fn`` gets copies of the data it is given (arrays,
    lists, tuples, dicts) and a :class:`Hint` says so when it changes them ("`my_relu` changed
    the caller's `z`"): a learner's function must compute new arrays. The caller's own
    arguments are never changed. Warnings inside ``fn`` are silenced (the result is checked
    instead).
    """
    name = name or getattr(fn, "__name__", "your function")
    if callable(fn) and not any(f is fn for f, _ in _CALLED):
        _CALLED.append((fn, name))
    if not callable(fn):
        raise Hint(f"expected a function, got {fmt(fn)} ({type(fn).__name__}): pass the "
                   f"function itself, without calling it (no parentheses)")
    passed, kw_passed = args, kwargs
    if copy_inputs:
        passed = tuple(_copy_data(a) for a in args)
        kw_passed = {k: _copy_data(v) for k, v in kwargs.items()}
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings(), _time_limit(time_limit):
            warnings.simplefilter("ignore")
            out = fn(*passed, **kw_passed)
    except Hint:
        raise
    except _TimeUp:
        raise Hint(f"`{name}` ran for more than {fmt(time_limit)} s without returning: a loop "
                   f"that never ends (a `while` whose condition never turns false)?") from None
    except Exception as exc:
        raise Hint(_explain(exc, fn, name)) from None
    changed = _changed_inputs(fn, args, passed, kwargs, kw_passed) if copy_inputs else []
    if changed:
        which = " and ".join(f"`{c}`" for c in changed[:3])
        also = " and returned None" if out is None else ""
        raise Hint(f"`{name}` changed the caller's {which}{also}: it wrote in place into "
                   f"the array{'s' if len(changed) > 1 else ''} it was given (`[...] =`, "
                   f"`-=`, `+=`, `out=`, `.sort()`); compute new arrays instead"
                   f"{' and return the result' if out is None else ''}")
    if out is None:
        raise Hint(f"`{name}` returned None: did you forget `return`?")
    if _returned_function(out):
        what = getattr(out, "__name__", "a function")
        raise Hint(f"`{name}` returned the function `{what}` instead of its value: add the "
                   f"parentheses, e.g. `y.{what}()` or `np.{what}(y)`")
    if isinstance(out, (str, bytes)) and not text:
        raise Hint(f"`{name}` returned the text {fmt(str(out))}, not a number: "
                   f"remove the quotes (return the value itself)")
    k = _none_inside(out)
    if k is not None:
        raise Hint(f"`{name}` returned {fmt(out)}: its {ordinal(k)} value is None (a variable "
                   f"set from a function without `return`, or from .sort()/.append(), which "
                   f"work in place and return None?)")
    if not text and _has_text(out):
        raise Hint(f"`{name}` returned {fmt(out)}, with numbers written as text: remove the "
                   f"quotes")
    if finite and not isinstance(out, (str, bytes)):
        bad = _nonfinite(out)
        if bad:
            what = "nan (not a number)" if bad == "nan" else "inf"
            where = " in its result" if isinstance(out, (tuple, list)) or np.ndim(out) else ""
            raise Hint(f"`{name}` returned {what}{where}: a 0/0, a log(0), or an exp/power "
                       f"that overflowed?")
    return out


def _has_text(value) -> bool:
    """``True`` when ``value`` is or holds (in a tuple, list or array) a string."""
    if isinstance(value, (str, bytes, np.str_)):
        return True
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "US":
            return True
        return value.dtype == object and any(_has_text(v) for v in value.flat)
    if isinstance(value, (tuple, list)):
        return any(_has_text(v) for v in value)
    return False


def _has_none(value) -> bool:
    if value is None:
        return True
    if isinstance(value, np.ndarray) and value.dtype == object:
        return any(_has_none(v) for v in value.flat)
    if isinstance(value, (tuple, list)):
        return any(_has_none(v) for v in value)
    return False


# ---------------------------------------------------------------- coercing results

def _not_a_value(value, what: str) -> None:
    if value is None:
        raise Hint(f"{what} is None: did you forget `return`?")
    if _returned_function(value):
        raise Hint(f"{what} is the function `{getattr(value, '__name__', '?')}`, not its value: "
                   f"add the parentheses")
    if isinstance(value, (str, bytes, np.str_)):
        raise Hint(f"{what} is the text {fmt(str(value))}, not a number: remove the quotes")
    if _has_text(value):
        raise Hint(f"{what} holds numbers written as text ({fmt(value)}): remove the quotes")
    if _has_none(value):
        raise Hint(f"{what} holds None ({fmt(value)}): a variable set from a function without "
                   f"`return`, or from .sort()/.append(), which return None?")


def number(value, what: str, array_hint: str = "") -> float:
    """The learner's result as one finite float, or a :class:`Hint` naming what came back instead.

    The type policy of every check: an int, a float or a NumPy scalar (or a 0-d array) is a
    number; text (even "-1.5") gets "remove the quotes"; a bool is not a number.
    ``array_hint`` is added when an array came back (e.g. ": take the mean").
    """
    _not_a_value(value, what)
    if isinstance(value, (tuple, list, dict)) or np.ndim(value) != 0:
        raise Hint(f"{what} should be one number, got {type(value).__name__} of shape "
                   f"{fmt(np.shape(value)) if not isinstance(value, dict) else '?'}"
                   f"{array_hint}")
    if isinstance(value, (bool, np.bool_)):
        raise Hint(f"{what} is {value}, a yes/no value, not a number: return the number itself")
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise Hint(f"{what} should be a number, got {type(value).__name__}") from None
    if not np.isfinite(out):
        raise Hint(f"{what} is {fmt(out)}: expected a finite number")
    return out


def sequence(value, what: str, length: int | None = None, names: str = "") -> np.ndarray:
    """The learner's sequence of numbers as a flat float array, or a :class:`Hint`.

    The type policy of every check: a tuple, a list or a 1-D array of numbers (ints, floats,
    NumPy scalars) is a sequence; text inside gets "remove the quotes". ``length`` is the
    number of values the contract asks for; ``names`` says what they are (``"(w, b)"``).
    """
    _not_a_value(value, what)
    if isinstance(value, dict):
        raise Hint(f"{what} is a dictionary: return the values themselves"
                   f"{', ' + names if names else ''} (a tuple, list or array)")
    count = _WORDS.get(length, str(length)) if length else "several"
    if np.ndim(value) == 0:
        raise Hint(f"{what} is one number ({fmt(value)}): return {count} numbers"
                   f"{', ' + names if names else ''}")
    out = array(value, what)
    if out.ndim != 1:
        raise Hint(f"{what} has shape {fmt(out.shape)}: return a flat tuple, list or 1-D "
                   f"array{' of ' + str(length) + ' numbers' if length else ''}")
    if length is not None and out.size != length:
        raise Hint(f"{what} has {out.size} number{'' if out.size == 1 else 's'}: return "
                   f"exactly {count}{', ' + names if names else ''}")
    return out


_WORDS = {2: "two", 3: "three", 4: "four", 5: "five"}


def array(value, what: str, shape: tuple | None = None) -> np.ndarray:
    """The learner's result as a finite float array (of ``shape``, if given), or a :class:`Hint`.

    ``shape`` may contain ``None`` for "any size" along an axis.
    """
    _not_a_value(value, what)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Hint(f"{what} should be an array of numbers, got {fmt(value)}") from None
    if shape is not None:
        shape = tuple(shape)
        fits = out.ndim == len(shape) and all(s is None or s == g
                                              for s, g in zip(shape, out.shape, strict=True))
        if not fits:
            want = "(" + ", ".join("any" if s is None else str(s) for s in shape) + \
                   ("," if len(shape) == 1 else "") + ")"
            tip = ""
            if out.ndim == 2 and len(shape) == 2 and out.shape[::-1] == shape:
                tip = ": transposed? (.T)"
            elif out.ndim == 2 and len(shape) == 1 and 1 in out.shape and out.size == shape[0]:
                kind = "a row" if out.shape[0] == 1 else "a column"
                tip = (f": {kind} where a flat array was expected (use .ravel(), or drop "
                       f"keepdims=True)")
            elif out.ndim == 1 and len(shape) == 2 and shape[1] == 1 and out.size == shape[0]:
                tip = ": a flat array where a column was expected (use .reshape(-1, 1))"
            elif out.ndim == 0:
                tip = ": one number where an array was expected"
            elif all(s is not None for s in shape) and out.size == math.prod(shape):
                tip = ": the right numbers, in the wrong arrangement"
            raise Hint(f"{what} has shape {fmt(out.shape)}, expected {want}{tip}")
    if not np.isfinite(out).all():
        raise Hint(f"{what} contains {'nan' if np.isnan(out).any() else 'inf'}: "
                   f"a 0/0, a log(0), or an overflow?")
    return out


def ratio_hint(got: float, want: float) -> str | None:
    """Name the common slips between a value and the right one (sign, factor 2, factor n)."""
    if want == 0 or not np.isfinite(got):
        return None
    r = got / want
    if np.isclose(r, -1):
        return "right size, wrong sign"
    if np.isclose(r, 2):
        return "2× too large"
    if np.isclose(r, 0.5):
        return "2× too small"
    return None


def close(got, want, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """``True`` when arrays have the same shape and ``|got − want| ≤ atol + rtol·|want|``."""
    try:
        got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=rtol, atol=atol))


# ---------------------------------------------------------------- diagnosing from evidence

def explain(got: list, candidates, rtol: float = 1e-6, atol: float = 1e-9) -> str | None:
    """The message of the first candidate slip that explains EVERY observed value, else None.

    ``got`` holds the learner's values, one per test case; ``candidates`` is a list of
    ``(message, values)`` where ``values`` holds that slip's value for each case (computed from
    the maths). A slip is named only when it fits all the cases: a guess that fits one input is
    never printed. Candidates with a non-finite value on some case are skipped.
    """
    for message, values in candidates:
        try:
            values = list(values)
            if len(values) != len(got):
                continue
            if all(np.all(np.isfinite(np.asarray(v, dtype=float))) for v in values) and all(
                    close(g, v, rtol=rtol, atol=atol) for g, v in zip(got, values, strict=True)):
                return message
        except (TypeError, ValueError):
            continue
    return None


def rounded(got: list, want: list) -> str | None:
    """A line when the learner's values are the right ones rounded to whole numbers on every
    case (``int(...)``, ``round(...)``, an integer array), else None."""
    try:
        g = [np.asarray(v, dtype=float) for v in got]
        w = [np.asarray(v, dtype=float) for v in want]
    except (TypeError, ValueError):
        return None
    if not g or any(a.shape != b.shape for a, b in zip(g, w, strict=True)):
        return None
    if not all(np.all(a == np.round(a)) for a in g):
        return None
    if all(close(a, b) for a, b in zip(g, w, strict=True)):
        return None
    for how, f in (("cut off the fraction (int(...), or an integer array)", np.trunc),
                   ("rounded to whole numbers (round(...))", np.round),
                   ("rounded down (//, or np.floor)", np.floor)):
        if all(close(a, f(b)) for a, b in zip(g, w, strict=True)):
            bad = next((b for a, b in zip(g, w, strict=True) if not close(a, b)), None)
            at = f" (the right value there is {fmt(bad)})" if bad is not None else ""
            return (f"your answer is right only up to whole numbers: it {how}{at}. "
                    f"Return the exact value")
    return None


def _source_of(fn) -> str | None:
    import inspect
    import textwrap
    try:
        return textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError):
        return None


_PRECEDENCE = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2, ast.FloorDiv: 2, ast.Mod: 2,
               ast.MatMult: 2}


def regroupings(fn) -> list:
    """Versions of the learner's ``fn`` with one operator chain grouped differently, as a
    person meant it: ``1 / 2 * c2`` read as ``1 / (2 * c2)``, ``2 * x * c1 * x - y`` as
    ``2 * x * (c1 * x - y)``, ``a - y / n`` as ``(a - y) / n``. Each is ``(written, meant, f)``
    with ``f`` a new function (the learner's function and namespace are not touched).
    Empty when the source is not available.
    """
    source = _source_of(fn)
    if source is None or getattr(fn, "__closure__", None):
        return []
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    func = next((n for n in tree.body if isinstance(n, ast.FunctionDef)), None)
    if func is None:
        return []

    def arithmetic(node) -> bool:
        return isinstance(node, ast.BinOp) and type(node.op) in _PRECEDENCE

    def flatten(node, leaves, ops):
        if arithmetic(node):
            flatten(node.left, leaves, ops)
            ops.append(node.op)
            flatten(node.right, leaves, ops)
        else:
            leaves.append(node)

    def trees(leaves, ops):
        if len(leaves) == 1:
            return [leaves[0]]
        out = []
        for k in range(len(ops)):
            for left in trees(leaves[:k + 1], ops[:k]):
                for right in trees(leaves[k + 1:], ops[k + 1:]):
                    out.append(ast.BinOp(left, ops[k], right))
        return out

    # the maximal arithmetic expressions: a BinOp whose parent is not an arithmetic BinOp
    parents = {child: node for node in ast.walk(func) for child in ast.iter_child_nodes(node)}
    tops = [n for n in ast.walk(func) if arithmetic(n) and not arithmetic(parents.get(n))]
    found, seen = [], set()
    for index in range(len(tops)):
        leaves, ops = [], []
        flatten(tops[index], leaves, ops)
        if not 3 <= len(leaves) <= 7:
            continue
        written = ast.unparse(tops[index])
        variants = sorted({ast.unparse(t) for t in trees(leaves, ops)} - {written}, key=len)
        for meant in variants:
            if (written, meant) in seen:
                continue
            seen.add((written, meant))
            tree2 = ast.parse(source)
            f2 = next(n for n in tree2.body if isinstance(n, ast.FunctionDef))
            p2 = {c: n for n in ast.walk(f2) for c in ast.iter_child_nodes(n)}
            t2 = [n for n in ast.walk(f2) if arithmetic(n) and not arithmetic(p2.get(n))][index]
            new_node = ast.parse(meant, mode="eval").body
            t2.op, t2.left, t2.right = new_node.op, new_node.left, new_node.right
            ast.fix_missing_locations(tree2)
            namespace = dict(getattr(fn, "__globals__", {}))
            try:
                f2.decorator_list = []
                exec(compile(tree2, "<regrouped>", "exec"), namespace)  # noqa: S102
            except Exception:
                continue
            found.append((written, meant, namespace[f2.name]))
    return found


def precedence_slip(fn, cases: list, want: list, rtol: float = 1e-6,
                    pick=None) -> str | None:
    """A line naming operator precedence when ONE regrouping of the learner's own expression
    gives the right value on EVERY case (``cases``: argument tuples, ``want``: right values);
    else None. ``pick(result)`` selects the value to compare (e.g. one element of a returned
    pair). The suggested change is verified by running it."""
    for written, meant, f in regroupings(fn):
        try:
            ok = True
            for args, w in zip(cases, want, strict=True):
                with np.errstate(all="ignore"), warnings.catch_warnings(), _time_limit(5):
                    warnings.simplefilter("ignore")
                    v = f(*_copy_data(tuple(args)))
                    if pick is not None:
                        v = pick(v)
                if not close(np.asarray(v, dtype=float), np.asarray(w, dtype=float), rtol=rtol):
                    ok = False
                    break
        except BaseException:  # noqa: BLE001 - any failure means this regrouping is not it
            continue
        if ok:
            return (f"operator precedence: Python reads `{written}` as `{_grouped(written)}`; "
                    f"you meant `{meant}`. Add the parentheses")
    return None


def _grouped(expr: str) -> str:
    """``1 / 2 * c2`` → ``(1 / 2) * c2``: the grouping Python uses, with its parentheses shown."""
    try:
        node = ast.parse(expr, mode="eval").body
    except SyntaxError:
        return expr
    if isinstance(node, ast.BinOp):
        left, right = ast.unparse(node.left), ast.unparse(node.right)
        op = expr[len(left):len(expr) - len(right)].strip() if expr.startswith(left) and \
            expr.endswith(right) else {ast.Add: "+", ast.Sub: "-", ast.Mult: "*",
                                       ast.Div: "/", ast.FloorDiv: "//"}.get(type(node.op), "?")
        if isinstance(node.left, ast.BinOp):
            left = f"({left})"
        if isinstance(node.right, ast.BinOp):
            right = f"({right})"
        return f"{left} {op} {right}"
    return expr


def improves(simulate, current, changed) -> bool:
    """``True`` when ``simulate(changed)`` is strictly better (smaller) than ``simulate(current)``.

    Any advice a ✗ line gives ("raise μ", "halve η") is checked with this before it is printed:
    ``simulate`` runs what the learner's setting does (e.g. the number of steps to reach the
    target, ``inf`` when it never does)."""
    try:
        return float(simulate(changed)) < float(simulate(current))
    except Exception:
        return False


# ---------------------------------------------------------------- verdicts

_NP_SCALAR = re.compile(r"np\.(?:float|int|uint|complex)\d*\(([^()]*)\)")
_NP_BOOL = re.compile(r"np\.(True|False)_")
_NP_ARRAY = re.compile(r"\barray\((\[[^()]*\])(?:,\s*dtype=\w+)?\)")


def _plain_numbers(text: str) -> str:
    """Safety net for hints built with ``{x!r}``: ``np.float64(0.5)`` -> ``0.5``,
    ``array([1., 2.])`` -> ``[1, 2]``, ``np.True_`` -> ``True``."""
    def scalar(m):
        try:
            return fmt(ast.literal_eval(m.group(1).strip()))
        except (ValueError, SyntaxError):
            return m.group(1)

    def arr(m):
        try:
            return fmt(np.array(ast.literal_eval(" ".join(m.group(1).split()).replace(
                "nan", "None").replace("inf", "1e999")), dtype=float))
        except (ValueError, SyntaxError, TypeError):
            return m.group(0)
    text = _NP_BOOL.sub(r"\1", text)
    text = _NP_SCALAR.sub(scalar, text)
    return _NP_ARRAY.sub(arr, text)


def _one_line(text) -> str:
    return _plain_numbers(" ".join(str(text).split()))


def _outside_note() -> str:
    """On a wrong answer: name data the learner's function took from outside itself."""
    try:
        for fn, name in _CALLED:
            names = outside_data(fn)
            if names:
                used = ", ".join(f"`{n}`" for n in names)
                return (f" (note: `{name}` uses {used} from outside the function: "
                        f"use its arguments instead)")
    except Exception:
        pass
    return ""


def report(lesson: str, exercise: str, run) -> bool:
    """Run ``run()`` (an insight, or :class:`Hint` raised), print ONE verdict line, record it.

    Never raises: a bug in the check itself prints a ✗ line asking to report it.
    """
    try:
        names = _LESSONS.get(lesson, [])
        label = f"Exercise {names.index(exercise) + 1 if exercise in names else '?'} ({exercise})"
    except Exception:
        label = f"Exercise ? ({exercise})"
    _remember_check(lesson, exercise)
    _CALLED.clear()
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            insight = run()
    except Hint as hint:
        line, ok = f"✗ {label}: {_one_line(hint)}{_outside_note()}", False
    except Exception as exc:
        line, ok = (f"✗ {label}: the check itself failed ({type(exc).__name__}) "
                    f"(internal check error: please report)"), False
    else:
        line, ok = f"✓ {label} solved. {_one_line(insight if insight is not None else '')}", True
    print(line.rstrip())
    _RESULTS.setdefault(lesson, {})[exercise] = ok
    return ok


def _remember_check(lesson: str, exercise: str) -> None:
    """Record which ``check_<exercise>`` called :func:`report`, and with which learner function,
    so :func:`check_all` can run it again on the learner's current function."""
    try:
        frame = sys._getframe(2)
        code = frame.f_code
        check = frame.f_globals.get(code.co_name)
        if callable(check) and code.co_name.startswith("check_") and code.co_argcount >= 1:
            _CHECKS[(lesson, exercise)] = (check, frame.f_locals.get(code.co_varnames[0]))
    except Exception:
        pass


def _available_lessons() -> list[str]:
    """The lessons with exercises: those registered and those with a checks module."""
    found = set(_LESSONS) | {p.stem.removeprefix("lesson")
                             for p in Path(__file__).parent.glob("lesson[0-9]*.py")}
    return sorted(found)


def _current(name, namespaces):
    for ns in namespaces:
        value = ns.get(name) if isinstance(name, str) and name.isidentifier() else None
        if callable(value):
            return value
    return None


def check_all(lesson: str = None, namespace: dict | None = None) -> None:
    """Run every exercise check of ``lesson`` again, on the learner's CURRENT functions, and
    print how many are solved.

    The functions are looked up by name in ``namespace`` (default: the caller's globals, i.e.
    the notebook, then ``__main__``), so a function redefined wrongly after its ✓ no longer
    counts. An exercise whose function is not defined shows ``·``. Never raises: a wrong lesson
    id prints one ✗ line naming the lessons that exist.
    """
    try:
        caller = sys._getframe(1).f_globals
    except Exception:
        caller = {}
    try:
        _check_all(lesson, [namespace or caller, getattr(sys.modules.get("__main__"),
                                                        "__dict__", {})])
    except Exception as exc:  # a bug in the checks themselves: one line, never a traceback
        print(f"✗ check_all: the check itself failed ({type(exc).__name__}) "
              f"(internal check error: please report)")


def _check_all(lesson, namespaces) -> None:
    import importlib
    import io
    known = _available_lessons()
    if not isinstance(lesson, str) or lesson not in known:
        shown = f'"{lesson}"' if isinstance(lesson, str) else fmt(lesson)
        digits = str(lesson).strip().isdigit() if isinstance(lesson, (str, int)) and \
            not isinstance(lesson, bool) else False
        tip = (f': write it as two-digit text, check_all("{int(str(lesson).strip()):02d}")'
               if digits and f"{int(str(lesson).strip()):02d}" in known else "")
        print(f"✗ check_all: there is no lesson {shown}{tip}. The lessons with exercises "
              f"are {', '.join(known)}.")
        return
    if lesson not in _LESSONS:
        importlib.import_module(f"{__package__}.lesson{lesson}")
    module = sys.modules.get(_MODULES.get(lesson, ""))
    names = _LESSONS[lesson]
    marks = []
    for name in names:
        check, remembered = _CHECKS.get((lesson, name), (None, None))
        if check is None:
            check = getattr(module, f"check_{name}", None)
        own_name = getattr(remembered, "__name__", name) if remembered is not None else name
        fn = _current(own_name, namespaces) or _current(name, namespaces)
        if fn is None and remembered is not None and not (
                isinstance(own_name, str) and own_name.isidentifier()):
            fn = remembered   # a lambda or other unnamed function: the one last checked
        if fn is None or check is None:
            marks.append("·")   # not defined here: nothing to check
            continue
        with contextlib.redirect_stdout(io.StringIO()):
            check(fn)
        marks.append("✓" if _RESULTS.get(lesson, {}).get(name) else "✗")
    done = marks.count("✓")
    print(f"Lesson {lesson}: {done} of {len(names)} exercises solved.")
    for i, (n, mark) in enumerate(zip(names, marks, strict=True), 1):
        print(f"  {mark} Exercise {i}: {n}")


def assert_solved(lesson: str, exercise: str) -> None:
    """Raise ``AssertionError`` unless ``exercise`` of ``lesson`` passed its check in this session.

    Used only in nbgrader's hidden tests (removed from the learner edition, restored by
    ``nbgrader autograde``), so a check cell scores its points exactly when its check printed ✓.
    """
    if not _RESULTS.get(lesson, {}).get(exercise):
        raise AssertionError(f"lesson {lesson}, exercise {exercise!r}: not solved "
                             f"(its check did not print ✓)")


# ---------------------------------------------------------------- the hint ladder

def solutions() -> dict:
    """``{lesson: {exercise: source}}`` from ``solutions.json`` (empty if it is missing)."""
    try:
        return json.loads(SOLUTIONS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _solution_code(lesson: str, name: str) -> str | None:
    return solutions().get(lesson, {}).get(name)


def ladder(lesson: str):
    """``(hint, show_solution)`` for ``lesson``: ``hint_, show_solution = ladder("03")``.

    ``hint("gd_step")`` prints the next rung at each call: 1 the idea, 2 the formula,
    3 the code (the instructor's function). ``show_solution("gd_step")`` prints the code at
    once. Either accepts the function itself instead of its name. Neither ever raises.
    """

    def resolve(exercise):
        name = exercise if isinstance(exercise, str) else getattr(exercise, "__name__", None)
        known = _LESSONS.get(lesson, [])
        if name in known:
            return name
        close_names = difflib.get_close_matches(str(name), known, n=1)
        guess = f" Did you mean {close_names[0]!r}?" if close_names else ""
        print(f"Lesson {lesson} has no exercise called {name!r}; its exercises are: "
              f"{', '.join(known) or 'none'}.{guess}")
        return None

    def code_text(name):
        code = _solution_code(lesson, name)
        if code is None:
            return (f"(the code of `{name}` is not in this installation: see the instructor "
                    f"edition, notebooks/{lesson}_*.ipynb)")
        return code.rstrip("\n")

    def hint(exercise) -> None:
        """Print the next hint for ``exercise``: the idea, then the formula, then the code."""
        name = resolve(exercise)
        if name is None:
            return
        ex = _EXERCISES[lesson][name]
        rung = _RUNGS.get((lesson, name), 0) + 1
        while rung < 3 and not (ex.idea if rung == 1 else ex.formula):
            rung += 1  # skip a rung that has no text
        _RUNGS[(lesson, name)] = min(rung, 3)
        if rung == 1:
            print(f"Hint 1 of 3 (the idea): {ex.idea}")
            print(f'Still stuck? hint("{name}") again gives the formula.')
        elif rung == 2:
            print(f"Hint 2 of 3 (the formula): {ex.formula}")
            print(f'Still stuck? hint("{name}") again shows the code.')
        else:
            print("Hint 3 of 3 (the code):")
            print(code_text(name))

    def show_solution(exercise) -> None:
        """Print the instructor's code for ``exercise`` at once."""
        name = resolve(exercise)
        if name is None:
            return
        _RUNGS[(lesson, name)] = 3
        print(f"The solution of `{name}`:")
        print(code_text(name))

    hint.__qualname__ = hint.__name__ = "hint"
    show_solution.__qualname__ = show_solution.__name__ = "show_solution"
    return hint, show_solution
