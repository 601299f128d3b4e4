"""The compiled parts in tests: each is compared with its pure twin where it is built."""

from __future__ import annotations

import os
from typing import TypeVar

import pytest

_Part = TypeVar("_Part")


def built(part: _Part | None, what: str) -> _Part:
    """``part`` (a compiled module, class or function), or the test skipped where it is not
    built: no C compiler at install time, or ``DEDUP_PURE=1``.  In CI it must be built
    (``pip install`` compiles it) unless the run asked for the pure path."""
    if part is None:
        if os.environ.get("CI") and not os.environ.get("DEDUP_PURE"):
            pytest.fail(f"{what} was not built in CI (pip install should compile it)")
        pytest.skip(f"{what} is not built here (no C compiler at install time), or DEDUP_PURE=1")
    return part
