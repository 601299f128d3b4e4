"""A whole run, document by document in input order: in this process, or resolved in a process of
its own while others extract and this one reads and writes.

Resolution is sequential (each document against what the documents before it keep), so the process
that resolves is a run's critical path.  With ``workers`` N > 1 and more than one chunk of input,
N - 1 worker processes extract (``parallel``) and one more resolves: the main process reads the
input, hands each chunk of ``parallel.CHUNK_SIZE`` documents to a worker, hands what the worker sent
back, as it came (a pickle, never read here), to the resolving process with the chunk's documents,
and takes back the chunk's results, packed into rows of plain values (``packing.pack_results``),
to write them.  When the main process resolved, reading, parsing and writing the output took about a
fifth of its time; they now run beside resolution.

The resolving process holds the corpus (``Corpus``) and, for each process that extracts, the keys it
sent (``parallel.Received``).  Results come back in input order whoever extracted what, so the
output does not depend on N.  When the workers fall behind (once past their start) and the
resolving process has at most the chunk it is on, the main process extracts the next chunk itself.
The corpus's spilled part (past the memory budget) lives in a directory the main process makes and
deletes, whatever becomes of the resolving process.
"""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain

from dedup.config import Config
from dedup.matching.features import Extractor
from dedup.records import Document, Key, Result
from dedup.run import parallel
from dedup.run.corpus import Corpus
from dedup.run.document import made_by
from dedup.run.packing import ResultRow, pack_results, unpack_results
from dedup.run.tuning import tune_for_a_run
from dedup.run.workers import Pickled, Ticket, Workers, failure, unpickled
from dedup.text.normalize import pauses
from dedup.text.words import tokenize

#: what the main process sends the resolving process for a chunk: its documents (pickled once, for
#: the worker that extracts them too), the chunk packed by the process that extracted it (pickled as
#: sent), and that process's number (``HERE``: this one)
_Task = tuple[bytes, bytes, int]

#: the number of the main process among those that extract
HERE = -1


def resolve_all(
    documents: Iterable[Document],
    config: Config,
    workers: int = 1,
    offsets: bool = True,
    single: bool = False,
) -> Iterator[Result]:
    """Every document's result, in input order (``offsets``: see ``Corpus``; ``single``: there is one
    document, so what it keeps is not indexed)."""
    chunks = parallel.chunks_of(documents, parallel.CHUNK_SIZE)
    first = next(chunks, [])
    second = next(chunks, None) if workers > 1 and not single else None
    if second is None:
        # one process: no pool to start, nothing to pickle (a single document is one chunk)
        yield from _resolve_here(chain([first], chunks), config, offsets, single)
    else:
        yield from _resolve_in_processes(chain([first, second], chunks), config, workers, offsets)


def _resolve_here(
    chunks: Iterable[parallel.Chunk], config: Config, offsets: bool, single: bool
) -> Iterator[Result]:
    extractor = Extractor(config, sign=not single)
    with Corpus(config, offsets, single=single) as corpus:
        for chunk in chunks:
            for extracted in extractor.many(chunk):
                yield corpus.clean(extracted)


def _resolve_in_processes(
    chunks: Iterator[parallel.Chunk], config: Config, workers: int, offsets: bool
) -> Iterator[Result]:
    import multiprocessing  # only with a pool: a one-process run does without (~15 ms)

    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    parent = os.getpid()
    spill_dir = tempfile.mkdtemp(prefix="dedup-run-")
    try:
        # N processes busy: one resolves, N - 1 extract (this one only reads and writes, mostly)
        with (
            Workers(
                context, 1, resolve_chunk, start_resolver, (config, offsets, parent, spill_dir)
            ) as resolver,
            Workers(
                context, workers - 1, parallel.extract_chunk, parallel.start_worker, (config, parent)
            ) as extractors,
        ):
            yield from _Pipeline(chunks, config, extractors, resolver, workers - 1).results()
    finally:
        shutil.rmtree(spill_dir, ignore_errors=True)


class _Pipeline:
    """Chunks handed to the workers, what they send handed on to the resolving process, and its
    results taken back, all in input order; only a few chunks in flight at each step, so the input
    is read as fast as it is resolved, never all at once."""

    def __init__(
        self,
        pending: Iterator[parallel.Chunk],
        config: Config,
        extractors: Workers[parallel.Chunk, parallel.Packed],
        resolver: Workers[_Task, list[ResultRow]],
        extracting_processes: int,
    ) -> None:
        self.pending = pending
        self.config = config
        self.extractors = extractors
        self.resolver = resolver
        #: chunks being extracted (pickled): each with its worker's ticket, or packed here already
        self.extracting: deque[tuple[parallel.Chunk, bytes, Ticket | bytes]] = deque()
        self.resolving: deque[tuple[parallel.Chunk, Ticket]] = deque()
        self.limit = 2 * extracting_processes + 2
        self.exhausted = False
        #: chunks handed on to the resolving process so far
        self.forwarded = 0
        #: this process's extractor and the keys it sent, made if it ever extracts
        self.own: tuple[Extractor, parallel.Sent] | None = None

    def results(self) -> Iterator[Result]:
        extracting, resolving = self.extracting, self.resolving
        while True:
            self._hand_out()
            if self.exhausted and not extracting:
                # every chunk is extracted and handed on: the processes exit as soon as they are
                # done (the resolving process right after its last results), tearing down their
                # memory while this one writes those results (a few tens of milliseconds)
                self.extractors.finish()
                self.resolver.finish()
            if not extracting and not resolving:
                return
            if resolving and (not extracting or resolving[0][1].ready() or len(resolving) >= self.limit):
                chunk, ticket = resolving.popleft()
                yield from unpack_results(ticket.get(), [document for _, document in chunk])
                continue
            chunk, documents, job = extracting[0]
            if isinstance(job, Ticket) and not job.ready() and len(resolving) <= 1 and self._started():
                # The resolving process is about to wait for the workers (a slow tokeniser): rather
                # than wait too, this process extracts the next chunk not handed out yet itself.
                if len(extracting) < 2 * self.limit and (ahead := self._next()):
                    extracting.append((ahead, _pickled(ahead), self._extract_here(ahead)))
                    continue
            extracting.popleft()
            if isinstance(job, Ticket):
                task: _Task = (documents, job.get_pickled(), job.worker.number)
            else:
                task = (documents, job, HERE)
            resolving.append((chunk, self.resolver.give(task)))
            self.forwarded += 1

    def _started(self) -> bool:
        """Whether the workers are past their start (the first chunks handed to each came back),
        with input left: before that, a wait is their start, and a chunk extracted here would
        cost this process its own start (its tokeniser's first call, 0.08-0.15 CPU s) for a
        chunk the resolving process does not need yet."""
        return self.forwarded >= self.limit and not self.exhausted

    def _next(self) -> parallel.Chunk:
        chunk = next(self.pending, []) if not self.exhausted else []
        self.exhausted = not chunk
        return chunk

    def _hand_out(self) -> None:
        while len(self.extracting) < self.limit and (chunk := self._next()):
            documents = _pickled(chunk)
            self.extracting.append((chunk, documents, self.extractors.give(Pickled(documents))))

    def _extract_here(self, chunk: parallel.Chunk) -> bytes:
        """A chunk extracted and packed here, pickled as a worker sends it (an error too: raised
        at its turn, after the results of the chunks before it)."""
        if self.own is None:
            self.own = (Extractor(self.config), parallel.Sent(parallel.CACHED_KEYS))
        extractor, sent = self.own
        try:
            packed = parallel.pack(extractor.many(chunk), sent)
        except Exception as err:
            return failure(err)
        return pickle.dumps((True, packed), pickle.HIGHEST_PROTOCOL)


def _pickled(chunk: parallel.Chunk) -> bytes:
    return pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL)


# ------------------------------------------------------------------ the resolving process

_corpus: Corpus | None = None
#: the keys each process that extracts sent (by its number, ``HERE`` for the main process)
_received: dict[int, parallel.Received] = {}


def start_resolver(config: Config, offsets: bool, parent: int, spill_dir: str) -> None:
    """The resolving process's start: the corpus (spilling into ``spill_dir``), the interpreter
    set for a run."""
    global _corpus
    # Interruptions are the main process's to handle (it stops the pool), as in a worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parallel.die_with_parent(parent)
    tune_for_a_run()
    _corpus = Corpus(config, offsets, spill_dir=spill_dir)
    _received.clear()
    _load_ahead(_corpus, config)


def _load_ahead(corpus: Corpus, config: Config) -> None:
    """Load now what resolving the first chunk would load first, while this process waits for that
    chunk (a worker's start and its first chunk: 60-90 ms), rather than after it came, on the run's
    critical path: the fact guard's tagger (its tables, its compiled Viterbi and route), the
    segmenter and the extractor that sign the paragraphs joins make, the pattern of the characters
    folding drops (where a key pauses), and the stamp every result carries.  About 0.04 CPU s; the
    first chunk's resolution took 0.08 s without any of it, 0.058 with the tagger, segmenter and
    stamp, 0.044 with all (the chunks after it about 0.04)."""
    # (imported here: the main process, which never tags, need not import the tagger first)
    from dedup.matching.tagger import compiled_hmm, compiled_route

    compiled_hmm()
    compiled_route()
    tokenize("预热", config.segmenter)
    pauses(Key("预热", "预热。", 0))
    corpus.load_ahead()
    made_by(config)


def resolve_chunk(task: _Task) -> list[ResultRow]:
    """The resolving process's job: a chunk's documents resolved, in order, as result rows.  An
    error the extracting process sent is raised here, and so sent on to the main process."""
    assert _corpus is not None
    documents, extracted, number = task
    chunk: parallel.Chunk = pickle.loads(documents)
    packed: parallel.Packed = unpickled(extracted)
    received = _received.get(number)
    if received is None:
        received = _received[number] = parallel.Received(parallel.CACHED_KEYS)
    return pack_results([_corpus.clean(it) for it in parallel.unpack(packed, chunk, received)])
