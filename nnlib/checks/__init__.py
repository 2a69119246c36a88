"""Self-checking exercises, one module per lesson (``lesson01`` … ``lesson09``).

Each ``check_<exercise>(answer)`` prints ✓ with one line of insight or ✗ with
a targeted hint; ``check_all("03")`` prints how many of a lesson's exercises
are solved in this session. Each lesson module also exports ``hint`` and
``show_solution`` (the hint ladder: idea, formula, code), made by
:func:`ladder`. The shared plumbing is in :mod:`nnlib.checks._core`.
"""

from ._core import (
    Exercise,
    Hint,
    assert_solved,
    check_all,
    explain,
    fmt,
    improves,
    ladder,
    ordinal,
    precedence_slip,
    register,
    rounded,
    sequence,
)

__all__ = ["Exercise", "Hint", "assert_solved", "check_all", "explain", "fmt", "improves",
           "ladder", "ordinal", "precedence_slip", "register", "rounded", "sequence"]
