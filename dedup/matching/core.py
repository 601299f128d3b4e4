"""Which implementation runs the hot loops: the compiled core or pure Python.

``compiled.pyx`` (word hashes, shingle hashes, MinHash rows, for
verification shared-shingle counts and coverage bit sets, and the Viterbi of
the part-of-speech tagger) is built by
``pip install .`` where a C compiler exists; without it, or with the
environment variable ``DEDUP_PURE=1``, the pure numpy functions it mirrors
run instead.  Both give the same values (tests compare them), so the choice
changes speed only, never a result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import Protocol, cast

import numpy as np

from dedup.config import compiled_extension


class Postings(Protocol):
    """Key -> ref numbers in insertion order (``compiled_index.Postings``; in pure
    Python the dicts of lists of ``index.BandIndex`` and ``index.ShingleIndex``)."""

    def add_keys(self, number: int, keys: np.ndarray) -> None: ...

    def add_capped(self, number: int, hashes: Iterable[int], cap: int) -> None: ...

    def bucket(self, key: int) -> list[int] | None: ...

    def keys_in_order(self) -> list[int]: ...

    def union(self, keys: np.ndarray) -> list[int]: ...

    def most_shared(self, hashes: list[int], cap: int, min_shared: int, limit: int | None) -> list[int]: ...


class LocalCore(Protocol):
    """A document's own candidates in C (``compiled_local.pyi``)."""

    def local_positions(
        self,
        distinct: list[np.ndarray],
        groups: list[list[int]],
        group_of: list[int],
        max_postings: int,
        max_local: int,
    ) -> list[list[int]]: ...


class Hmm(Protocol):
    """The tagger's Viterbi over its tables held once (``compiled_tagger.PosHmm``)."""

    def best(self, allowed_rows: list[int], emit_rows: list[int]) -> list[int]: ...


class Core(Protocol):
    """The functions the compiled core provides (``compiled.pyi``)."""

    def word_hashes(self, tokens: list[str]) -> tuple[np.ndarray, np.ndarray]: ...

    def shingle_arrays(self, tokens: list[str], size: int) -> tuple[np.ndarray, np.ndarray]: ...

    def noise(self, raw: str) -> int: ...

    def shingle_set(self, tokens: list[str], size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]: ...

    def covered_mask(self, hashes: np.ndarray, spans: np.ndarray, found: np.ndarray, length: int) -> int: ...

    def covered_masks(
        self, hashes: np.ndarray, spans: np.ndarray, founds: list[np.ndarray], length: int
    ) -> list[int]: ...

    def shared_counts(self, found: np.ndarray, arrays: list[np.ndarray]) -> list[int]: ...

    def minhash_rows(
        self, flat: np.ndarray, starts: np.ndarray, a: np.ndarray, b: np.ndarray
    ) -> np.ndarray: ...

    def longest_run(self, mask: int, bridge: int) -> tuple[int, int]: ...

    def anchor_list(self, distinct: np.ndarray, every: int) -> list[int]: ...


class TaggerCore(Protocol):
    """The functions the compiled tagger provides (``compiled_tagger.pyi``)."""

    def pos_viterbi(
        self,
        allowed: np.ndarray,
        emit: np.ndarray,
        start: np.ndarray,
        trans: np.ndarray,
        has_trans: np.ndarray,
    ) -> np.ndarray: ...

    def lexicon_find(self, lexicon: bytes, start: int, end: int, head: bytes) -> int: ...

    def numbers(self, text: str) -> list[str]: ...

    def PosHmm(
        self,
        start: np.ndarray,
        trans: np.ndarray,
        has_trans: np.ndarray,
        allowed: np.ndarray,
        emit: np.ndarray,
        missing: float,
    ) -> Hmm: ...


@cache
def compiled_core() -> Core | None:
    """The compiled module, or ``None`` (not built here, or ``DEDUP_PURE=1``)."""
    return cast("Core | None", compiled_extension("dedup.matching.compiled"))


@cache
def compiled_postings() -> Callable[[], Postings] | None:
    """The indexes' compiled table (``compiled_index.Postings``), or ``None`` where the core does
    not run (or that extension was not built): the dicts of lists then."""
    if compiled_core() is None:
        return None
    module = compiled_extension("dedup.matching.compiled_index")
    return None if module is None else cast("Callable[[], Postings]", module.Postings)


@cache
def compiled_local() -> LocalCore | None:
    """A document's own candidates in C (``compiled_local``), or ``None`` where the core does not
    run (or that extension was not built): ``DocumentPostings.local``'s pure Python then."""
    if compiled_core() is None:
        return None
    return cast("LocalCore | None", compiled_extension("dedup.matching.compiled_local"))


@cache
def compiled_tagger() -> TaggerCore | None:
    """The tagger's compiled Viterbi and lexicon search (``compiled_tagger``), or ``None`` where the
    core does not run (or that extension was not built): numpy's Viterbi and ``bytes.find`` then."""
    if compiled_core() is None:
        return None
    return cast("TaggerCore | None", compiled_extension("dedup.matching.compiled_tagger"))


def implementation() -> str:
    """``compiled`` or ``pure``: what this process runs."""
    return "compiled" if compiled_core() is not None else "pure"
