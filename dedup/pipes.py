"""Pipes between dedup's processes, widened where the system allows (``widen``), and how long a
child process has to exit once told (``EXIT_WAIT``).

A pipe holds 64 KB on Linux by default; a chunk of extracted paragraphs, or a batch of articles
handed to the review's process, is about a megabyte.  A narrow pipe makes the writer wait for the
reader to be scheduled once for every 64 KB, and on a busy core that wait is the writer's loss.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

#: bytes a pipe between the processes holds (a chunk's result is about a megabyte);
#: where the system refuses, its default (64 KB on Linux) stays
PIPE_BYTES = 1 << 20
#: seconds a child process (an extraction worker, the review's) has to exit once told to, or once
#: its work is done, before it is stopped
EXIT_WAIT = 5.0


def widen(end: Connection) -> None:
    """Let the pipe hold ``PIPE_BYTES`` (Linux; elsewhere, or where refused, nothing changes)."""
    try:
        import fcntl

        fcntl.fcntl(end.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)  # type: ignore[attr-defined]
    except (ImportError, AttributeError, OSError):
        pass


__all__ = ["EXIT_WAIT", "PIPE_BYTES", "widen"]
