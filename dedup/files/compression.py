"""Compressed files: gzip, Zstandard, bzip2 and xz, read by magic bytes and written by suffix.

A file is read through the decompressor its first bytes name (so ``data.jsonl``
that is really gzip, or ``x.zst`` renamed, still reads), and written through the
compressor its name's suffix asks for (``.gz``, ``.zst``, ``.bz2``, ``.xz``).
What a compressed file holds is told by the name without that suffix
(:func:`inner_name`: ``in.jsonl.zst`` is JSONL) or, failing that, by its
decompressed content (:mod:`~dedup.files.sniff`).  Zstandard needs the
``zstandard`` package, a dependency of dedup, imported only when a ``.zst``
file is met.

gzip is read and written by zlib-ng (the ``zlib-ng`` package, a dependency of dedup) where it is
installed, else by the standard library: the same format, any file either writes the other reads,
but zlib-ng compresses about three times as fast at the same level and size (a run's output
compressed at level 6: 0.13 CPU s against 0.35 for the low-redundancy corpus's 8 MB).
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import queue
import threading
import zlib
from collections.abc import Iterator
from contextlib import suppress
from typing import IO, Any, Literal, cast

from dedup.errors import DedupError

try:
    from zlib_ng import gzip_ng, zlib_ng
except ImportError:  # (a dependency, but the standard library's gzip reads and writes the same files)
    GzipFile: type[gzip.GzipFile] = gzip.GzipFile
    _ZLIB_ERRORS: tuple[type[BaseException], ...] = (zlib.error,)
else:
    GzipFile = gzip_ng.GzipNGFile
    _ZLIB_ERRORS = (zlib.error, cast(type[BaseException], zlib_ng.error))

Codec = Literal["gzip", "zstd", "bzip2", "xz"]

#: the suffix each codec writes, and reads when the magic bytes are not enough
SUFFIXES: dict[str, Codec] = {".gz": "gzip", ".zst": "zstd", ".bz2": "bzip2", ".xz": "xz"}
COMPRESSED_SUFFIXES = tuple(SUFFIXES)

_MAGIC: tuple[tuple[bytes, Codec], ...] = (
    (b"\x1f\x8b", "gzip"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
)

#: what a broken compressed stream raises, beside OSError
DECOMPRESSION_ERRORS: tuple[type[BaseException], ...] = (OSError, EOFError, *_ZLIB_ERRORS, lzma.LZMAError)


def codec_of_name(path: str) -> Codec | None:
    """The codec a file name's suffix asks for (case-insensitive), or None."""
    lowered = path.lower()
    for suffix, codec in SUFFIXES.items():
        if lowered.endswith(suffix):
            return codec
    return None


def codec_of_bytes(head: bytes) -> Codec | None:
    """The codec whose magic bytes ``head`` starts with, or None."""
    for magic, codec in _MAGIC:
        if head.startswith(magic):
            return codec
    return None


def inner_name(path: str) -> str:
    """``path`` without its compression suffix (``a.jsonl.zst`` -> ``a.jsonl``)."""
    codec = codec_of_name(path)
    if codec is None:
        return path
    suffix = next(s for s, c in SUFFIXES.items() if c == codec)
    return path[: -len(suffix)]


def _zstandard() -> Any:
    try:
        import zstandard
    except ImportError:
        raise DedupError("Zstandard (.zst) files need the zstandard package: pip install zstandard") from None
    return zstandard


def open_compressed(raw: IO[bytes], codec: Codec) -> IO[bytes]:
    """A stream of the decompressed bytes of ``raw``."""
    if codec == "gzip":
        return cast(IO[bytes], GzipFile(fileobj=raw, mode="rb"))
    if codec == "bzip2":
        return bz2.BZ2File(raw, "rb")
    if codec == "xz":
        return lzma.LZMAFile(raw, "rb")
    # buffered, it iterates lines like the others
    return io.BufferedReader(_ZstdReader(raw), buffer_size=1 << 16)


class _ZstdReader(io.RawIOBase):
    """The decompressed bytes of a Zstandard stream of one or more frames.  Like
    gzip, bz2 and lzma, a stream cut short is an EOFError and a damaged one an
    OSError (zstandard's own reader returns what it has, and raises its own error)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._zstd = _zstandard()
        self._frame = self._zstd.ZstdDecompressor().decompressobj()
        self._started = False
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = self._raw.read(1 << 16)
            if not chunk:
                if self._started and not self._frame.eof:
                    raise EOFError("Compressed file ended before the end-of-stream marker was reached")
                return 0
            self._pending = self._decompress(chunk)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def _decompress(self, chunk: bytes) -> bytes:
        out = b""
        while chunk:
            if self._frame.eof:
                self._frame = self._zstd.ZstdDecompressor().decompressobj()
            self._started = True
            try:
                out += self._frame.decompress(chunk)
            except self._zstd.ZstdError as err:
                raise OSError(f"not a valid Zstandard stream ({err})") from None
            chunk = self._frame.unused_data if self._frame.eof else b""
        return out


def open_read(path: str) -> tuple[IO[bytes], IO[bytes]]:
    """``path`` opened for reading, decompressed when its first bytes say it is
    compressed: the stream to read and the raw file under it (whose ``tell()``
    counts the compressed bytes read so far).  OSError when it cannot be opened."""
    raw = open(path, "rb")  # handed to the caller, who closes it
    try:
        head = raw.peek(8)[:8]
    except OSError:
        raw.close()
        raise
    codec = codec_of_bytes(head)
    if codec is None:
        return raw, raw
    return open_compressed(raw, codec), raw


def blocks_ahead(stream: IO[bytes], raw: IO[bytes], size: int = 1 << 18) -> Iterator[tuple[bytes, int]]:
    """The bytes of ``stream`` (decompressing ``raw``), ``size`` at a time, each block with
    ``raw.tell()`` once it was read.  A thread reads ahead (at most ``_BLOCKS_AHEAD``
    blocks): gzip, bz2, lzma and Zstandard let go of the interpreter while they
    decompress, so the caller parses one block while the next is decompressed on another
    core.  What the thread meets (a damaged or truncated stream) is raised here, in order."""
    blocks: queue.Queue[tuple[bytes, int] | BaseException] = queue.Queue(_BLOCKS_AHEAD)
    stop = threading.Event()

    def read() -> None:
        try:
            while not stop.is_set():
                data = stream.read(size)
                blocks.put((data, raw.tell()))
                if not data:
                    return
        except BaseException as err:  # raised in the caller's thread
            blocks.put(err)

    thread = threading.Thread(target=read, name="dedup-decompress", daemon=True)
    thread.start()
    try:
        while True:
            block = blocks.get()
            if isinstance(block, BaseException):
                raise block
            if not block[0]:
                return
            yield block
    finally:
        stop.set()
        while thread.is_alive():  # (it may wait for room in the queue)
            with suppress(queue.Empty):
                blocks.get(timeout=0.01)


#: decompressed blocks read ahead of the caller, at most
_BLOCKS_AHEAD = 4


def decompressed(stream: IO[bytes]) -> IO[bytes]:
    """``stream`` (standard input: no name to go by) decompressed when its first
    bytes are a codec's magic bytes, else as it is."""
    head = stream.read(8)
    whole = io.BufferedReader(_Prepended(head, stream), buffer_size=1 << 16)
    codec = codec_of_bytes(head)
    return whole if codec is None else open_compressed(whole, codec)


class _Prepended(io.RawIOBase):
    """``head``, then the rest of ``stream``: the bytes read to tell a stream's codec, given back."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        # read1: what a pipe has now, so that lines stream as they come
        data = self._head or getattr(self._stream, "read1", self._stream.read)(len(buffer))
        size = min(len(buffer), len(data))
        buffer[:size] = data[:size]
        self._head = data[size:] if self._head else b""
        return size


def read_all(path: str) -> bytes:
    """The whole (decompressed) content of ``path``; OSError and the decompressors' errors pass through."""
    stream, raw = open_read(path)
    with raw, stream:
        return stream.read()


def open_write(raw: IO[bytes], name: str) -> IO[bytes]:
    """A stream that writes ``raw`` compressed as ``name``'s suffix asks (``raw``
    itself for no known suffix).  Closing it finishes the compressed stream but
    leaves ``raw`` open."""
    codec = codec_of_name(name)
    if codec == "gzip":
        # gzip's own default level: level 9 costs twice the time for 0.5 % less
        inner = name[:-3] if name.lower().endswith(".gz") else name
        return cast(IO[bytes], GzipFile(filename=inner, mode="wb", fileobj=raw, mtime=0, compresslevel=6))
    if codec == "bzip2":
        return bz2.BZ2File(raw, "wb")
    if codec == "xz":
        return lzma.LZMAFile(raw, "wb")
    if codec == "zstd":
        writer: IO[bytes] = _zstandard().ZstdCompressor(level=3).stream_writer(raw, closefd=False)
        return writer
    return raw
