"""A run over a corpus: documents in, one ``Result`` each, in input order.

Two passes, overlapped: extraction (``parallel``: each document alone, in worker
processes when there are several) and resolution (``corpus``: in input order,
each document against the paragraphs kept before it, by
``document.clean_document``; in a process of its own when there are several,
``resolver``).  Because extraction depends on the document alone and resolution
runs in order, the output is the same whatever the number of workers.
"""

from __future__ import annotations

import dataclasses
import os
from collections import deque
from collections.abc import Iterable, Iterator

from dedup.config import Config
from dedup.records import Document, Result
from dedup.run.resolver import resolve_all
from dedup.run.tuning import tuned_for_a_run
from dedup.text.layout import ends_lines_with_cr


def default_workers() -> int:
    """The processes this machine lets the run use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


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
    # the corpus, and its spilled part past the memory budget, last as long as the run
    with tuned_for_a_run():
        read_with_lf: deque[str | None] = deque()
        for result in resolve_all(_with_lf(documents, read_with_lf), config, workers, offsets, single):
            yield _with_cr(result, read_with_lf.popleft())


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
