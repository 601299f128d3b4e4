"""JSONL: articles read one per line of a (compressed) file, objects written one per line.

A line is a JSON object; its ``text_field`` is the article's text and its
``id_field`` its id.  Every other field is kept with the record and written back
unchanged around the cleaned text.  Reports are JSONL too (see
:mod:`~dedup.files.report`), written with the same :func:`json_line`.
"""

from __future__ import annotations

import base64
import codecs
import datetime
import decimal
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from dedup.errors import DedupError, InputError
from dedup.files.atomic import AtomicFile, CommitOrDiscard, write_stdout
from dedup.files.compression import DECOMPRESSION_ERRORS, blocks_ahead, open_read
from dedup.files.reasons import reason
from dedup.files.record import Record, document_id
from dedup.files.sources import STDIN, Source
from dedup.records import Document

# --------------------------------------------------------------------------- reading


def read_jsonl(source: Source, text_field: str, id_field: str) -> Iterator[Record]:
    """The articles of a JSONL file (decompressed when it is gzip, Zstandard, bzip2 or xz)."""
    return parse_jsonl(_lines(source.path), source, text_field, id_field)


def _lines(path: str) -> Iterator[tuple[bytes, int]]:
    """The raw lines of a (possibly compressed) file, each with how many bytes of
    the file have been read once it is (of a compressed file: compressed bytes,
    read ahead a block at a time); read errors name the file."""
    try:
        stream, raw = open_read(path)
        with raw, stream:
            if stream is raw:
                yield from counted(raw)
            else:
                yield from _split_lines(blocks_ahead(stream, raw))
    except DECOMPRESSION_ERRORS as err:
        raise InputError(f"cannot read: {reason(err)}", path) from None


def _split_lines(blocks: Iterable[tuple[bytes, int]]) -> Iterator[tuple[bytes, int]]:
    """The lines of ``blocks`` (each ending in a line feed, but perhaps the last), each with
    the position of the block it ends in."""
    rest = b""
    position = 0
    for block, position in blocks:
        lines = (rest + block).split(b"\n") if rest else block.split(b"\n")
        rest = lines.pop()
        for line in lines:
            yield line + b"\n", position
    if rest:
        yield rest, position


def counted(lines: Iterable[bytes]) -> Iterator[tuple[bytes, int]]:
    """Each line with the number of bytes up to its end."""
    position = 0
    for line in lines:
        position += len(line)
        yield line, position


_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}


def _json_type(value: object) -> str:
    return _JSON_TYPES.get(type(value), "a number")


def parse_jsonl(
    lines: Iterable[tuple[bytes, int]], source: Source, text_field: str, id_field: str
) -> Iterator[Record]:
    """The articles of JSONL ``lines`` (each with its position, see :func:`counted`);
    blank lines are skipped, and any other line that is not an object with a
    string ``text_field`` is an InputError naming its line."""
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
            # without its line ending, an error at the line's end is placed on this line
            fields = json.loads(line.rstrip("\r\n"))
        except json.JSONDecodeError as err:
            raise InputError(f"invalid JSON: {err.msg} (column {err.colno})", path, number) from None
        yield record_of(fields, source, text_field, id_field, number, position)


def record_of(
    fields: object, source: Source, text_field: str, id_field: str, number: int, position: int
) -> Record:
    """The article of one JSON value (line ``number`` of a JSONL file, or element of a
    JSON array): an object with a string ``text_field``, else an InputError naming it."""
    path = source.path
    if not isinstance(fields, dict):
        raise InputError(f"expected a JSON object, got {_json_type(fields)}", path, number)
    if text_field not in fields:
        raise InputError(f"no {text_field!r} field", path, number)
    text = fields[text_field]
    if not isinstance(text, str):
        raise InputError(f"field {text_field!r} must be a string, got {_json_type(text)}", path, number)
    doc_id = document_id(fields.get(id_field), "field", id_field, path, number, _json_type)
    return Record(Document(doc_id, text, path), source, "jsonl", number, fields, position=position)


# --------------------------------------------------------------------------- writing


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


#: ``json.dumps(obj, ensure_ascii=..., default=_json_default)``, made once: ``dumps`` with a
#: ``default`` makes a new encoder for every call (a line per article)
_AS_IS = json.JSONEncoder(ensure_ascii=False, default=_json_default)
_ESCAPED = json.JSONEncoder(default=_json_default)


def json_bytes(obj: Any) -> bytes:
    """``obj`` as UTF-8 JSON with non-ASCII characters as they are.  Strings
    holding lone surrogates (valid JSON escapes, but not UTF-8) are escaped."""
    try:
        return _AS_IS.encode(obj).encode("utf-8")
    except UnicodeEncodeError:
        return _ESCAPED.encode(obj).encode("ascii")


def json_line(obj: Mapping[str, Any]) -> bytes:
    """One JSONL line (see :func:`json_bytes`)."""
    return json_bytes(obj) + b"\n"


class JsonlWriter(CommitOrDiscard):
    """Streams JSON objects, one per line, to ``path`` (``-``: standard output).

    A file is written atomically (see :class:`~dedup.files.atomic.AtomicFile`): it
    appears, complete, on :meth:`commit` or when the ``with`` block ends without
    an error.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self.count = 0
        self._atomic = None if self.path == STDIN else AtomicFile(self.path)

    def write(self, obj: Mapping[str, Any], where: str | None = None) -> bytes:
        """Write one object; ``where`` names the record it comes from in errors.  Returns the
        line written."""
        try:
            line = json_line(obj)
        except (TypeError, ValueError) as err:
            self.discard()
            raise DedupError(f"{where or self.path}: cannot write as JSON: {err}") from None
        if self._atomic is None:
            write_stdout(line)
        else:
            self._atomic.write(line)
        self.count += 1
        return line

    def commit(self) -> None:
        if self._atomic is None:
            write_stdout(b"", flush=True)
        else:
            self._atomic.commit()

    def discard(self) -> None:
        if self._atomic is not None:
            self._atomic.discard()
