"""The interpreter set for a long batch run (in the process that resolves it).

Python's cyclic garbage collector now and then walks every object alive; the corpus indexes grow to
millions of them, and those walks took a fifth of a big run: they are made rare (not stopped).  Its
young collections walk every object made since the last one, and a run makes a few per paragraph
that live on (a document's items until it is resolved, kept paragraphs for good) while making
hardly any garbage in cycles (95 objects in the whole big set): one every 50,000 allocations instead
of 700 took the collector's time in a whole big-set run from 0.37 to 0.13 s.  The threads that feed
the workers, read their results and (de)compress files keep the interpreter's switch interval
(5 ms): each wakes a few times per chunk, and waiting 50 ms for the resolving thread each time
starved them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: allocations (less deallocations) between two collections of the youngest generation in a run
YOUNG_COLLECTION_EVERY = 50_000


def tune_for_a_run() -> tuple[int, int, int]:
    """Set the collector for a run (see the module); the thresholds it had."""
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], YOUNG_COLLECTION_EVERY), threshold[1], max(threshold[2], 1000))
    return threshold


@contextmanager
def tuned_for_a_run() -> Iterator[None]:
    """``tune_for_a_run`` for the duration, and the collector put back as it was after."""
    threshold = tune_for_a_run()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
