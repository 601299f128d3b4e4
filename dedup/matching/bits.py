"""Runs of covered characters: what verification reads from a character bit set.

A paragraph's characters covered by another paragraph's shingles are a bit set
(a Python int, bit i is character i: ``Item.covered_by``).  ``longest_run`` is
the definition in pure Python; the compiled core's ``longest_run`` gives the
same span (tests compare them).
"""

from __future__ import annotations

import re

_ONES = re.compile("1+")


def bridged(mask: int, bridge: int) -> int:
    """``mask`` with every gap of at most ``bridge`` unset bits between two set
    ones filled (a morphological closing: nothing is added at either edge, and a
    longer gap keeps every one of its bits unset)."""
    grown = mask
    for shift in range(1, bridge + 1):
        grown |= mask << shift
    closed = grown
    for shift in range(1, bridge + 1):
        closed &= grown >> shift
    return closed


def longest_run(mask: int, bridge: int) -> tuple[int, int]:
    """(start, end) of the longest run of set bits, bridging gaps of up to
    ``bridge`` unset ones: the first of equals; (0, 0) for an empty mask."""
    best = (0, 0)
    # bits written out in character order
    for run in _ONES.finditer(format(bridged(mask, bridge), "b")[::-1]):
        if run.end() - run.start() > best[1] - best[0]:
            best = run.span()
    return best
