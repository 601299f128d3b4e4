"""A run over a corpus: documents in, one ``Result`` each, in input order.

Two passes, overlapped: extraction (``parallel``: each document alone, in worker
processes when there are several) and resolution (``corpus``: in input order,
in this process, each document against the paragraphs kept before it, by
``document.clean_document``).  Because extraction depends on the document
alone and resolution runs in order, the output is the same whatever the number
of workers.
"""

from __future__ import annotations

import dataclasses
import gc
import os
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from dedup.config import Config
from dedup.records import Document, Result
from dedup.run.corpus import Corpus
from dedup.run.parallel import extract_all
from dedup.text.layout import ends_lines_with_cr


def default_workers() -> int:
    """The processes this machine lets the run use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


#: allocations (less deallocations) between two collections of the youngest generation in a run
YOUNG_COLLECTION_EVERY = 50_000


@contextmanager
def _tuned_for_a_run() -> Iterator[None]:
    """The interpreter set for a long batch run, and put back as it was after.

    Python's cyclic garbage collector now and then walks every object alive;
    the corpus indexes grow to millions of them, and those walks took a fifth
    of a big run: they are made rare (not stopped).  Its young collections walk
    every object made since the last one, and a run makes a few per paragraph
    that live on (a document's items until it is resolved, kept paragraphs for
    good) while making hardly any garbage in cycles (95 objects in the whole
    big set): one every 50,000 allocations instead of 700 took the collector's
    time in a whole big-set run from 0.37 to 0.13 s.  The threads of this
    process that feed the workers, read their results and (de)compress files
    keep the interpreter's switch interval (5 ms): each wakes a few times per
    chunk, and waiting 50 ms for the resolving thread each time starved them.
    """
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], YOUNG_COLLECTION_EVERY), threshold[1], max(threshold[2], 1000))
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def run(
    documents: Iterable[Document],
    config: Config | None = None,
    workers: int = 1,
    offsets: bool = True,
    single: bool = False,
) -> Iterator[Result]:
    """Clean documents in order, each against itself and the documents before it
    (``offsets``: see ``dedup.clean``; ``single``: there is one document, so what it
    keeps need not be indexed for the documents after it)."""
    config = config or Config()
    # the corpus's spilled part (past the memory budget) is deleted when the run ends or is dropped
    with Corpus(config, offsets, single=single) as corpus, _tuned_for_a_run():
        read_with_lf: deque[str | None] = deque()
        for extracted in extract_all(_with_lf(documents, read_with_lf), config, workers, sign=not single):
            yield _with_cr(corpus.clean(extracted), read_with_lf.popleft())


def _with_lf(documents: Iterable[Document], originals: deque[str | None]) -> Iterator[Document]:
    """Each document, a text whose lines end in lone CRs read with LFs in their place;
    ``originals`` gets its own text (None for any other document), in order."""
    for document in documents:
        if ends_lines_with_cr(document.text):
            originals.append(document.text)
            yield dataclasses.replace(document, text=document.text.replace("\r", "\n"))
        else:
            originals.append(None)
            yield document


def _with_cr(result: Result, original: str | None) -> Result:
    """The result of a document read with LFs for its CRs, given its CRs back."""
    if original is None:
        return result
    return dataclasses.replace(result, text=original, cleaned=result.cleaned.replace("\n", "\r"))


__all__ = ["default_workers", "run"]
