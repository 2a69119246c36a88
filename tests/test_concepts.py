"""The concept map (docs/concepts.md) and the lessons agree: nothing is relied on before it is
taught.

Each row of the map reads ``| idea | NN §k | MM §j, PP §i |``: the lesson and section that teach
the idea, then every later place that relies on it. These tests check the map is ordered, that
every lesson and section it names exists, and that the lessons name their sections as the map does.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
MAP = ROOT / "docs" / "concepts.md"
PLACE = re.compile(r"\b(\d{2})\s*§\s*(\d+)")


def rows():
    out = []
    for line in MAP.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not PLACE.search(cells[1]):
            continue
        taught = tuple(int(g) for g in PLACE.search(cells[1]).groups())
        relied = [tuple(int(g) for g in m) for m in PLACE.findall(cells[2])]
        out.append((cells[0], taught, relied))
    return out


@functools.lru_cache(maxsize=1)
def sections():
    """{lesson number: set of section numbers} read from the notebooks' '## k · Title' headings."""
    found = {}
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        heads = set()
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                heads |= {int(m) for m in re.findall(r"^##\s+(\d+)\s*·", cell.source, flags=re.M)}
        found[int(path.name[:2])] = heads
    return found


def test_map_has_rows_for_every_lesson():
    taught_in = {t[0] for _, t, _ in rows()}
    missing = sorted(set(sections()) - taught_in)
    assert not missing, f"lessons that teach nothing according to docs/concepts.md: {missing}"


@pytest.mark.parametrize("idea, taught, relied", rows(), ids=lambda v: str(v)[:40])
def test_taught_before_relied_on(idea, taught, relied):
    early = [r for r in relied if r < taught]
    assert not early, (f"{idea!r} is taught in {taught[0]:02d} §{taught[1]} but relied on earlier, "
                       f"in " + ", ".join(f"{a:02d} §{b}" for a, b in early))


@pytest.mark.parametrize("idea, taught, relied", rows(), ids=lambda v: str(v)[:40])
def test_places_exist(idea, taught, relied):
    known = sections()
    for lesson, section in [taught, *relied]:
        assert lesson in known, f"{idea!r}: there is no lesson {lesson:02d}"
        assert section in known[lesson], (f"{idea!r}: lesson {lesson:02d} has no section "
                                           f"'## {section} · ...' (it has {sorted(known[lesson])})")
