"""Candidate generation: which earlier paragraphs might a paragraph repeat?

Two indexes, because two questions are asked:

* ``NearIndex`` — datasketch ``MinHashLSH`` over MinHash signatures, for copies
  (exact, edited).  Bands are weighted toward recall; every candidate is
  verified exactly afterwards, so a false candidate costs time, never a wrong
  removal.
* ``ShingleIndex`` — an inverted index from shingle hash to paragraphs, for
  containment (fragments, splices), which Jaccard-based LSH cannot find: a
  fragment of a fifth of a paragraph has a Jaccard of at most 0.2 with it.
  Shingles shared by very many paragraphs (stock phrases) are not followed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Generic, TypeVar

from dedup.config import Config

if TYPE_CHECKING:
    from datasketch import LeanMinHash

Ref = TypeVar("Ref")


class NearIndex(Generic[Ref]):
    """MinHash LSH over paragraph signatures (datasketch, in memory)."""

    def __init__(self, config: Config) -> None:
        from datasketch import MinHashLSH

        self._lsh = MinHashLSH(
            threshold=config.lsh_threshold,
            num_perm=config.num_perm,
            weights=(0.1, 0.9),
        )
        self._refs: list[Ref] = []

    def add(self, ref: Ref, signature: LeanMinHash) -> None:
        self._lsh.insert(len(self._refs), signature, check_duplication=False)
        self._refs.append(ref)

    def query(self, signature: LeanMinHash) -> list[Ref]:
        return [self._refs[i] for i in sorted(self._lsh.query(signature))]

    def __len__(self) -> int:
        return len(self._refs)


class ShingleIndex(Generic[Ref]):
    """Inverted index: shingle hash -> paragraphs that contain it."""

    def __init__(self, max_postings: int = 64) -> None:
        self._postings: dict[int, list[Ref]] = {}
        self._max_postings = max_postings

    def add(self, ref: Ref, hashes: Iterable[int]) -> None:
        for h in set(hashes):
            self._postings.setdefault(h, []).append(ref)

    def query(self, hashes: Iterable[int], min_shared: int = 1) -> list[Ref]:
        """Paragraphs sharing at least ``min_shared`` distinct shingles, most shared first."""
        shared: Counter[Ref] = Counter()
        for h in set(hashes):
            refs = self._postings.get(h)
            if refs is None or len(refs) > self._max_postings:
                continue
            shared.update(refs)
        return [ref for ref, count in shared.most_common() if count >= min_shared]
