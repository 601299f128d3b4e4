"""Reading inputs and writing outputs: the one module that touches files.

Inputs are text files (one article each), directories of them, JSONL files (one
article per line), Parquet files (one article per row) and standard input.
:func:`discover` turns the paths a user gave into :class:`Source` files in a
fixed order, :func:`read_records` streams the articles in them as :class:`Record`
values (a :class:`~dedup.records.Document` plus what is needed to write it back:
the other fields of its JSONL object or Parquet row, the text encoding of its
file), and the writers put cleaned copies and reports on disk.  Parquet needs
pyarrow (``dedup[parquet]``), imported only when a Parquet file is met.

Every file is written atomically: to a temporary file in the target's directory
that replaces the target only once it is complete, so an interrupted run never
leaves a half-written output.  This module never prints and never exits; what
goes wrong is raised as :class:`~dedup.errors.InputError` (an input cannot be read
or parsed) or :class:`~dedup.errors.DedupError` (an output cannot be written).
"""

from __future__ import annotations

import base64
import codecs
import datetime
import decimal
import gzip
import json
import os
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from pathlib import PurePath
from types import TracebackType
from typing import IO, Any, Literal, Self

from dedup.errors import DedupError, InputError
from dedup.records import Document, Flag, Join, Match, Removal, Result

InputFormat = Literal["auto", "text", "jsonl", "parquet"]
SourceKind = Literal["text", "jsonl", "parquet", "stdin"]
RecordKind = Literal["text", "jsonl", "parquet"]

#: file names picked up when walking a directory
TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
PARQUET_SUFFIXES = (".parquet",)

#: rows of a Parquet file read, and written, at a time
PARQUET_BATCH = 1024

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

    ``fields`` is the whole JSON object of a JSONL record, or the row of a
    Parquet file as a dict (``None`` for a text file); ``line`` its line number,
    or its row number counted from 1; ``encoding`` the codec a text file was
    decoded with, used again to write its cleaned copy; ``schema`` the Arrow
    schema of a Parquet file, to write its rows back with the same columns.
    ``position`` is how many bytes of the file had been read once the article
    was (for a Parquet file, the share of the file's size its rows so far are
    of all its rows): with :func:`source_size`, how far the input is done.
    """

    document: Document
    source: Source
    kind: RecordKind
    line: int | None = None
    fields: Mapping[str, Any] | None = None
    encoding: str = "utf-8"
    position: int = 0
    schema: Any = None

    @property
    def where(self) -> str:
        """``path:line`` (or ``path:row``) for messages; the path alone for a text file."""
        return self.source.path if self.line is None else f"{self.source.path}:{self.line}"


def is_jsonl_name(path: str) -> bool:
    return path.endswith(JSONL_SUFFIXES)


def is_parquet_name(path: str) -> bool:
    return path.endswith(PARQUET_SUFFIXES)


def _wanted(name: str, input_format: InputFormat) -> SourceKind | None:
    """The kind of a file met while walking a directory, or None to skip it."""
    if name.startswith("."):
        return None
    if input_format in ("auto", "jsonl") and name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if input_format in ("auto", "parquet") and name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    if input_format in ("auto", "text") and name.endswith(TEXT_SUFFIXES):
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

    A directory stands for the ``.txt``, ``.md``, ``.jsonl``, ``.jsonl.gz`` and
    ``.parquet`` files under it (hidden files and directories skipped), sorted by
    path; a file named directly is JSONL if its name ends in ``.jsonl`` /
    ``.jsonl.gz``, Parquet if it ends in ``.parquet`` and text otherwise, unless
    ``input_format`` says which; ``-`` is standard input.
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
                kind: SourceKind = (
                    "jsonl" if is_jsonl_name(path) else "parquet" if is_parquet_name(path) else "text"
                )
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


def _lines(path: str) -> Iterator[tuple[bytes, int]]:
    """The raw lines of a (possibly gzipped) file, each with how many bytes of the
    file have been read once it is (of a gzipped file: compressed bytes, read
    ahead a block at a time); read errors name the file."""
    try:
        with open(path, "rb") as raw:
            if path.endswith(".gz"):
                with gzip.GzipFile(fileobj=raw, mode="rb") as fh:
                    for line in fh:
                        yield line, raw.tell()
            else:
                yield from _counted(raw)
    except (OSError, EOFError, zlib.error) as err:
        raise InputError(f"cannot read: {_reason(err)}", path) from None


def _counted(lines: Iterable[bytes]) -> Iterator[tuple[bytes, int]]:
    """Each line with the number of bytes up to its end."""
    position = 0
    for line in lines:
        position += len(line)
        yield line, position


def source_size(source: Source) -> int | None:
    """The size in bytes of a source's file: what :attr:`Record.position` counts
    up to.  None for standard input, or a file whose size cannot be had."""
    if source.kind == "stdin":
        return None
    try:
        return os.path.getsize(source.path)
    except OSError:
        return None


def article_count(sources: Iterable[Source]) -> int | None:
    """How many articles ``sources`` hold, when that is known without reading
    them: one per text file, the rows of a Parquet file (from its metadata).
    None when a JSONL file or standard input is among them, or a Parquet file's
    metadata cannot be read (reading it will say why)."""
    count = 0
    for source in sources:
        if source.kind == "text":
            count += 1
        elif source.kind == "parquet":
            try:
                with _open_parquet(source.path) as parquet:
                    count += parquet.metadata.num_rows
            except DedupError:
                return None
        else:
            return None
    return count


_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}


def _json_type(value: object) -> str:
    return _JSON_TYPES.get(type(value), "a number")


def _parse_jsonl(
    lines: Iterable[tuple[bytes, int]], source: Source, text_field: str, id_field: str
) -> Iterator[Record]:
    path = source.path
    for number, (raw, position) in enumerate(lines, start=1):
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
        doc_id = _doc_id(fields.get(id_field), "field", id_field, path, number, _json_type)
        yield Record(Document(doc_id, text, path), source, "jsonl", number, fields, position=position)


def _doc_id(
    raw_id: object, noun: str, id_field: str, path: str, number: int, type_name: Callable[[Any], str]
) -> str:
    """The id of a JSONL record or Parquet row: its id field (column), or ``path:number``."""
    if raw_id is None:
        return f"{path}:{number}"
    if isinstance(raw_id, str):
        return raw_id
    if isinstance(raw_id, int) and not isinstance(raw_id, bool):
        return str(raw_id)
    raise InputError(
        f"{noun} {id_field!r} must be a string or an integer, got {type_name(raw_id)}", path, number
    )


def _pyarrow_parquet(doing: str) -> Any:
    """``pyarrow.parquet``, imported on first use; ``doing`` is "reading" or "writing"."""
    try:
        import pyarrow.parquet
    except ImportError:
        raise DedupError(f"{doing} Parquet needs pyarrow: pip install 'dedup[parquet]'") from None
    return pyarrow.parquet


def need_pyarrow(doing: str) -> None:
    """Raise DedupError, before anything is read or written, when pyarrow is missing."""
    _pyarrow_parquet(doing)


def _open_parquet(path: str) -> Any:
    pq = _pyarrow_parquet("reading")
    import pyarrow

    try:
        return pq.ParquetFile(path)
    except (OSError, pyarrow.ArrowException) as err:
        raise InputError(f"cannot read Parquet: {_reason(err)}", path) from None


def _parquet_rows(batch: Any, path: str, first: int) -> list[dict[str, Any]]:
    """The rows of a record batch as dicts; a value Python cannot hold names its row."""
    try:
        rows: list[dict[str, Any]] = batch.to_pylist()
        return rows
    except (ValueError, TypeError, OverflowError):
        for offset in range(batch.num_rows):
            try:
                batch.slice(offset, 1).to_pylist()
            except (ValueError, TypeError, OverflowError) as err:
                raise InputError(f"cannot read Parquet: {_reason(err)}", path, first + offset) from None
        raise InputError("cannot read Parquet: a value does not convert", path, first) from None


def _parse_parquet(source: Source, text_field: str, id_field: str) -> Iterator[Record]:
    """The rows of a Parquet file, :data:`PARQUET_BATCH` rows at a time."""
    import pyarrow

    path = source.path
    size = source_size(source) or 0
    number = 0
    with _open_parquet(path) as parquet:
        schema = parquet.schema_arrow
        repeated = sorted({name for name in schema.names if schema.names.count(name) > 1})
        if repeated:
            raise InputError(f"column {repeated[0]!r} appears more than once", path)
        if text_field not in schema.names:
            raise InputError(f"no {text_field!r} column", path)
        total = max(parquet.metadata.num_rows, 1)
        text_type = str(schema.field(text_field).type)
        id_type = str(schema.field(id_field).type) if id_field in schema.names else "null"

        def id_type_name(value: object) -> str:
            return id_type

        try:
            for batch in parquet.iter_batches(batch_size=PARQUET_BATCH):
                for fields in _parquet_rows(batch, path, number + 1):
                    number += 1
                    text = fields[text_field]
                    if not isinstance(text, str):
                        got = "null" if text is None else text_type
                        raise InputError(f"column {text_field!r} must be a string, got {got}", path, number)
                    doc_id = _doc_id(fields.get(id_field), "column", id_field, path, number, id_type_name)
                    yield Record(
                        Document(doc_id, text, path),
                        source,
                        "parquet",
                        number,
                        fields,
                        position=size * number // total,
                        schema=schema,
                    )
        except (OSError, pyarrow.ArrowException) as err:
            raise InputError(f"cannot read Parquet: {_reason(err)}", path, number + 1) from None


def _text_record(data: bytes, source: Source, position: int) -> Record:
    text, encoding = decode_text(data, source.path)
    return Record(
        Document(source.path, text, source.path), source, "text", encoding=encoding, position=position
    )


def _read_stdin(
    source: Source, input_format: InputFormat, text_field: str, id_field: str, stream: IO[bytes]
) -> Iterator[Record]:
    if input_format == "parquet":
        raise InputError(_PARQUET_STDIN, source.path)
    if input_format == "text":
        data = stream.read()
        yield _text_record(data, source, len(data))
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
        if first.startswith(b"PAR1"):
            raise InputError(_PARQUET_STDIN, source.path)
        if not first.startswith(b"{"):
            data = b"".join(head) + stream.read()
            yield _text_record(data, source, len(data))
            return

    def lines() -> Iterator[bytes]:
        yield from head
        yield from stream

    yield from _parse_jsonl(_counted(lines()), source, text_field, id_field)


_PARQUET_STDIN = "Parquet cannot be read from standard input (it is read from its end): name the file"


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
    when it has none), and so is a Parquet row (columns ``text_field`` and
    ``id_field``, ``<path>:<row>`` with rows counted from 1), read a batch of
    :data:`PARQUET_BATCH` rows at a time.  Standard input is JSONL when
    ``input_format`` says so, or when it is ``auto`` and the first non-blank
    character is ``{``; otherwise it is one article with id ``-``.
    """
    for source in sources:
        if source.kind == "stdin":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _read_stdin(source, input_format, text_field, id_field, stream)
        elif source.kind == "jsonl":
            yield from _parse_jsonl(_lines(source.path), source, text_field, id_field)
        elif source.kind == "parquet":
            yield from _parse_parquet(source, text_field, id_field)
        else:
            data = _read_bytes(source.path)
            yield _text_record(data, source, source_size(source) or len(data))


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


class _Committed:
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


_WRITE_BUFFER = 1 << 20


class AtomicFile(_Committed):
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
            # gzip's own default level: level 9 costs twice the time for 0.5 % less
            self.file = gzip.GzipFile(
                filename=name[:-3], mode="wb", fileobj=self._raw, mtime=0, compresslevel=6
            )
        self._done = False
        # many small writes (a line per article) are gathered: one compressor
        # call per megabyte, not per line
        self._pending: list[bytes] = []
        self._pending_size = 0

    def write(self, data: bytes) -> None:
        self._pending.append(data)
        self._pending_size += len(data)
        if self._pending_size >= _WRITE_BUFFER:
            self._flush_pending()

    def _flush_pending(self) -> None:
        data = b"".join(self._pending)
        self._pending.clear()
        self._pending_size = 0
        try:
            self.file.write(data)
        except OSError as err:
            self.discard()
            raise DedupError(f"{self.path}: cannot write: {_reason(err)}") from None

    def commit(self) -> None:
        if self._done:
            return
        self._flush_pending()
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


def atomic_write(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8) all at once, or
    not at all; gzip-compressed when ``path`` ends in ``.gz``."""
    with AtomicFile(path) as out:
        out.write(data.encode("utf-8") if isinstance(data, str) else data)


def stdout_bytes() -> IO[bytes]:
    """Standard output as a byte stream, with any text already written to it flushed."""
    sys.stdout.flush()
    return sys.stdout.buffer


def _json_default(value: object) -> object:
    """JSON for the values of a Parquet row that JSON has no type for: times as
    ISO 8601 strings, durations as seconds, decimals as strings (exact), bytes
    as base64."""
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"a value of type {type(value).__name__} has no JSON form")


def json_bytes(obj: Any) -> bytes:
    """``obj`` as UTF-8 JSON with non-ASCII characters as they are.  Strings
    holding lone surrogates (valid JSON escapes, but not UTF-8) are escaped."""
    try:
        return json.dumps(obj, ensure_ascii=False, default=_json_default).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(obj, default=_json_default).encode("ascii")


def json_line(obj: Mapping[str, Any]) -> bytes:
    """One JSONL line (see :func:`json_bytes`)."""
    return json_bytes(obj) + b"\n"


class JsonlWriter(_Committed):
    """Streams JSON objects, one per line, to ``path`` (``-``: standard output).

    A file is written atomically (see :class:`AtomicFile`): it appears, complete,
    on :meth:`commit` or when the ``with`` block ends without an error.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self.count = 0
        self._atomic = None if self.path == STDIN else AtomicFile(self.path)

    def write(self, obj: Mapping[str, Any], where: str | None = None) -> None:
        """Write one object; ``where`` names the record it comes from in errors."""
        try:
            line = json_line(obj)
        except (TypeError, ValueError) as err:
            self.discard()
            raise DedupError(f"{where or self.path}: cannot write as JSON: {err}") from None
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


class ParquetWriter(_Committed):
    """Streams records (dicts, as :class:`JsonlWriter` takes them) to a Parquet
    file, :data:`PARQUET_BATCH` rows to a row group; atomically, as
    :class:`AtomicFile`.

    The file's columns are those of ``schema`` (an Arrow schema: that of the
    Parquet file the records come from, with its column types and order) or,
    without one, the fields of the first batch of records in the order they
    first appear, each typed from its values.  A later record with a field that
    is not a column, or a value that does not fit its column's type, is an
    error.  A file without records gets the columns ``empty_columns`` (strings).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        schema: Any = None,
        *,
        empty_columns: Sequence[str] = ("id", "text"),
    ) -> None:
        self._pq = _pyarrow_parquet("writing")
        self.path = os.fspath(path)
        self.count = 0
        self._schema = schema
        self._empty_columns = empty_columns
        self._rows: list[Mapping[str, Any]] = []
        self._wheres: list[str | None] = []
        self._writer: Any = None
        self._done = False
        self._atomic = AtomicFile(self.path)

    def use_schema(self, schema: Any) -> None:
        """Take the columns of ``schema`` unless the file has columns already, or
        records waiting for them (theirs are taken from them)."""
        if self._schema is None and self._writer is None and not self._rows:
            self._schema = schema

    def write(self, obj: Mapping[str, Any], where: str | None = None) -> None:
        """Write one record; ``where`` names it in errors."""
        self._rows.append(obj)
        self._wheres.append(where)
        self.count += 1
        if len(self._rows) >= PARQUET_BATCH:
            self._flush()

    def _flush(self) -> None:
        import pyarrow

        if not self._rows:
            return
        try:
            batch = self._batch(pyarrow)
        except DedupError:
            self.discard()
            raise
        self._rows.clear()
        self._wheres.clear()
        try:
            if self._writer is None:
                self._schema = batch.schema
                self._writer = self._pq.ParquetWriter(self._atomic.file, batch.schema)
            self._writer.write_batch(batch)
        except (OSError, pyarrow.ArrowException) as err:
            self.discard()
            raise DedupError(f"{self.path}: cannot write: {_reason(err)}") from None

    def _batch(self, pa: Any) -> Any:
        """The buffered rows as an Arrow record batch with the file's columns."""
        rows = self._rows
        if self._schema is None:
            names = list(dict.fromkeys(name for row in rows for name in row))
            arrays = [self._column(pa, name, None, True) for name in names]
            return pa.RecordBatch.from_arrays(arrays, names=names)
        columns = set(self._schema.names)
        for row, where in zip(rows, self._wheres, strict=True):
            for name in row:
                if name not in columns:
                    raise DedupError(
                        f"{where or self.path}: field {name!r} is not a column of {self.path} "
                        f"(its columns: {', '.join(self._schema.names)})"
                    )
        arrays = [self._column(pa, f.name, f.type, f.nullable) for f in self._schema]
        return pa.RecordBatch.from_arrays(arrays, schema=self._schema)

    def _column(self, pa: Any, name: str, kind: Any, nullable: bool) -> Any:
        values = [row.get(name) for row in self._rows]
        if not nullable and None in values:
            where = self._wheres[values.index(None)] or self.path
            raise DedupError(f"{where}: field {name!r} is missing or null; its column of {self.path} is not")
        try:
            return pa.array(values, type=kind)
        except (pa.ArrowException, TypeError, ValueError, OverflowError) as err:
            raise self._misfit(pa, name, kind, values, err) from None

    def _misfit(self, pa: Any, name: str, kind: Any, values: list[Any], error: Exception) -> DedupError:
        """The error for a column that does not convert, naming the first record
        whose value does not fit the column's type (or the type of the values before it)."""
        if kind is None:
            kind = next((pa.array([v]).type for v in values if v is not None), None)
        where = self._wheres[0]
        for value, place in zip(values, self._wheres, strict=True):
            try:
                pa.array([value], type=kind)
            except (pa.ArrowException, TypeError, ValueError, OverflowError) as err:
                where, error = place, err
                break
        what = f"the {kind} values before it" if self._schema is None else f"its {kind} column of {self.path}"
        return DedupError(f"{where or self.path}: field {name!r} does not fit {what}: {_reason(error)}")

    def commit(self) -> None:
        import pyarrow

        if self._done:
            return
        self._flush()
        self._done = True
        try:
            if self._writer is None:
                schema = self._schema
                if schema is None:
                    schema = pyarrow.schema([(name, pyarrow.string()) for name in self._empty_columns])
                self._writer = self._pq.ParquetWriter(self._atomic.file, schema)
            self._writer.close()
        except (OSError, pyarrow.ArrowException) as err:
            self.discard()
            raise DedupError(f"{self.path}: cannot write: {_reason(err)}") from None
        self._atomic.commit()

    def discard(self) -> None:
        if self._writer is not None and not self._done:
            with suppress(Exception):
                self._writer.close()
        self._done = True
        self._rows.clear()
        self._atomic.discard()


def parquet_schema(source: Source) -> Any:
    """The Arrow schema of a Parquet file (from its footer)."""
    with _open_parquet(source.path) as parquet:
        return parquet.schema_arrow


# --------------------------------------------------------------------------- records out


def _match_json(m: Match) -> dict[str, Any]:
    return {"id": m.id, "paragraph": m.paragraph, "start": m.start, "end": m.end}


def _removal_json(r: Removal) -> dict[str, Any]:
    return {
        "paragraph": r.paragraph,
        "start": r.start,
        "end": r.end,
        "kind": r.kind,
        "score": r.score,
        "matches": [_match_json(m) for m in r.matches],
    }


def _join_json(j: Join) -> dict[str, Any]:
    return {
        "head": j.head,
        "tail": j.tail,
        "start": j.start,
        "end": j.end,
        "score": j.score,
        "evidence": list(j.evidence),
    }


def _flag_json(f: Flag) -> dict[str, Any]:
    return {"paragraph": f.paragraph, "start": f.start, "end": f.end, "kind": f.kind, "note": f.note}


def result_to_json(result: Result) -> dict[str, Any]:
    """The report line of one article: what was removed, joined and flagged, with
    ``start``/``end`` offsets (Python ``str`` indices) into its original text.
    (Written out field by field: ``dataclasses.asdict`` deep-copies every value,
    which took a tenth of a big run.)"""
    near = result.near_copy_of
    return {
        "id": result.id,
        "path": result.path,
        "paragraphs": result.paragraphs,
        "changed": result.changed,
        "removed": [_removal_json(r) for r in result.removed],
        "joins": [_join_json(j) for j in result.joins],
        "flags": [_flag_json(f) for f in result.flags],
        "near_copy_of": None
        if near is None
        else {"id": near.id, "similarity": near.similarity, "action": near.action},
        "made_by": result.made_by,
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


RecordWriter = JsonlWriter | ParquetWriter


class PerFileOutput(CleanedOutput):
    """Each input file to its own output: a text file to a text file (in the
    encoding it was read in), a JSONL file to a JSONL file, a Parquet file to a
    Parquet file (with the same columns).  A target whose name ends in
    ``.jsonl`` / ``.jsonl.gz`` or ``.parquet`` is written in that format
    whatever the input; standard output gets JSONL.

    ``target`` names the output of a source (``-``: standard output).  With
    ``only_changed`` (rewriting inputs in place) a file is written only when its
    content changes.  Articles that are near-copies to drop are left out of
    JSONL and Parquet outputs; their text files are not written at all (so in
    place they stay as they were: this module never deletes a file).
    ``sources`` lets :meth:`close` write the (empty) outputs of JSONL and
    Parquet files without records.
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
        self._current: tuple[Source, RecordWriter] | None = None
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
            self._current = (record.source, self._open(record.source, record.schema))
            self._changed = False
        self._changed = self._changed or result.changed
        if not is_dropped(result):
            fields = cleaned_fields(record, result.cleaned, self._text_field, self._id_field)
            self._current[1].write(fields, record.where)

    def _open(self, source: Source, schema: Any) -> RecordWriter:
        target = self._target(source)
        if target != STDIN and not is_jsonl_name(target):
            if is_parquet_name(target) or source.kind == "parquet":
                return ParquetWriter(target, schema, empty_columns=(self._id_field, self._text_field))
        return JsonlWriter(target)

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
            if source.kind in ("jsonl", "parquet") and source not in self._opened:
                target = self._target(source)
                if target != STDIN:
                    schema = parquet_schema(source) if source.kind == "parquet" else None
                    self._open(source, schema).commit()
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
            fields = cleaned_fields(record, result.cleaned, self._text_field, self._id_field)
            self._writer.write(fields, record.where)

    def close(self) -> None:
        self._writer.commit()
        if self._writer.path != STDIN:
            self.written.append(self._writer.path)

    def abort(self) -> None:
        self._writer.discard()


class ParquetOutput(CleanedOutput):
    """Every article into one Parquet file, in input order; near-copies to drop
    are left out.  Its columns are those of the Parquet input read first, if
    no other record came before it; else they are taken from the first records
    (see :class:`ParquetWriter`).  ``sources`` gives an output without records
    the columns of the first Parquet file among them."""

    def __init__(
        self, path: str, *, text_field: str = "text", id_field: str = "id", sources: Sequence[Source] = ()
    ) -> None:
        self._writer = ParquetWriter(path, empty_columns=(id_field, text_field))
        self._text_field = text_field
        self._id_field = id_field
        self._sources = sources
        self.written = []

    def write(self, record: Record, result: Result) -> None:
        if record.schema is not None:
            self._writer.use_schema(record.schema)
        if not is_dropped(result):
            fields = cleaned_fields(record, result.cleaned, self._text_field, self._id_field)
            self._writer.write(fields, record.where)

    def close(self) -> None:
        if self._writer.count == 0:
            first = next((s for s in self._sources if s.kind == "parquet"), None)
            if first is not None:
                self._writer.use_schema(parquet_schema(first))
        self._writer.commit()
        self.written.append(self._writer.path)

    def abort(self) -> None:
        self._writer.discard()
