"""A review gathered in a process of its own: :class:`ReviewApart` (``clean --review`` when the
run uses more than one process).

With workers, the main process resolves the corpus in order and is the critical path of the
run; gathering the review there (its totals, its store of texts, the collections of the oldest
generation its objects bring about) added 13-17 % to a whole big-set run, while the extraction
worker's core sat idle half the time.  Here the main process only hands over each article's
report line, as the report's JSON line, and its text, a batch at a time; a process of its own
reads each line back as ``dedup review`` reads a saved report, gathers the same
:class:`~dedup.review.build.Review` and writes the page when told.  No thread is started in the
main process (the extraction workers are forked after this process, and a fork copies no thread
but could copy a lock one held).

An error while gathering is kept and raised, as it was raised there, when the page is written;
a process that died is an error naming its exit code.  An interrupt is the main process's to
handle: it stops this one (``close``).
"""

from __future__ import annotations

import json
import os
import pickle
import signal
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from dedup.errors import DedupError, Terminated, raise_terminated
from dedup.files.jsonl import json_line
from dedup.pipes import EXIT_WAIT, widen
from dedup.review.sample import DEFAULT_LIMIT

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import Process

    from dedup.review.build import Review

#: articles handed over at a time (about 200 KB of text on the big set)
BATCH = 64

_ADD, _WRITE = "add", "write"


class ReviewApart:
    """:class:`~dedup.review.build.Review`'s ``add``, ``write`` and ``close``, the review gathered
    and written by a process of its own.  ``add`` also takes the line as the report writes it
    (``serialized``: ``files.json_line`` of it), so that a run with a report encodes it once."""

    def __init__(
        self,
        title: str = "dedup review",
        meta: Mapping[str, Any] | None = None,
        limit: int = DEFAULT_LIMIT,
        seed: int = 1,
    ) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        tasks_in, self._tasks = context.Pipe(duplex=False)
        # (a few batches fit: the main process need not wait for this one to be scheduled)
        widen(self._tasks)
        self._replies, replies_out = context.Pipe(duplex=False)
        self._process: Process = context.Process(  # type: ignore[attr-defined]
            target=_gather,
            args=(tasks_in, replies_out, title, dict(meta or {}), limit, seed),
            name="dedup-review",
            daemon=True,
        )
        self._process.start()
        # its ends are its own: a pipe whose reader died refuses writes, one whose writer died reads as closed
        tasks_in.close()
        replies_out.close()
        self._batch: list[tuple[bytes, str]] = []
        self._written = False

    def add(self, line: Mapping[str, Any], text: str, serialized: bytes | None = None) -> None:
        """One article: its report line and original text (in run order)."""
        self._batch.append((json_line(line) if serialized is None else serialized, text))
        if len(self._batch) >= BATCH:
            self._hand_over(_ADD, self._batch)
            self._batch = []

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write the page to ``path`` (atomically, as ``Review.write``), once every article is added;
        an error met while gathering is raised here."""
        if self._batch:
            self._hand_over(_ADD, self._batch)
            self._batch = []
        self._hand_over(_WRITE, os.fspath(path))
        try:
            reply = self._replies.recv_bytes()
        except (EOFError, OSError):
            raise self._died() from None
        ok, value = pickle.loads(reply)
        if not ok:
            raise value
        self._written = True

    def close(self) -> None:
        """Wait for the review's process to end once the page is written, else stop it: the run
        failed or was interrupted, and the extraction workers, forked after it, hold the main
        process's end of its pipe, so it would not read the end of its input."""
        for end in (self._tasks, self._replies):
            end.close()
        if self._written:
            self._process.join(EXIT_WAIT)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(EXIT_WAIT)

    def _hand_over(self, kind: str, payload: object) -> None:
        try:
            self._tasks.send_bytes(pickle.dumps((kind, payload), pickle.HIGHEST_PROTOCOL))
        except OSError:
            raise self._died() from None

    def _died(self) -> DedupError:
        self._process.join(EXIT_WAIT)
        return DedupError(f"the review's process died (exit code {self._process.exitcode}): no page written")


def _gather(
    tasks: Connection, replies: Connection, title: str, meta: dict[str, Any], limit: int, seed: int
) -> None:
    """The review's process: gather the articles handed over, write the page when told (stopped,
    it ends quietly, a page half-written discarded on the way out)."""
    from dedup.review.build import Review

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, raise_terminated)
    review = Review(title, meta, limit, seed)
    try:
        try:
            _serve(tasks, replies, review)
        finally:
            # (stopping: the main process's own request to stop, after a signal to the group, changes nothing)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            review.close()
    except Terminated:
        pass


def _serve(tasks: Connection, replies: Connection, review: Review) -> None:
    failed: BaseException | None = None
    while True:
        try:
            kind, payload = pickle.loads(tasks.recv_bytes())
        except EOFError:  # the run ended without a page
            return
        if kind == _WRITE:
            if failed is None:
                try:
                    review.write(payload)
                except Exception as err:
                    failed = err
            replies.send_bytes(_reply(failed))
            return
        if failed is None:
            # after an error the rest is read and dropped: the main process never waits on a full pipe
            try:
                for line, text in payload:
                    review.add(json.loads(line), text)
            except Exception as err:
                failed = err


def _reply(failed: BaseException | None) -> bytes:
    """The page written, or the error that stopped it (as its text where it cannot be sent)."""
    if failed is None:
        return pickle.dumps((True, None))
    try:
        reply = pickle.dumps((False, failed), pickle.HIGHEST_PROTOCOL)
        pickle.loads(reply)  # (an error whose __init__ takes other arguments than it keeps cannot be rebuilt)
        return reply
    except Exception:
        return pickle.dumps((False, DedupError(f"{type(failed).__name__}: {failed}")))


__all__ = ["BATCH", "ReviewApart"]
