"""The user's cache of tables built from jieba's files (``$XDG_CACHE_HOME/dedup``, else
``~/.cache/dedup``, else the temporary directory), named by what they were built from.

An entry is named by a digest of its source file's bytes, not by the file's time: every
installation of the same jieba (each virtual environment, each fresh checkout's) writes its files
anew, and entries named by time took 43 MB more of the cache each.  The digest is worked out once
per installation and remembered beside the entries under the file's size and time
(``.source-SIZE-TIME``: a few bytes), so finding an entry costs a ``stat`` and a small read.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def cache_folder() -> Path:
    """Where dedup caches what it builds."""
    try:
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dedup"
    except RuntimeError:  # no home directory
        return Path(tempfile.gettempdir()) / "dedup"


def content_digest(source: Path) -> str:
    """A digest of ``source``'s bytes (16 hex digits), remembered under its size and time."""
    stat = source.stat()
    folder = cache_folder()
    remembered = folder / f".source-{stat.st_size}-{stat.st_mtime_ns}"
    try:
        digest = remembered.read_text(encoding="ascii")
        if len(digest) == 16:
            return digest
    except (OSError, ValueError):
        pass  # not worked out yet for this installation
    digest = hashlib.blake2b(source.read_bytes(), digest_size=8).hexdigest()
    write_atomically(remembered, digest.encode("ascii"))
    return digest


def write_atomically(path: Path, data: bytes) -> bool:
    """``data`` into ``path`` through a temporary file and a rename (a reader sees the whole file
    or none, and a memory-mapped one stays whole); whether the cache was writable."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".scratch-", delete=False) as scratch:
            name = scratch.name
            scratch.write(data)
    except OSError:
        return False
    try:
        os.replace(name, path)
    except OSError:
        Path(name).unlink(missing_ok=True)
        return False
    return True
