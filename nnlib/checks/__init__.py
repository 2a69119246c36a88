"""Self-checking exercises, one module per lesson (``lesson01`` … ``lesson09``).

Each ``check_<exercise>(answer)`` prints ✓ with one line of insight or ✗ with
a targeted hint; ``check_all("03")`` prints how many of a lesson's exercises
are solved in this session.
"""

from ._core import assert_solved, check_all

__all__ = ["assert_solved", "check_all"]
