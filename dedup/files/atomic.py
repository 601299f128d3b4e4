"""Files that appear complete or not at all.

Every file dedup writes goes to a temporary file in the target's directory,
``.NAME.XXXXXXXX.tmp``, that replaces the target only once it is complete, so an
interrupted run never leaves a half-written output (and rewriting inputs in
place never loses one).  The writers of every format
(:class:`~dedup.files.jsonl.JsonlWriter`, :class:`~dedup.files.parquet.ParquetWriter`)
are built on :class:`AtomicFile` and share its commit-or-discard protocol,
:class:`CommitOrDiscard`.

Leftovers: an error or an interruption that unwinds the stack discards the
temporary file on the way out, and :func:`discard_pending` removes any the
process still has (the command line calls it on SIGINT and SIGTERM).  A process
killed outright (SIGKILL, a power cut) cannot clean up: the next
:class:`AtomicFile` for the same target removes the temporary files of that
target left in its directory (a directory is listed once per process).
"""

from __future__ import annotations

import os
import queue
import re
import sys
import tempfile
import threading
from contextlib import suppress
from functools import cache
from types import TracebackType
from typing import IO, Self

from dedup.errors import DedupError
from dedup.files.compression import open_write
from dedup.files.reasons import reason


@cache
def _new_file_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


class CommitOrDiscard:
    """A context manager that commits an output on success and discards it on
    error, so a failure never leaves half a file."""

    def commit(self) -> None:
        raise NotImplementedError

    def discard(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


#: writes gathered into one block (one compressor call) before it goes to the file or the
#: compressing thread: large enough that a line per article costs no call of its own, small enough
#: that what is left to compress when the output is committed, after the last article, is short
#: (a megabyte of JSON lines took 13 ms to compress there; 256 KB takes 4)
_WRITE_BUFFER = 1 << 18

#: the temporary files this process has open, to discard on an interruption
_pending: set[str] = set()
#: the (directory, name) of a target whose temporary file is being created
_creating: list[tuple[str, str]] = []
#: a temporary file of ``tempfile.mkstemp``: ``.NAME.`` eight characters ``.tmp``
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp")
#: per directory listed, the leftover temporary files not yet removed, by target name
_leftovers: dict[str, dict[str, list[str]]] = {}
_LISTED_DIRECTORIES = 100_000


def discard_pending() -> None:
    """Remove every temporary file this process is still writing (their targets stay as they were)."""
    for temp in list(_pending):
        with suppress(OSError):
            os.unlink(temp)
        _pending.discard(temp)
    for directory, name in _creating:
        _leftovers.pop(directory, None)
        sweep_leftovers(directory, name)
    _creating.clear()


def sweep_leftovers(directory: str, name: str) -> list[str]:
    """Remove the temporary files of target ``name`` that a killed run left in
    ``directory``; returns their paths.  The directory is listed on its first
    sweep in this process only."""
    found = _leftovers.get(directory)
    if found is None:
        if len(_leftovers) >= _LISTED_DIRECTORIES:
            _leftovers.clear()
        found = {}
        with suppress(OSError), os.scandir(directory) as entries:
            for entry in entries:
                match = _TEMPORARY.fullmatch(entry.name)
                if match is not None and entry.is_file(follow_symlinks=False):
                    found.setdefault(match["name"], []).append(entry.name)
        _leftovers[directory] = found
    removed = []
    for temp in found.pop(name, ()):
        path = os.path.join(directory, temp)
        with suppress(FileNotFoundError):
            os.unlink(path)
            removed.append(path)
    return removed


class AtomicFile(CommitOrDiscard):
    """A binary file that replaces ``path`` only when committed.

    Bytes go to a temporary file next to the target (compressed when the
    target ends in ``.gz``, ``.zst``, ``.bz2`` or ``.xz``); :meth:`commit` flushes it to disk and renames it
    over the target, keeping an existing target's permissions; :meth:`discard`
    removes it and leaves the target as it was.  As a context manager it commits
    when the block succeeds and discards when it raises.  A symbolic link is
    followed: the file it points to is replaced, the link stays.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._target = os.path.realpath(self.path) if os.path.islink(self.path) else self.path
        directory = os.path.dirname(self._target) or "."
        name = os.path.basename(self._target)
        try:
            os.makedirs(directory, exist_ok=True)
            sweep_leftovers(directory, name)
            # an interruption inside mkstemp would leave a file nobody knows the name
            # of: until it is registered, discard_pending looks for it by its target
            _creating.append((directory, name))
            fd, self._temp = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
            _pending.add(self._temp)
            _creating.pop()
        except OSError as err:
            _creating.clear()
            raise DedupError(f"{self.path}: cannot write: {reason(err)}") from None
        self._raw: IO[bytes] = os.fdopen(fd, "wb")
        # compressed as the target's suffix asks (.gz, .zst, .bz2, .xz)
        self.file: IO[bytes] = open_write(self._raw, name)
        self._done = False
        # many small writes (a line per article) are gathered: one compressor
        # call per block (``_WRITE_BUFFER``), not per line
        self._pending: list[bytes] = []
        self._pending_size = 0
        #: compresses the megabytes of a long output beside the caller (see ``_Compressing``)
        self._behind: _Compressing | None = None

    def write(self, data: bytes) -> None:
        self._pending.append(data)
        self._pending_size += len(data)
        if self._pending_size >= _WRITE_BUFFER:
            self._flush_pending(full=True)

    def _flush_pending(self, full: bool = False) -> None:
        data = b"".join(self._pending)
        self._pending.clear()
        self._pending_size = 0
        try:
            if self._behind is None and full and self.file is not self._raw:
                self._behind = _Compressing(self.file)
            if self._behind is not None:
                self._behind.write(data)
            else:
                self.file.write(data)
        except OSError as err:
            self.discard()
            raise DedupError(f"{self.path}: cannot write: {reason(err)}") from None

    def _caught_up(self) -> None:
        """Wait for the compressing thread to write all it was given (raising what it met)."""
        if self._behind is not None:
            behind, self._behind = self._behind, None
            behind.finish()

    def commit(self) -> None:
        if self._done:
            return
        try:
            self._flush_pending()
            self._caught_up()
            if self.file is not self._raw:
                self.file.close()
            self._raw.flush()
            os.fsync(self._raw.fileno())
            self._raw.close()
            try:
                mode = os.stat(self._target).st_mode & 0o7777
            except FileNotFoundError:
                mode = _new_file_mode()
            os.chmod(self._temp, mode)
            os.replace(self._temp, self._target)
        except OSError as err:
            self.discard()
            raise DedupError(f"{self.path}: cannot write: {reason(err)}") from None
        except BaseException:
            # interrupted half way: the target stays as it was
            self.discard()
            raise
        self._done = True
        _pending.discard(self._temp)

    def discard(self) -> None:
        if self._done:
            return
        self._done = True
        self._cleanup()

    def _cleanup(self) -> None:
        if self._behind is not None:
            self._behind.cancel()
            self._behind = None
        for handle in (self.file, self._raw):
            with suppress(OSError, ValueError):
                handle.close()
        with suppress(FileNotFoundError):
            os.unlink(self._temp)
        _pending.discard(self._temp)


class _Compressing:
    """A compressed stream written by a thread of its own.  zlib, Zstandard, bz2
    and lzma let go of the interpreter while they compress, so a long compressed
    output (``clean -o out.jsonl.gz``: a fifth of a CPU second per 5,000 articles)
    is compressed on another core while the caller goes on.  At most
    ``_BLOCKS_BEHIND`` blocks wait; an error is raised to the caller at its next
    write or at ``finish``."""

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file
        self._blocks: queue.Queue[bytes | None] = queue.Queue(_BLOCKS_BEHIND)
        self._error: BaseException | None = None
        self._cancelled = False
        self._thread = threading.Thread(target=self._run, name="dedup-compress", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (data := self._blocks.get()) is not None:
            if self._error is None and not self._cancelled:
                try:
                    self._file.write(data)
                except BaseException as err:  # raised in the caller's thread
                    self._error = err

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def write(self, data: bytes) -> None:
        self._raise()
        self._blocks.put(data)

    def finish(self) -> None:
        self._blocks.put(None)
        self._thread.join()
        self._raise()

    def cancel(self) -> None:
        """Drop what is still waiting and stop the thread (the file is being thrown away)."""
        self._cancelled = True
        self._blocks.put(None)
        self._thread.join()


#: blocks (of ``_WRITE_BUFFER`` bytes) waiting for the compressing thread, at most (4 MB)
_BLOCKS_BEHIND = 16


def atomic_write(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8) all at once, or
    not at all; compressed when ``path`` ends in ``.gz``, ``.zst``, ``.bz2`` or ``.xz``."""
    with AtomicFile(path) as out:
        out.write(data.encode("utf-8") if isinstance(data, str) else data)


def stdout_bytes() -> IO[bytes]:
    """Standard output as a byte stream, with any text already written to it flushed."""
    sys.stdout.flush()
    return sys.stdout.buffer


def write_stdout(data: bytes, flush: bool = False) -> None:
    """``data`` to standard output (``stdout_bytes``), flushed if asked.  An error writing it (a
    full disk behind a redirection) is a :class:`DedupError` naming standard output, as a file's
    would name the file; a reader gone (``dedup ... | head``) stays a ``BrokenPipeError``."""
    try:
        out = stdout_bytes()
        out.write(data)
        if flush:
            out.flush()
    except BrokenPipeError:
        raise
    except OSError as err:
        raise DedupError(f"<stdout>: cannot write: {reason(err)}") from None
