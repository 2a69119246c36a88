"""Helpers shared by the lesson tests (imported as ``from _helpers import ...``)."""


def verdict(capsys, check, answer) -> str:
    """Run ``check(answer)`` and return the single line it printed (✓ … or ✗ …)."""
    check(answer)
    out = capsys.readouterr().out.strip()
    assert out.count("\n") == 0, f"a check must print exactly one line, got:\n{out}"
    return out


def not_written(*_args, **_kwargs):
    """What a student-edition stub does: raise ``NotImplementedError``."""
    raise NotImplementedError("Exercise: write me")
