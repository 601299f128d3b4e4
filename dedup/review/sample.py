"""Which articles a review shows in full, and where the texts of surviving copies come from.

A review page holds the full text of the articles it shows.  Up to ``limit``
articles that is every article of the run; beyond it, :class:`Selection` keeps
the articles with the most text removed and a seeded sample of the others, the
same ones on every run of the same input (the sample is drawn by a hash of the
seed, the article's position and its id, never by the order results arrive in).

A removed span's surviving copy is usually in an earlier article, which may not
be one of those shown.  :class:`TextStore` keeps every article's text in a
temporary file (memory grows only by a few numbers per article), so each copy
can be cut out of its article at the end.
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: articles a review shows in full before it starts sampling
DEFAULT_LIMIT = 1000
#: of those, the share kept for the seeded sample (the rest: the most changed)
SAMPLE_SHARE = 0.25


@dataclass(frozen=True, slots=True)
class Entry:
    """An article as the review keeps it: its place in the run (0-based, the
    report line less one), its report line, its original text and the characters removed."""

    position: int
    line: Mapping[str, Any]
    text: str
    removed: int


def _change_rank(entry: Entry) -> tuple[int, int, int]:
    """Bigger is more changed: characters removed, then findings, then the earlier article."""
    line = entry.line
    findings = len(line["removed"]) + len(line["joins"]) + len(line["flags"])
    return (entry.removed, findings, -entry.position)


def _sample_key(seed: int, entry: Entry) -> int:
    key = f"{seed}\x00{entry.position}\x00{entry.line['id']}".encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big")


class Selection:
    """The articles a review shows: all of them up to ``limit``; beyond it the
    ``limit - sample`` most changed ones and a seeded sample of ``sample`` of the rest."""

    def __init__(self, limit: int = DEFAULT_LIMIT, seed: int = 1) -> None:
        if limit < 1:
            raise ValueError("a review shows at least one article")
        self.limit = limit
        self.seed = seed
        self.sample_size = int(limit * SAMPLE_SHARE)
        self.top_size = limit - self.sample_size
        self.seen = 0
        self._top: list[tuple[tuple[int, int, int], int, Entry]] = []
        # a max-heap on the sample key (negated), so the largest of the kept keys leaves first
        self._sample: list[tuple[int, int, Entry]] = []

    def add(self, entry: Entry) -> None:
        self.seen += 1
        heapq.heappush(self._top, (_change_rank(entry), entry.position, entry))
        if len(self._top) > self.top_size:
            _, _, out = heapq.heappop(self._top)
            self._offer_sample(out)

    def _offer_sample(self, entry: Entry) -> None:
        item = (-_sample_key(self.seed, entry), entry.position, entry)
        if len(self._sample) < self.sample_size:
            heapq.heappush(self._sample, item)
        elif self._sample and item > self._sample[0]:
            heapq.heapreplace(self._sample, item)

    @property
    def sampled(self) -> bool:
        """More articles were seen than the review shows."""
        return self.seen > self.limit

    @property
    def most_changed(self) -> int:
        return min(self.seen, self.top_size)

    def entries(self) -> list[Entry]:
        """The articles shown, in corpus order."""
        kept = [entry for _, _, entry in self._top] + [entry for _, _, entry in self._sample]
        return sorted(kept, key=lambda entry: entry.position)


class TextStore:
    """Every article's text (UTF-8) in a temporary file, found by position and by id.
    (Compressing it cost more than the rest of the review together.)"""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="dedup-review-")
        self._end = 0
        self._where: list[tuple[int, int]] = []
        self._by_id: dict[str, list[int]] = {}

    def add(self, doc_id: str, text: str) -> None:
        blob = text.encode("utf-8", "surrogatepass")
        self._where.append((self._end, len(blob)))
        self._file.write(blob)
        self._end += len(blob)
        places = self._by_id.get(doc_id)
        if places is None:
            self._by_id[doc_id] = [len(self._where) - 1]
        else:
            places.append(len(self._where) - 1)

    def position(self, doc_id: str, before: int) -> int | None:
        """Where the article ``doc_id`` a removal at ``before`` refers to is: the last
        one of that id up to ``before`` (ids may repeat), else the first after it."""
        places = self._by_id.get(doc_id)
        if not places:
            return None
        i = bisect.bisect_right(places, before)
        return places[i - 1] if i else places[0]

    def text(self, position: int) -> str:
        offset, size = self._where[position]
        self._file.flush()
        blob = os.pread(self._file.fileno(), size, offset)
        return blob.decode("utf-8", "surrogatepass")

    def close(self) -> None:
        self._file.close()
