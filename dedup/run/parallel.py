"""Extraction of a whole input, in order, by one process or several.

Worker processes (``workers.Workers``) extract chunks of ``CHUNK_SIZE`` documents for the process
that resolves them: a run's resolving process (``resolver``), or the pre-commit check's own process
(``extract_all``).  A chunk travels back packed into a few flat arrays (``pack``/``unpack``;
``packing`` packs them and makes the records again, compiled), because pickling thousands of small
records cost more than computing them, and a key and its features travel once: sent again, a key is
its number among those its worker sent (``Sent`` in the worker, ``Received`` where the chunk is
unpacked, which forgets them as the worker does).  In ``extract_all`` the process that asked
extracts the first chunk itself while the workers start, and, when they fall behind (a slow
tokeniser), the next chunk not handed out yet instead of waiting.  Results are taken in input order
whoever extracted them, so the output does not depend on the number of workers.
"""

from __future__ import annotations

import os
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from itertools import chain, islice

import numpy as np

from dedup.config import Config
from dedup.matching.features import Extracted, Extractor, Features
from dedup.matching.recent import CACHED_KEYS as CACHED_KEYS  # (read here by the resolving process)
from dedup.matching.recent import Recent
from dedup.records import Document
from dedup.run.packing import ItemRow, ParagraphRow, pack_chunk, unpack_items, unpack_paragraphs
from dedup.run.workers import Ticket, Workers
from dedup.text.layout import Layout
from dedup.text.words import tokenize

#: documents handed to a worker at a time (fewer, larger messages: less for
#: the threads that carry them to do)
CHUNK_SIZE = 128

#: documents numbered by their position in the input
Chunk = list[tuple[int, Document]]


class Sent(Recent[str, int]):
    """The keys a worker has sent with their features (the last ``CACHED_KEYS``),
    each with its number among all it sent: a key seen again travels as that
    number alone.  Most paragraphs of a scraped corpus are copies: their keys and
    arrays were most of what the workers sent, and looking a key up again by
    its text cost the resolving process a hash of that text."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.count = 0

    def add(self, key: str) -> None:
        self.remember(key, self.count)
        self.count += 1


class Received:
    """The unpacking process's side of one worker's ``Sent``: the keys that worker
    sent and their features, by number, forgotten as the worker forgets them
    (the same size, the same order), so a number it sends is always here."""

    def __init__(self, size: int) -> None:
        self._known: Recent[int, tuple[str, Features]] = Recent(size)
        self._count = 0

    def add(self, key: str, features: Features) -> None:
        self._known.remember(self._count, (key, features))
        self._count += 1

    def get(self, number: int) -> tuple[str, Features]:
        found = self._known.get(number)
        if found is None:
            raise RuntimeError(
                f"a worker sent key number {number}, which the resolving process no longer holds"
            )
        return found


_worker: Extractor | None = None
_sent: Sent | None = None


def start_worker(config: Config, parent: int) -> None:
    """A worker's start: its extractor, and the keys it sent (none yet)."""
    global _worker, _sent
    # Interruptions are the main process's to handle (it stops the pool): a
    # worker ignores Ctrl-C, sent to the whole process group, and dies on SIGTERM.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent)
    _worker = Extractor(config)
    _sent = Sent(CACHED_KEYS)
    tokenize("预热", config.segmenter)  # load the dictionary once, before the first chunk


def die_with_parent(parent: int) -> None:
    """On Linux, a worker gets SIGTERM when the main process dies (even by SIGKILL),
    rather than living on to fail, with a traceback, on a pipe nobody reads."""
    if sys.platform.startswith("linux"):
        import ctypes

        with suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before the request was made
            os._exit(0)


_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True, slots=True)
class Packed:
    """A chunk of extracted documents as a few flat arrays and tuples: pickling
    thousands of small records and arrays costs more than extracting them.
    The process unpacking it is sent the documents' text with it, so it is not
    sent back, and the features of a key sent before are not sent again (``Sent``)."""

    paragraphs: list[ParagraphRow]
    #: (a key sent before travels as its number in ``Sent``)
    items: list[ItemRow]
    locals: list[dict[int, list[int]]]
    layouts: list[Layout]
    hashes: np.ndarray
    spans: np.ndarray
    distinct: np.ndarray
    bands: np.ndarray


def pack(chunk: list[Extracted], sent: Sent) -> Packed:
    """A worker's chunk as flat records and arrays (the features of keys in
    ``sent`` left out, as the unpacking process has them; ``packing``)."""
    paragraphs, items, (hashes, spans, distinct, bands) = pack_chunk(chunk, sent.get, sent.add)
    return Packed(
        paragraphs,
        items,
        [extracted.local for extracted in chunk],
        [extracted.layout for extracted in chunk],
        hashes,
        spans,
        distinct,
        bands,
    )


def unpack(packed: Packed, chunk: Chunk, received: Received) -> list[Extracted]:
    """A packed chunk back as records, given its documents (``packing``)."""
    paragraphs = unpack_paragraphs(packed.paragraphs, chunk)
    arrays = (packed.hashes, packed.spans, packed.distinct, packed.bands)
    items = unpack_items(packed.items, arrays, chunk, paragraphs, received.get, received.add)
    return [
        Extracted(
            index,
            document,
            packed.layouts[position],
            paragraphs[position],
            items[position],
            packed.locals[position],
        )
        for position, (index, document) in enumerate(chunk)
    ]


def extract_chunk(chunk: Chunk) -> Packed:
    """A worker's job: extract a chunk and pack it."""
    assert _worker is not None and _sent is not None
    return pack(_worker.many(chunk), _sent)


def chunks_of(documents: Iterable[Document], size: int) -> Iterator[Chunk]:
    numbered = enumerate(documents)
    while chunk := list(islice(numbered, size)):
        yield chunk


def extract_all(
    documents: Iterable[Document], config: Config, workers: int = 1, sign: bool = True
) -> Iterator[Extracted]:
    """Features of every document, in input order, computed by ``workers`` processes
    (``sign``: see ``Extractor``)."""
    chunks = chunks_of(documents, CHUNK_SIZE)
    first = next(chunks, [])
    second = next(chunks, None) if workers > 1 else None
    if second is None or not sign:
        # one process: no pool to start, nothing to pickle (a single document is one chunk)
        extractor = Extractor(config, sign=sign)
        for chunk in chain([first], chunks):
            yield from extractor.many(chunk)
    else:
        # (chunks are never empty: an empty one means the input is exhausted)
        yield from _extract_in_pool(chain([first, second], chunks), config, workers)


def _extract_in_pool(pending: Iterator[Chunk], config: Config, workers: int) -> Iterator[Extracted]:
    import multiprocessing  # only with a pool: a one-process run does without (~15 ms)

    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    # This process uses the documents while the others extract: N workers
    # means N processes busy in all, so N - 1 of them extract.
    with Workers(context, workers - 1, extract_chunk, start_worker, (config, os.getpid())) as pool:
        yield from _Feed(pending, config, workers, pool).extracted()


class _Feed:
    """Chunks handed to the workers and taken back in input order (the output does
    not depend on which process extracted what), only a few in flight, so the
    input is read as fast as it is consumed, never all at once."""

    def __init__(
        self, pending: Iterator[Chunk], config: Config, workers: int, pool: Workers[Chunk, Packed]
    ) -> None:
        self.pending = pending
        self.pool = pool
        self.in_flight: deque[tuple[Chunk, Ticket | list[Extracted]]] = deque()
        #: what each worker sent (by ``Ticket.worker``)
        self.received: dict[object, Received] = {}
        self.own = Extractor(config)
        self.exhausted = False
        self.limit = 2 * workers + 2

    def _next(self) -> Chunk:
        chunk = next(self.pending, []) if not self.exhausted else []
        self.exhausted = not chunk
        return chunk

    def extracted(self) -> Iterator[Extracted]:
        # The first chunk is needed first, and the workers are still starting:
        # this process extracts it while they take the next ones.
        first = self._next()
        self._hand_out()
        yield from self.own.many(first)
        while True:
            self._hand_out()
            if self.exhausted:
                self.pool.finish()  # every chunk handed out: each worker exits after its last
            if not self.in_flight:
                return
            chunk, job = self.in_flight[0]
            if (
                isinstance(job, Ticket)
                and not job.ready()
                and not self.exhausted
                and len(self.in_flight) < 2 * self.limit
            ):
                # The workers are behind (a slow tokeniser, or resolving is
                # cheap here): rather than wait, this process extracts the next
                # chunk not handed out yet itself.
                if chunk := self._next():
                    self.in_flight.append((chunk, self.own.many(chunk)))
                continue
            self.in_flight.popleft()
            yield from job if isinstance(job, list) else unpack(job.get(), chunk, self._received(job))

    def _received(self, ticket: Ticket) -> Received:
        found = self.received.get(ticket.worker)
        if found is None:
            found = self.received[ticket.worker] = Received(CACHED_KEYS)
        return found

    def _hand_out(self) -> None:
        while len(self.in_flight) < self.limit and (chunk := self._next()):
            self.in_flight.append((chunk, self.pool.give(chunk)))
