"""Reading inputs and writing outputs: the one module that touches files.

Inputs are text files (one article each), directories of them, JSONL files (one
article per line) and standard input.  :func:`discover` turns the paths a user
gave into :class:`Source` files in a fixed order, :func:`read_records` streams
the articles in them as :class:`Record` values (a :class:`~dedup.records.Document`
plus what is needed to write it back: the other fields of its JSONL object, the
text encoding of its file), and the writers put cleaned copies and reports on
disk.

Every file is written atomically: to a temporary file in the target's directory
that replaces the target only once it is complete, so an interrupted run never
leaves a half-written output.  This module never prints and never exits; what
goes wrong is raised as :class:`~dedup.errors.InputError` (an input cannot be read
or parsed) or :class:`~dedup.errors.DedupError` (an output cannot be written).
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import PurePath
from types import TracebackType
from typing import IO, Any, Literal

from dedup.errors import DedupError, InputError
from dedup.records import Document, Result

InputFormat = Literal["auto", "text", "jsonl"]
SourceKind = Literal["text", "jsonl", "stdin"]
RecordKind = Literal["text", "jsonl"]

#: file names picked up when walking a directory
TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")

STDIN = "-"


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class Source:
    """One input file (or standard input) and how it was found.

    ``path`` is the path as given, or joined to the directory it was found in;
    ``root`` is the argument it came from; ``relative`` is its path under
    ``root`` when found in a directory, else its file name.
    """

    path: str
    kind: SourceKind
    root: str
    relative: str
    in_directory: bool = False


@dataclass(frozen=True, slots=True)
class Record:
    """An article as read, with what is needed to write it back.

    ``fields`` is the whole JSON object of a JSONL record (``None`` for a text
    file); ``line`` its line number; ``encoding`` the codec a text file was
    decoded with, used again to write its cleaned copy.
    """

    document: Document
    source: Source
    kind: RecordKind
    line: int | None = None
    fields: Mapping[str, Any] | None = None
    encoding: str = "utf-8"


def is_jsonl_name(path: str) -> bool:
    return path.endswith(JSONL_SUFFIXES)


def _wanted(name: str, input_format: InputFormat) -> SourceKind | None:
    """The kind of a file met while walking a directory, or None to skip it."""
    if name.startswith("."):
        return None
    if input_format != "text" and name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if input_format != "jsonl" and name.endswith(TEXT_SUFFIXES):
        return "text"
    return None


def _walk(root: str, input_format: InputFormat) -> list[Source]:
    def fail(err: OSError) -> None:
        raise InputError(f"cannot read directory: {err.strerror}", err.filename or root)

    found: list[tuple[tuple[str, ...], Source]] = []
    for directory, subdirs, names in os.walk(root, onerror=fail):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in names:
            kind = _wanted(name, input_format)
            if kind is None:
                continue
            full = os.path.join(directory, name)
            relative = os.path.relpath(full, root)
            path = os.path.normpath(full)
            found.append((PurePath(relative).parts, Source(path, kind, root, relative, in_directory=True)))
    found.sort(key=lambda item: item[0])
    return [source for _, source in found]


def discover(paths: Iterable[str | os.PathLike[str]], input_format: InputFormat = "auto") -> list[Source]:
    """The input files named by ``paths``, in the order they will be read.

    A directory stands for the ``.txt``, ``.md``, ``.jsonl`` and ``.jsonl.gz``
    files under it (hidden files and directories skipped), sorted by path; a file
    named directly is JSONL if its name ends in ``.jsonl`` / ``.jsonl.gz`` and
    text otherwise, unless ``input_format`` says which; ``-`` is standard input.
    A file reached twice is read once.  Missing paths raise InputError before
    anything is read.
    """
    sources: list[Source] = []
    seen: set[str] = set()
    for raw in paths:
        path = os.fspath(raw)
        if path == STDIN:
            if STDIN in seen:
                raise InputError("standard input given more than once", STDIN)
            seen.add(STDIN)
            sources.append(Source(STDIN, "stdin", STDIN, STDIN))
            continue
        if os.path.isdir(path):
            found = _walk(path, input_format)
        elif os.path.exists(path):
            if input_format == "auto":
                kind: SourceKind = "jsonl" if is_jsonl_name(path) else "text"
            else:
                kind = input_format
            found = [Source(path, kind, path, os.path.basename(path))]
        else:
            raise InputError("no such file or directory", path)
        for source in found:
            key = os.path.realpath(source.path)
            if key not in seen:
                seen.add(key)
                sources.append(source)
    return sources


def decode_text(data: bytes, path: str | None = None) -> tuple[str, str]:
    """``data`` as text and the codec that decoded it: UTF-8 (with or without a
    byte-order mark) when it is valid UTF-8, else what charset-normalizer finds."""
    if data.startswith(codecs.BOM_UTF8):
        with suppress(UnicodeDecodeError):
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
    with suppress(UnicodeDecodeError):
        return data.decode("utf-8"), "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        try:
            text = data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
        else:
            if "\x00" not in text:
                return text, best.encoding
    raise InputError("cannot decode: not UTF-8, and no other text encoding fits", path)


def _open_binary(path: str) -> IO[bytes] | gzip.GzipFile:
    if path.endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


def _read_bytes(path: str) -> bytes:
    try:
        with _open_binary(path) as fh:
            return fh.read()
    except (OSError, EOFError, zlib.error) as err:
        raise InputError(f"cannot read: {_reason(err)}", path) from None


def _reason(err: BaseException) -> str:
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    return str(err) or type(err).__name__


def _lines(path: str) -> Iterator[bytes]:
    """The raw lines of a (possibly gzipped) file; read errors name the file."""
    try:
        with _open_binary(path) as fh:
            yield from fh
    except (OSError, EOFError, zlib.error) as err:
        raise InputError(f"cannot read: {_reason(err)}", path) from None


_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}


def _json_type(value: object) -> str:
    return _JSON_TYPES.get(type(value), "a number")


def _parse_jsonl(lines: Iterable[bytes], source: Source, text_field: str, id_field: str) -> Iterator[Record]:
    path = source.path
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise InputError(f"not valid UTF-8 (byte {err.start + 1})", path, number) from None
        try:
            fields = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"invalid JSON: {err.msg} (column {err.colno})", path, number) from None
        if not isinstance(fields, dict):
            raise InputError(f"expected a JSON object, got {_json_type(fields)}", path, number)
        if text_field not in fields:
            raise InputError(f"no {text_field!r} field", path, number)
        text = fields[text_field]
        if not isinstance(text, str):
            raise InputError(f"field {text_field!r} must be a string, got {_json_type(text)}", path, number)
        raw_id = fields.get(id_field)
        if raw_id is None:
            doc_id = f"{path}:{number}"
        elif isinstance(raw_id, str):
            doc_id = raw_id
        elif isinstance(raw_id, int) and not isinstance(raw_id, bool):
            doc_id = str(raw_id)
        else:
            raise InputError(
                f"field {id_field!r} must be a string or an integer, got {_json_type(raw_id)}", path, number
            )
        yield Record(Document(doc_id, text, path), source, "jsonl", number, fields)


def _text_record(data: bytes, source: Source) -> Record:
    text, encoding = decode_text(data, source.path)
    return Record(Document(source.path, text, source.path), source, "text", encoding=encoding)


def _read_stdin(
    source: Source, input_format: InputFormat, text_field: str, id_field: str, stream: IO[bytes]
) -> Iterator[Record]:
    if input_format == "text":
        yield _text_record(stream.read(), source)
        return
    head: list[bytes] = []
    if input_format == "auto":
        for line in stream:
            head.append(line)
            if line.strip():
                break
        first = b"".join(head).lstrip()
        if first.startswith(codecs.BOM_UTF8):
            first = first[len(codecs.BOM_UTF8) :]
        if not first.startswith(b"{"):
            yield _text_record(b"".join(head) + stream.read(), source)
            return

    def lines() -> Iterator[bytes]:
        yield from head
        yield from stream

    yield from _parse_jsonl(lines(), source, text_field, id_field)


def read_records(
    sources: Iterable[Source],
    text_field: str = "text",
    id_field: str = "id",
    input_format: InputFormat = "auto",
    stdin: IO[bytes] | None = None,
) -> Iterator[Record]:
    """The articles of ``sources``, streamed in order.

    A text file is one article whose id is its path; a JSONL line is one
    article (``text_field`` its text, ``id_field`` its id, ``<path>:<line>``
    when it has none).  Standard input is JSONL when ``input_format`` says so, or
    when it is ``auto`` and the first non-blank character is ``{``; otherwise it
    is one article with id ``-``.
    """
    for source in sources:
        if source.kind == "stdin":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _read_stdin(source, input_format, text_field, id_field, stream)
        elif source.kind == "jsonl":
            yield from _parse_jsonl(_lines(source.path), source, text_field, id_field)
        else:
            yield _text_record(_read_bytes(source.path), source)


def read_documents(
    paths: Iterable[str | os.PathLike[str]],
    text_field: str = "text",
    id_field: str = "id",
    input_format: InputFormat = "auto",
) -> Iterator[Document]:
    """The documents under ``paths`` in a fixed order (see :func:`discover` and
    :func:`read_records`); ready for :func:`dedup.clean`."""
    sources = discover(paths, input_format)
    for record in read_records(sources, text_field, id_field, input_format):
        yield record.document


# --------------------------------------------------------------------------- writing files


@cache
def _new_file_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


class AtomicFile:
    """A binary file that replaces ``path`` only when committed.

    Bytes go to a temporary file next to the target (gzip-compressed when the
    target ends in ``.gz``); :meth:`commit` flushes it to disk and renames it
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
            fd, self._temp = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
        except OSError as err:
            raise DedupError(f"{self.path}: cannot write: {_reason(err)}") from None
        self._raw: IO[bytes] = os.fdopen(fd, "wb")
        self.file: IO[bytes] | gzip.GzipFile = self._raw
        if self._target.endswith(".gz"):
            self.file = gzip.GzipFile(filename=name[:-3], mode="wb", fileobj=self._raw, mtime=0)
        self._done = False

    def write(self, data: bytes) -> None:
        try:
            self.file.write(data)
        except OSError as err:
            self.discard()
            raise DedupError(f"{self.path}: cannot write: {_reason(err)}") from None

    def commit(self) -> None:
        if self._done:
            return
        self._done = True
        try:
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
            self._cleanup()
            raise DedupError(f"{self.path}: cannot write: {_reason(err)}") from None

    def discard(self) -> None:
        if self._done:
            return
        self._done = True
        self._cleanup()

    def _cleanup(self) -> None:
        for handle in (self.file, self._raw):
            with suppress(OSError, ValueError):
                handle.close()
        with suppress(FileNotFoundError):
            os.unlink(self._temp)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


def atomic_write(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8) all at once, or
    not at all; gzip-compressed when ``path`` ends in ``.gz``."""
    with AtomicFile(path) as out:
        out.write(data.encode("utf-8") if isinstance(data, str) else data)


def stdout_bytes() -> IO[bytes]:
    """Standard output as a byte stream, with any text already written to it flushed."""
    sys.stdout.flush()
    return sys.stdout.buffer


def json_bytes(obj: Any) -> bytes:
    """``obj`` as UTF-8 JSON with non-ASCII characters as they are.  Strings
    holding lone surrogates (valid JSON escapes, but not UTF-8) are escaped."""
    try:
        return json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(obj).encode("ascii")


def json_line(obj: Mapping[str, Any]) -> bytes:
    """One JSONL line (see :func:`json_bytes`)."""
    return json_bytes(obj) + b"\n"


class JsonlWriter:
    """Streams JSON objects, one per line, to ``path`` (``-``: standard output).

    A file is written atomically (see :class:`AtomicFile`): it appears, complete,
    on :meth:`commit` or when the ``with`` block ends without an error.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self.count = 0
        self._atomic = None if self.path == STDIN else AtomicFile(self.path)

    def write(self, obj: Mapping[str, Any]) -> None:
        line = json_line(obj)
        if self._atomic is None:
            stdout_bytes().write(line)
        else:
            self._atomic.write(line)
        self.count += 1

    def commit(self) -> None:
        if self._atomic is None:
            stdout_bytes().flush()
        else:
            self._atomic.commit()

    def discard(self) -> None:
        if self._atomic is not None:
            self._atomic.discard()

    def __enter__(self) -> JsonlWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


# --------------------------------------------------------------------------- records out


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def result_to_json(result: Result) -> dict[str, Any]:
    """The report line of one article: what was removed, joined and flagged, with
    ``start``/``end`` offsets (Python ``str`` indices) into its original text."""
    return {
        "id": result.id,
        "path": result.path,
        "paragraphs": result.paragraphs,
        "changed": result.changed,
        "removed": [_plain(asdict(r)) for r in result.removed],
        "joins": [_plain(asdict(j)) for j in result.joins],
        "flags": [_plain(asdict(f)) for f in result.flags],
        "near_copy_of": None if result.near_copy_of is None else asdict(result.near_copy_of),
    }


def is_dropped(result: Result) -> bool:
    """Whether the article is a near-copy of an earlier one that is left out."""
    return result.near_copy_of is not None and result.near_copy_of.action == "drop"


def cleaned_fields(
    record: Record, cleaned: str, text_field: str = "text", id_field: str = "id"
) -> dict[str, Any]:
    """The JSONL object of a cleaned article: the input object with its text
    replaced, every other field as it was; a text file becomes ``{id, text}``."""
    if record.fields is None:
        return {id_field: record.document.id, text_field: cleaned}
    fields = dict(record.fields)
    fields[text_field] = cleaned
    return fields


def encode_text(record: Record, text: str) -> bytes:
    """Cleaned text in the encoding its file was read in."""
    try:
        return text.encode(record.encoding)
    except UnicodeEncodeError as err:
        raise DedupError(
            f"{record.source.path}: cannot write back as {record.encoding}: {err.reason}"
        ) from None


class CleanedOutput:
    """Where cleaned articles go; see the two implementations below."""

    #: files written (replaced) so far
    written: list[str]

    def write(self, record: Record, result: Result) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Finish every output (commit pending files)."""

    def abort(self) -> None:
        """Drop outputs still being written; files already complete stay."""


class PerFileOutput(CleanedOutput):
    """Each input file to its own output: a text file to a text file (in the
    encoding it was read in), a JSONL file to a JSONL file.

    ``target`` names the output of a source (``-``: standard output).  With
    ``only_changed`` (rewriting inputs in place) a file is written only when its
    content changes.  Articles that are near-copies to drop are left out of
    JSONL outputs; their text files are not written at all (so in place they
    stay as they were: this module never deletes a file).  ``sources`` lets
    :meth:`close` write the (empty) outputs of JSONL files without records.
    """

    def __init__(
        self,
        target: Callable[[Source], str],
        *,
        text_field: str = "text",
        id_field: str = "id",
        only_changed: bool = False,
        sources: Sequence[Source] = (),
    ) -> None:
        self._target = target
        self._text_field = text_field
        self._id_field = id_field
        self._only_changed = only_changed
        self._sources = sources
        self._opened: set[Source] = set()
        self._current: tuple[Source, JsonlWriter] | None = None
        self._changed = False
        self.written = []

    def write(self, record: Record, result: Result) -> None:
        if record.kind == "text":
            self._finish()
            if is_dropped(result) or (self._only_changed and not result.changed):
                return
            target = self._target(record.source)
            data = encode_text(record, result.cleaned)
            if target == STDIN:
                stdout_bytes().write(data)
                stdout_bytes().flush()
            else:
                atomic_write(target, data)
                self.written.append(target)
            return
        if self._current is None or self._current[0] != record.source:
            self._finish()
            self._opened.add(record.source)
            self._current = (record.source, JsonlWriter(self._target(record.source)))
            self._changed = False
        self._changed = self._changed or result.changed
        if not is_dropped(result):
            self._current[1].write(cleaned_fields(record, result.cleaned, self._text_field, self._id_field))

    def _finish(self) -> None:
        if self._current is None:
            return
        _, writer = self._current
        self._current = None
        if self._only_changed and not self._changed:
            writer.discard()
            return
        writer.commit()
        if writer.path != STDIN:
            self.written.append(writer.path)

    def close(self) -> None:
        self._finish()
        if self._only_changed:
            return
        for source in self._sources:
            if source.kind == "jsonl" and source not in self._opened:
                target = self._target(source)
                if target != STDIN:
                    atomic_write(target, b"")
                    self.written.append(target)

    def abort(self) -> None:
        if self._current is not None:
            self._current[1].discard()
            self._current = None


class JsonlOutput(CleanedOutput):
    """Every article into one JSONL stream (a file, or ``-`` for standard
    output), in input order; near-copies to drop are left out."""

    def __init__(self, path: str, *, text_field: str = "text", id_field: str = "id") -> None:
        self._writer = JsonlWriter(path)
        self._text_field = text_field
        self._id_field = id_field
        self.written = []

    def write(self, record: Record, result: Result) -> None:
        if not is_dropped(result):
            self._writer.write(cleaned_fields(record, result.cleaned, self._text_field, self._id_field))

    def close(self) -> None:
        self._writer.commit()
        if self._writer.path != STDIN:
            self.written.append(self._writer.path)

    def abort(self) -> None:
        self._writer.discard()
