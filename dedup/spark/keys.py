"""The keys that tie a document to the earlier documents it may be compared with.

The local engine (``run.corpus``) finds a paragraph's candidates in three
indexes of kept paragraphs: the exact copy of its key, its LSH band keys, and
its anchor shingles.  Two documents can only influence each other's result if
they share one of those keys, so the documents of a corpus fall into groups
(the connected components of the graph "shares a key") that can be resolved
independently, each in corpus order, with the same result as the whole corpus
resolved in one process (see ``spark.resolve``).

Every key is one signed 64-bit integer (what Spark stores): the exact key is an
xxh64 hash of the paragraph's key text, band keys are the band keys
themselves, anchors are tagged shingle hashes.  A collision between two keys
only joins two groups that did not need to be joined: a larger group, never a
different result.
"""

from __future__ import annotations

import numpy as np
import xxhash

from dedup.matching.features import Extracted
from dedup.matching.index import anchors
from dedup.matching.item import Item

#: set on anchor keys (32-bit shingle hashes) so that they never equal a small exact or band key
ANCHOR_TAG = np.uint64(0x5A5A_0000_0000_0000)
_EXACT_SEED = 0x0DED
_CHECK_SEED = 0xC0DE


def exact_key(text: str) -> int:
    """The 64-bit key of a paragraph key text (signed, as Spark stores a long)."""
    return xxhash.xxh64_intdigest(text.encode("utf-8", "surrogatepass"), seed=_EXACT_SEED) - (1 << 63)


def check_key(text: str) -> int:
    """A second 64-bit hash of a key text, independent of ``exact_key``: two texts are
    taken for one where an exact key alone must not decide (``rounds.needed_keys``)
    only when both hashes agree (a chance of 2**-128 a pair)."""
    return xxhash.xxh64_intdigest(text.encode("utf-8", "surrogatepass"), seed=_CHECK_SEED) - (1 << 63)


def lookup_keys(it: Item) -> np.ndarray:
    """A paragraph's band keys and tagged anchors, distinct, as int64: what its
    candidate lookup reads besides its exact key."""
    found = anchors(it.distinct).astype(np.uint64)
    tagged = (found | ANCHOR_TAG).view(np.int64)
    if it.bands is None:
        return np.unique(tagged)
    return np.unique(np.concatenate([it.bands.astype(np.uint64).view(np.int64), tagged]))


def document_keys(extracted: Extracted) -> np.ndarray:
    """Every key of a document's paragraphs (exact, band, anchor), distinct, as int64."""
    parts: list[np.ndarray] = []
    for it in extracted.items:
        parts.append(np.array([exact_key(it.key.text)], dtype=np.int64))
        parts.append(lookup_keys(it))
    if not parts:
        return np.zeros(0, dtype=np.int64)
    return np.unique(np.concatenate(parts))


def likeness(extracted: Extracted) -> int | None:
    """A one-permutation MinHash of a document's exact and band keys (they are hashes
    already: their least is the permutation's pick), equal for two documents with the
    probability of their keys' Jaccard similarity; None for a document without them.
    Anchors are left out: stock phrases that unrelated documents share."""
    least: int | None = None
    for it in extracted.items:
        found = exact_key(it.key.text)
        if it.bands is not None and len(it.bands):
            found = min(found, int(it.bands.astype(np.uint64).view(np.int64).min()))
        least = found if least is None else min(least, found)
    return least
