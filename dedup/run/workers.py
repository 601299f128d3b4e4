"""A few worker processes, each fed tasks through a pipe of its own, results in order.

``multiprocessing.Pool`` cost the main process (the one that resolves the corpus,
the critical path of a run) more than it should: its worker-handler thread woke
whenever results were waiting in its pipe (11,000 wake-ups, 0.17-0.20 CPU s, in a
5,000-article run; its three threads 0.35-0.45 s in all), and its result thread
read a chunk's megabyte 64 KB at a time, taking the interpreter back after each
read while the worker, its pipe full, waited.  Here each worker has its own two
pipes, widened to hold a whole chunk where the system allows; in the main process
one thread per worker writes its tasks and one reads its results, each woken only
by its own pipe, and the main thread unpickles a result when it takes it.  A
worker that dies is an error, not a wait forever.
"""

from __future__ import annotations

import os
import pickle
import queue
import struct
import threading
from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from dedup.pipes import EXIT_WAIT, PIPE_BYTES, widen

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import BaseContext, Process

_T = TypeVar("_T")
_R = TypeVar("_R")


#: what the reading thread queues when the worker's pipe closes
_GONE = b""


class _Worker(Generic[_T]):
    """One worker process, the thread that writes its tasks and the one that reads its results."""

    def __init__(self, process: Process, tasks: Connection, results: Connection, number: int) -> None:
        self.process = process
        #: its place among the workers of its pool
        self.number = number
        self._tasks = tasks
        self._results = results
        self._outbox: queue.SimpleQueue[_T | Pickled | None] = queue.SimpleQueue()
        self._inbox: queue.SimpleQueue[bytes] = queue.SimpleQueue()
        #: tasks given and results taken so far
        self.given = self.taken = 0
        #: results read from the pipe so far (by the reading thread)
        self.arrived = 0
        for target in (self._write, self._read):
            threading.Thread(target=target, name=f"dedup-{target.__name__[1:]}", daemon=True).start()

    def _write(self) -> None:
        while (task := self._outbox.get()) is not None:
            try:
                data = task.data if isinstance(task, Pickled) else pickle.dumps(task, pickle.HIGHEST_PROTOCOL)
                _send(self._tasks, data)
            except OSError:  # the worker is gone: its reading thread says so
                return
        with suppress(OSError):
            self._tasks.send_bytes(_GONE)  # nothing more to do

    def _read(self) -> None:
        while True:
            try:
                data = self._results.recv_bytes()
            except (EOFError, OSError):
                self._inbox.put(_GONE)
                return
            self._inbox.put(data)
            self.arrived += 1

    def give(self, task: _T | Pickled) -> int:
        """Queue a task (or one pickled already); its number among this worker's tasks."""
        self._outbox.put(task)
        self.given += 1
        return self.given - 1

    def take(self) -> Any:
        """The result of the oldest task not taken yet (waiting for it)."""
        return unpickled(self.take_pickled())

    def take_pickled(self) -> bytes:
        """``take``'s result as the worker sent it, not unpickled (an error it sent is raised
        where it is unpickled, ``unpickled``): for a result handed on to another process."""
        data = self._inbox.get()
        if data is _GONE or not data:
            self.process.join(EXIT_WAIT)
            raise RuntimeError(f"a worker process died (exit code {self.process.exitcode})")
        self.taken += 1
        return data

    def finish(self) -> None:
        self._outbox.put(None)


class Pickled:
    """A task pickled already (the same bytes for two pools: pickled once)."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data


class Ticket:
    """A task given to a worker: ``ready`` once its result has arrived."""

    __slots__ = ("number", "worker")

    def __init__(self, worker: _Worker[Any], number: int) -> None:
        self.worker = worker
        self.number = number

    def ready(self) -> bool:
        return self.worker.arrived > self.number

    def get(self) -> Any:
        """The task's result; tickets of one worker are taken in the order they were given."""
        assert self.worker.taken == self.number, "results of a worker are taken in order"
        return self.worker.take()

    def get_pickled(self) -> bytes:
        """``get``, as the worker sent it (``_Worker.take_pickled``)."""
        assert self.worker.taken == self.number, "results of a worker are taken in order"
        return self.worker.take_pickled()


class Workers(Generic[_T, _R]):
    """``count`` processes running ``job`` on the tasks given them (after ``start(*args)``
    in each); a task goes to the worker with the fewest tasks outstanding.  Used as a
    context manager: on leaving, workers are told to finish (or, on an error, stopped)."""

    def __init__(
        self,
        context: BaseContext,
        count: int,
        job: Callable[[_T], _R],
        start: Callable[..., None],
        args: tuple[Any, ...],
    ) -> None:
        self._workers: list[_Worker[_T]] = []
        self._finished = False
        launched: list[tuple[Process, Connection, Connection]] = []
        try:
            for _ in range(count):
                launched.append(_launch(context, job, start, args))
        except BaseException:
            for process, _, _ in launched:
                process.terminate()
            raise
        # the threads start once every process is forked (a fork copies no thread, but
        # could copy a lock one of them held)
        self._workers = [_Worker(*ends, number) for number, ends in enumerate(launched)]

    def give(self, task: _T | Pickled) -> Ticket:
        if self._finished:
            raise RuntimeError("a task given to workers told there is nothing more to do")
        worker = min(self._workers, key=lambda w: w.given - w.taken)
        return Ticket(worker, worker.give(task))

    def stop(self) -> None:
        """Stop every worker now (SIGTERM)."""
        for worker in self._workers:
            if worker.process.is_alive():
                worker.process.terminate()
        for worker in self._workers:
            worker.process.join(EXIT_WAIT)

    def finish(self) -> None:
        """Tell the workers there is nothing more to do: each exits once its tasks are done and
        their results sent (once told, more tasks are an error)."""
        if not self._finished:
            self._finished = True
            for worker in self._workers:
                worker.finish()

    def close(self) -> None:
        """``finish``, and wait for the workers (stopping stragglers)."""
        self.finish()
        for worker in self._workers:
            worker.process.join(EXIT_WAIT)
        self.stop()

    def __enter__(self) -> Workers[_T, _R]:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            self.close()
        else:
            self.stop()


def _launch(
    context: BaseContext, job: Callable[[_T], _R], start: Callable[..., None], args: tuple[Any, ...]
) -> tuple[Process, Connection, Connection]:
    task_reader, task_writer = context.Pipe(duplex=False)
    result_reader, result_writer = context.Pipe(duplex=False)
    for end in (task_writer, result_writer):
        widen(end)
    process = context.Process(  # type: ignore[attr-defined]
        target=_serve, args=(task_reader, result_writer, job, start, args), name="dedup-worker", daemon=True
    )
    process.start()
    # the worker's ends are its own: a pipe whose writer dies reads as closed
    task_reader.close()
    result_writer.close()
    return process, task_writer, result_reader


def _send(connection: Connection, data: bytes) -> None:
    """``connection.send_bytes(data)`` in one write where it fits the pipe: the
    length and the bytes together, so that this thread need not wait for the
    interpreter between the two while the worker waits for the rest."""
    if len(data) >= _LONG or os.name != "posix":  # (elsewhere a pipe is no file descriptor)
        connection.send_bytes(data)
        return
    view = memoryview(_LENGTH.pack(len(data)) + data)
    while view:
        view = view[os.write(connection.fileno(), view) :]


#: how ``Connection.send_bytes`` frames a message shorter than ``_LONG`` bytes
_LENGTH = struct.Struct("!i")
_LONG = 0x7FFFFFFF


def _serve(
    tasks: Connection,
    results: Connection,
    job: Callable[[Any], Any],
    start: Callable[..., None],
    args: tuple[Any, ...],
) -> None:
    """A worker's life: ``start``, then ``job`` on each task until told to stop."""
    start(*args)
    while data := _next(tasks):
        try:
            reply = pickle.dumps((True, job(pickle.loads(data))), pickle.HIGHEST_PROTOCOL)
        except Exception as err:  # sent back, raised in the main process
            reply = failure(err)
        results.send_bytes(reply)


def unpickled(data: bytes) -> Any:
    """A result as a worker sent it (``_Worker.take_pickled``), unpickled: its value, or the error
    it failed with, raised."""
    ok, value = pickle.loads(data)
    if not ok:
        raise value
    return value


def _next(tasks: Connection) -> bytes:
    try:
        return tasks.recv_bytes()
    except EOFError:
        return _GONE


def failure(err: Exception) -> bytes:
    """An error as a worker sends it back (raised where its result is unpickled, ``unpickled``)."""
    try:
        return pickle.dumps((False, err), pickle.HIGHEST_PROTOCOL)
    except Exception:  # an error that cannot be pickled is sent as its text
        return pickle.dumps((False, RuntimeError(f"{type(err).__name__}: {err}")), pickle.HIGHEST_PROTOCOL)


__all__ = ["PIPE_BYTES", "Pickled", "Ticket", "Workers", "failure", "unpickled"]
