"""Types of the indexes' compiled table (compiled_index.pyx)."""

from collections.abc import Iterable
from typing import Any

import numpy as np

class Postings:
    def add_keys(self, number: int, keys: np.ndarray) -> None: ...
    def add_capped(self, number: int, hashes: Iterable[int], cap: int) -> None: ...
    def bucket(self, key: int) -> list[int] | None: ...
    def keys_in_order(self) -> list[int]: ...
    def union(self, keys: np.ndarray) -> list[int]: ...
    def most_shared(self, hashes: list[int], cap: int, min_shared: int, limit: int | None) -> list[int]: ...

class Refs:
    refs: list[Any]
    ordered: bool
    def __len__(self) -> int: ...
    def number(self, ref: object) -> int: ...
    def of(self, numbers: list[int]) -> list[Any]: ...

def reads_arrays_in_place() -> bool: ...
def earlier(
    bands: Postings,
    anchors: Postings,
    refs: Refs,
    items: list[Any],
    copies: dict[str, Any],
    cap: int,
    limit: int,
    every: int,
) -> dict[int, list[Any]] | None: ...
def index(
    bands: Postings,
    anchors: Postings,
    refs: Refs,
    items: list[Any],
    keys: list[np.ndarray | None],
    anchored: list[bool],
    cap: int,
    every: int,
) -> int: ...
