"""Mutants of the reference solutions, for the mutation test (tests/test_mutants.py).

A :class:`Mutant` is a wrong version of one exercise's function, written as the full Python
``def`` text. Two sources:

- hand-written ones: each ``tests/mutants/lessonNN.py`` defines ``MUTANTS``, a list of
  ``Mutant(exercise, label, source)`` (the slips learners make that no systematic rule writes);
- systematic ones: :func:`generate` rewrites the reference solution
  (``nnlib/checks/solutions.json``, the instructor's function) with small AST transforms: flip
  a sign, drop a term or a factor, scale the result by 2, 1/2 or 1/n, clip or round the
  result, shift a ``range()`` bound by one, mutate an input in place, swap the returned
  values, return text.

A lesson file may also define

- ``INPUTS``: ``{exercise: inputs(rng) -> list of argument tuples}``, valid inputs in every regime
  the contract allows (negative, between 0 and 1, large, non-integer, edge sizes). The runner
  calls the reference and each mutant on these (and on every input the check itself used) to
  decide honestly whether a mutant differs from the reference at all; only a mutant that differs
  somewhere must get ✗.
- ``NAMESPACE``: extra names the lesson's code uses (besides ``np`` and the lesson's other
  reference functions, which are always there).
- ``SKIP``: ``{(exercise, label): reason}`` for a generated mutant that is a right answer under the
  contract even though it differs numerically (say why).
"""

from __future__ import annotations

import ast
import copy
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SOLUTIONS = Path(__file__).resolve().parents[2] / "nnlib" / "checks" / "solutions.json"


@dataclass(frozen=True)
class Mutant:
    """One wrong version of ``exercise``'s function: ``source`` is its full ``def`` text."""

    exercise: str
    label: str
    source: str


def solutions() -> dict:
    """``{lesson: {exercise: source}}``: the instructor's functions."""
    return json.loads(SOLUTIONS.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- helpers the mutants call
# (put into every mutant's namespace by the runner)

def _mutate(value) -> None:
    """Change a caller's array / list / dict in place (a side effect for the checks to find)."""
    if isinstance(value, np.ndarray) and value.size and value.flags.writeable:
        if value.dtype.kind == "b":
            value.flat[0] = not value.flat[0]
        else:
            value.flat[0] = value.flat[0] + 1
    elif isinstance(value, list):
        if value and isinstance(value[0], np.ndarray):
            _mutate(value[0])
        elif value:
            value.reverse() if len(set(map(repr, value))) > 1 else value.append(value[-1])
        else:
            value.append(0)
    elif isinstance(value, dict) and value:
        key = next(iter(value))
        if isinstance(value[key], np.ndarray):
            _mutate(value[key])
        else:
            value.pop(key)


def _n(*params) -> int:
    """The n of "scale by 1/n": the length of the first argument that has one (else 3)."""
    for p in params:
        try:
            if not isinstance(p, (str, bytes, dict)) and len(p) > 1:
                return len(p)
        except TypeError:
            continue
    return 3


HELPERS = {"_mutate": _mutate, "_n": _n}


# ---------------------------------------------------------------- AST plumbing

class _Site(ast.NodeTransformer):
    """Visit nodes in pre-order; count those matching ``pred``; replace the ``target``-th."""

    def __init__(self, pred, make, target: int = -1):
        self.pred, self.make, self.target, self.count = pred, make, target, 0

    def visit(self, node):
        if self.pred(node):
            i = self.count
            self.count += 1
            if i == self.target:
                new = self.make(node)
                return ast.copy_location(new, node) if isinstance(new, ast.AST) else new
        return self.generic_visit(node)


def _function(tree: ast.Module) -> ast.FunctionDef:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            return node
    raise ValueError("no function definition in the source")


def _body_only(fn: ast.FunctionDef):
    """The function's statements without its docstring (mutations never touch the docstring)."""
    body = fn.body
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None),
                                                            ast.Constant) \
            and isinstance(body[0].value.value, str):
        return body[1:]
    return body


def _sites(source: str, pred, make) -> list[str]:
    """Every variant of ``source`` with one matching node (inside the body) replaced."""
    tree = ast.parse(source)
    counter = _Site(pred, make)
    for stmt in _body_only(_function(tree)):
        counter.visit(copy.deepcopy(stmt))
    out = []
    for target in range(counter.count):
        tree = ast.parse(source)
        fn = _function(tree)
        site = _Site(pred, make, target)
        start = len(fn.body) - len(_body_only(fn))
        fn.body[start:] = [site.visit(stmt) for stmt in fn.body[start:]]
        ast.fix_missing_locations(tree)
        out.append(ast.unparse(tree))
    return out


def _call(func: str, *args: ast.expr) -> ast.Call:
    value, *attrs = func.split(".")
    node: ast.expr = ast.Name(value, ast.Load())
    for attr in attrs:
        node = ast.Attribute(node, attr, ast.Load())
    return ast.Call(node, list(args), [])


def _num(x) -> ast.expr:
    return ast.Constant(x)


def _params(fn: ast.FunctionDef) -> list[str]:
    a = fn.args
    return [p.arg for p in a.posonlyargs + a.args + a.kwonlyargs]


def _is_return(node) -> bool:
    return isinstance(node, ast.Return) and node.value is not None


def _return_parts(node: ast.Return) -> list[ast.expr]:
    """The returned values: the elements of ``return a, b``, or the one value."""
    if isinstance(node.value, ast.Tuple):
        return list(node.value.elts)
    return [node.value]


# ---------------------------------------------------------------- the transforms

def _each_return_part(source: str, wrap) -> list[tuple[str, str]]:
    """Apply ``wrap(expr) -> expr`` to each returned value in turn (each element of a tuple)."""
    tree = ast.parse(source)
    fn = _function(tree)
    returns = [n for stmt in _body_only(fn) for n in ast.walk(stmt) if _is_return(n)]
    out = []
    for r_i, ret in enumerate(returns):
        parts = _return_parts(ret)
        for p_i in range(len(parts)):
            t2 = ast.parse(source)
            f2 = _function(t2)
            rets = [n for stmt in _body_only(f2) for n in ast.walk(stmt) if _is_return(n)]
            target = rets[r_i]
            if isinstance(target.value, ast.Tuple):
                target.value.elts[p_i] = wrap(target.value.elts[p_i], f2)
            else:
                target.value = wrap(target.value, f2)
            ast.fix_missing_locations(t2)
            where = f"return#{r_i + 1}" + (f"[{p_i}]" if len(parts) > 1 else "")
            out.append((where, ast.unparse(t2)))
    return out


def _flip_sign(source):
    swap = {ast.Add: ast.Sub, ast.Sub: ast.Add}
    out = [("binop", s) for s in _sites(
        source, lambda n: isinstance(n, ast.BinOp) and type(n.op) in swap,
        lambda n: ast.BinOp(n.left, swap[type(n.op)](), n.right))]
    out += [("augassign", s) for s in _sites(
        source, lambda n: isinstance(n, ast.AugAssign) and type(n.op) in swap,
        lambda n: ast.AugAssign(n.target, swap[type(n.op)](), n.value))]
    out += [("unary minus dropped", s) for s in _sites(
        source, lambda n: isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub),
        lambda n: n.operand)]
    out += [("negated " + w, s) for w, s in _each_return_part(
        source, lambda e, f: ast.UnaryOp(ast.USub(), e))]
    return out


def _drop_term(source):
    terms = (ast.Add, ast.Sub)
    factors = (ast.Mult, ast.Div, ast.FloorDiv, ast.Pow)
    out = []
    for keep in ("left", "right"):
        out += [(f"term kept {keep}", s) for s in _sites(
            source, lambda n: isinstance(n, ast.BinOp) and isinstance(n.op, terms),
            lambda n, k=keep: getattr(n, k))]
        out += [(f"factor kept {keep}", s) for s in _sites(
            source, lambda n, k=keep: isinstance(n, ast.BinOp) and isinstance(n.op, factors)
            and not (k == "right" and isinstance(n.op, (ast.Div, ast.FloorDiv, ast.Pow))),
            lambda n, k=keep: getattr(n, k))]
    return out


def _scale(source):
    out = []
    out += [("×2 " + w, s) for w, s in _each_return_part(
        source, lambda e, f: ast.BinOp(_num(2), ast.Mult(), e))]
    out += [("×1/2 " + w, s) for w, s in _each_return_part(
        source, lambda e, f: ast.BinOp(e, ast.Div(), _num(2)))]
    out += [("×1/n " + w, s) for w, s in _each_return_part(
        source, lambda e, f: ast.BinOp(e, ast.Div(), _call("_n", *[
            ast.Name(p, ast.Load()) for p in _params(f)])))]
    return out


def _clip_round(source):
    out = []
    out += [("clip(-3, 3) " + w, s) for w, s in _each_return_part(
        source, lambda e, f: _call("np.clip", e, _num(-3), _num(3)))]
    out += [("round " + w, s) for w, s in _each_return_part(
        source, lambda e, f: _call("np.round", e))]
    out += [("trunc " + w, s) for w, s in _each_return_part(
        source, lambda e, f: _call("np.trunc", e))]
    return out


def _is_range(n) -> bool:
    return isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "range" \
        and 1 <= len(n.args) <= 3


def _shift_range(source):
    def stop(delta):
        def make(n):
            args = list(n.args)
            i = 0 if len(args) == 1 else 1
            args[i] = ast.BinOp(args[i], ast.Add() if delta > 0 else ast.Sub(), _num(1))
            return ast.Call(n.func, args, n.keywords)
        return make

    def start(n):
        args = list(n.args)
        if len(args) == 1:
            args = [_num(1)] + args
        else:
            args[0] = ast.BinOp(args[0], ast.Add(), _num(1))
        return ast.Call(n.func, args, n.keywords)

    out = [("stop+1", s) for s in _sites(source, _is_range, stop(+1))]
    out += [("stop-1", s) for s in _sites(source, _is_range, stop(-1))]
    out += [("start+1", s) for s in _sites(source, _is_range, start)]
    return out


def _mutate_input(source):
    """Before each ``return``, change one argument in place (one mutant per argument)."""
    tree = ast.parse(source)
    out = []
    for param in _params(_function(tree)):
        t2 = ast.parse(source)
        fn = _function(t2)

        class Wrap(ast.NodeTransformer):
            def __init__(self, fn, param):
                self.fn, self.param = fn, param

            def visit_FunctionDef(self, node):
                return node if node is not self.fn else self.generic_visit(node)

            def visit_Return(self, node):
                if node.value is None:
                    return node
                return [ast.Assign([ast.Name("_result_", ast.Store())], node.value),
                        ast.Expr(_call("_mutate", ast.Name(self.param, ast.Load()))),
                        ast.Return(ast.Name("_result_", ast.Load()))]

        start = len(fn.body) - len(_body_only(fn))
        new_body = []
        for stmt in fn.body[start:]:
            res = Wrap(fn, param).visit(stmt)
            new_body += res if isinstance(res, list) else [res]
        fn.body[start:] = new_body
        ast.fix_missing_locations(t2)
        out.append((param, ast.unparse(t2)))
    return out


def _swap_return(source):
    def swap(n):
        elts = list(n.value.elts)
        elts[0], elts[1] = elts[1], elts[0]
        return ast.Return(ast.Tuple(elts, ast.Load()))
    return [("", s) for s in _sites(
        source, lambda n: _is_return(n) and isinstance(n.value, ast.Tuple)
        and len(n.value.elts) >= 2, swap)]


def _return_text(source):
    return [("", s) for s in _sites(source, _is_return,
                                    lambda n: ast.Return(_call("str", n.value)))]


TRANSFORMS = {
    "flip sign": _flip_sign,
    "drop": _drop_term,
    "scale": _scale,
    "clip/round": _clip_round,
    "range": _shift_range,
    "mutate input": _mutate_input,
    "swap returned": _swap_return,
    "return text": _return_text,
}


def generate(exercise: str, source: str) -> list[Mutant]:
    """Systematic mutants of ``source`` (the reference ``def`` of ``exercise``), deduplicated."""
    reference = ast.unparse(ast.parse(source))
    seen = {reference}
    ref_lines = set(reference.splitlines())
    out = []
    for kind, transform in TRANSFORMS.items():
        for where, text in transform(source):
            if text in seen:
                continue
            seen.add(text)
            changed = [ln.strip() for ln in text.splitlines()
                       if ln not in ref_lines and not ln.strip().startswith("_")]
            shown = f" `{changed[0]}`" if changed else ""
            label = f"{kind}{' ' + where if where else ''}{shown} #{len(out) + 1}"
            out.append(Mutant(exercise, label, text))
    return out


def generate_lesson(lesson: str) -> list[Mutant]:
    """Systematic mutants of every exercise of ``lesson``."""
    out = []
    for exercise, source in solutions().get(lesson, {}).items():
        out += generate(exercise, source)
    return out


# ---------------------------------------------------------------- the wrong-answer corpus

@dataclass(frozen=True)
class Answer:
    """One learner answer for the corpus (tests/corpus/lessonNN.py ``ANSWERS``).

    ``source`` is the learner's full ``def``. A wrong answer has ``slip``, the mistake a person
    reading the code would name, and ``names``, a regular expression (case-insensitive) the ✗
    line must match when the check names that slip ("" when no single cause can be named: then
    any ✗ will do). A right answer (``correct=True``) must get ✓.
    """

    exercise: str
    source: str
    slip: str = ""
    names: str = ""
    correct: bool = False


def wrong(exercise: str, slip: str, names: str, source: str) -> Answer:
    return Answer(exercise, source, slip, names)


def right(exercise: str, source: str, why: str = "") -> Answer:
    return Answer(exercise, source, why, "", True)
