"""Types of a document's candidates and indexing in one call (compiled_earlier.pyx)."""

from typing import Any

import numpy as np

from dedup.matching.compiled_index import Postings

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
