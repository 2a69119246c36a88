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


def call(fn, *args, name: str | None = None, text: bool = False, finite: bool = True,
         time_limit: float | None = TIME_LIMIT, **kwargs):
    """Call the learner's ``fn(*args, **kwargs)`` and turn every slip into a :class:`Hint`.

    Slips: not callable; an exception (not written yet, also in another of the learner's
    functions it calls; shape mismatch; array truth value; ``^``; axis; unknown name; ...),
    translated into the learner's terms, never a traceback or NumPy's text; ``None`` returned;
    a function returned instead of its value (``y.mean`` without parentheses); a string
    returned (allowed with ``text=True``, for predictions); NaN or inf (allowed with
    ``finite=False``); a call that runs longer than ``time_limit`` seconds (an endless loop).
    Warnings inside ``fn`` are silenced (the result is checked instead).
    """
    name = name or getattr(fn, "__name__", "your function")
    if callable(fn) and not any(f is fn for f, _ in _CALLED):
        _CALLED.append((fn, name))
    if not callable(fn):
        raise Hint(f"expected a function, got {fmt(fn)} ({type(fn).__name__}): pass the "
                   f"function itself, without calling it (no parentheses)")
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings(), _time_limit(time_limit):
            warnings.simplefilter("ignore")
            out = fn(*args, **kwargs)
    except Hint:
        raise
    except _TimeUp:
        raise Hint(f"`{name}` ran for more than {fmt(time_limit)} s without returning: a loop "
                   f"that never ends (a `while` whose condition never turns false)?") from None
    except Exception as exc:
        raise Hint(_explain(exc, fn, name)) from None
    if out is None:
        raise Hint(f"`{name}` returned None: did you forget `return`?")
    if _returned_function(out):
        what = getattr(out, "__name__", "a function")
        raise Hint(f"`{name}` returned the function `{what}` instead of its value: add the "
                   f"parentheses, e.g. `y.{what}()` or `np.{what}(y)`")
    if isinstance(out, (str, bytes)) and not text:
        raise Hint(f"`{name}` returned the text {fmt(str(out))}, not a number: "
                   f"remove the quotes (return the value itself)")
    if finite and not isinstance(out, (str, bytes)):
        bad = _nonfinite(out)
        if bad:
            what = "nan (not a number)" if bad == "nan" else "inf"
            where = " in its result" if isinstance(out, (tuple, list)) or np.ndim(out) else ""
            raise Hint(f"`{name}` returned {what}{where}: a 0/0, a log(0), or an exp/power "
                       f"that overflowed?")
    return out


# ---------------------------------------------------------------- coercing results

def _not_a_value(value, what: str) -> None:
    if value is None:
        raise Hint(f"{what} is None: did you forget `return`?")
    if _returned_function(value):
        raise Hint(f"{what} is the function `{getattr(value, '__name__', '?')}`, not its value: "
                   f"add the parentheses")
    if isinstance(value, (str, bytes)):
        raise Hint(f"{what} is the text {fmt(str(value))}, not a number: remove the quotes")


def number(value, what: str, array_hint: str = "") -> float:
    """The learner's result as one finite float, or a :class:`Hint` naming what came back instead.

    ``array_hint`` is added when an array came back (e.g. ": take the mean").
    """
    _not_a_value(value, what)
    if isinstance(value, (tuple, list, dict)) or np.ndim(value) != 0:
        raise Hint(f"{what} should be one number, got {type(value).__name__} of shape "
                   f"{fmt(np.shape(value)) if not isinstance(value, dict) else '?'}"
                   f"{array_hint}")
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise Hint(f"{what} should be a number, got {type(value).__name__}") from None
    if not np.isfinite(out):
        raise Hint(f"{what} is {fmt(out)}: expected a finite number")
    return out


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


def check_all(lesson: str) -> None:
    """Print how many of a lesson's exercises are solved in this session."""
    names = _LESSONS.get(lesson)
    if names is None:
        known = ", ".join(sorted(_LESSONS)) or "none"
        raise ValueError(f"unknown lesson {lesson!r}; lessons with exercises: {known}")
    done = [n for n in names if _RESULTS.get(lesson, {}).get(n)]
    print(f"Lesson {lesson}: {len(done)} of {len(names)} exercises solved.")
    for i, n in enumerate(names, 1):
        state = _RESULTS.get(lesson, {}).get(n)
        mark = "✓" if state else ("✗" if state is False else "·")
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
