"""Recent: a dict that forgets its oldest entries, the caches of extraction and of what workers send.

A module of its own, outside the typed core (``typed_core.MODULES``): a native class cannot extend
an ``OrderedDict``, nor one that does.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TypeVar

#: distinct keys whose features a process remembers
CACHED_KEYS = 100_000

_K = TypeVar("_K")
_V = TypeVar("_V")


class Recent(OrderedDict[_K, _V]):
    """A dict that forgets its oldest entries beyond ``size`` (the caches by
    key of extraction, and what workers sent and the main process received).

    An ``OrderedDict``: a plain dict's oldest entry is found by scanning past
    the slots its earlier deletions left, which made each insertion into a full
    cache cost 30 times as much (a corpus past ``CACHED_KEYS`` distinct keys)."""

    def __init__(self, size: int = CACHED_KEYS) -> None:
        super().__init__()
        self.size = size

    def remember(self, key: _K, value: _V) -> None:
        self[key] = value
        if len(self) > self.size:
            self.popitem(last=False)
