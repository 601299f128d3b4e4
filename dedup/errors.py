"""Errors the library raises; the CLI turns each into a one-line message and an exit code."""

from __future__ import annotations


class DedupError(Exception):
    """Base class of every error dedup raises on purpose."""


class ConfigError(DedupError):
    """A setting is unknown or out of range (exit code 2)."""


class InputError(DedupError):
    """An input cannot be read or parsed; the message names the file (and line)."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        where = path or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line


class UsageError(DedupError):
    """Options that do not fit together (exit code 2)."""


class StoreError(DedupError):
    """The index of ``dedup check`` cannot be used (base class)."""


class IndexDamaged(StoreError):
    """The index file is not a readable dedup index."""

    def __init__(self, location: str, reason: str) -> None:
        super().__init__(f"{location}: index is damaged ({reason})")
        self.location = location
        self.reason = reason


class IndexUnavailable(StoreError):
    """The index cannot be opened or reached (permissions, server down, locked too long)."""


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM).  Like KeyboardInterrupt it is no
    ``Exception``, so that only the outermost handler (the command line) catches it,
    after every output being written has been discarded on the way out."""

    def __init__(self, signal_number: int) -> None:
        super().__init__(f"terminated by signal {signal_number}")
        self.signal_number = signal_number


def raise_terminated(signal_number: int, frame: object) -> None:
    """A signal handler: raise :class:`Terminated` (in the main thread)."""
    raise Terminated(signal_number)
