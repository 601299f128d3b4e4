"""JSON documents: a ``.json`` file holding one array of records, read whole and written back as one.

JSON Lines in a ``.json`` file (what ``datasets``' ``to_json`` writes) is read as
JSONL (:mod:`~dedup.files.sniff` tells them apart).  A file that is one JSON
array of objects is read as records, each like a JSONL line (``text_field`` its
text, ``id_field`` its id, ``<path>:<n>`` with elements counted from 1 when it
has none), and its cleaned copy is again one array.  Any other JSON document
(one object, an array of strings) is refused with the reason, never read as
one text article.
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Iterator, Mapping
from typing import Any

from dedup.errors import DedupError, InputError
from dedup.files.atomic import AtomicFile, CommitOrDiscard
from dedup.files.compression import DECOMPRESSION_ERRORS, read_all
from dedup.files.jsonl import json_bytes, record_of
from dedup.files.reasons import reason
from dedup.files.record import Record
from dedup.files.sources import Source

_NOT_RECORDS = (
    "one JSON {what}, not records: expected JSON Lines (one object per line) or an array of objects"
)


def read_json_array(source: Source, text_field: str, id_field: str) -> Iterator[Record]:
    """The records of a file holding one JSON array of objects (read whole)."""
    path = source.path
    try:
        data = read_all(path)
    except DECOMPRESSION_ERRORS as err:
        raise InputError(f"cannot read: {reason(err)}", path) from None
    return parse_json_array(data, source, text_field, id_field)


def parse_json_array(data: bytes, source: Source, text_field: str, id_field: str) -> Iterator[Record]:
    """The records of ``data``, one JSON array of objects (of a file, or standard input)."""
    path = source.path
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise InputError(f"not valid UTF-8 (byte {err.start + 1})", path) from None
    except json.JSONDecodeError as err:
        raise InputError(f"invalid JSON: {err.msg} (line {err.lineno}, column {err.colno})", path) from None
    if not isinstance(document, list):
        what = "object" if isinstance(document, dict) else "value"
        raise InputError(_NOT_RECORDS.format(what=what), path)
    size = len(data)
    for number, fields in enumerate(document, start=1):
        yield record_of(fields, source, text_field, id_field, number, size * number // len(document))


class JsonArrayWriter(CommitOrDiscard):
    """Streams JSON objects into one JSON array in ``path``, one element per
    line, written atomically (see :class:`~dedup.files.atomic.AtomicFile`)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self.count = 0
        self._atomic = AtomicFile(self.path)

    def write(self, obj: Mapping[str, Any], where: str | None = None) -> None:
        """Write one element; ``where`` names the record it comes from in errors."""
        try:
            element = json_bytes(obj)
        except (TypeError, ValueError) as err:
            self.discard()
            raise DedupError(f"{where or self.path}: cannot write as JSON: {err}") from None
        self._atomic.write((b"[\n" if self.count == 0 else b",\n") + element)
        self.count += 1

    def commit(self) -> None:
        self._atomic.write(b"[]\n" if self.count == 0 else b"\n]\n")
        self._atomic.commit()

    def discard(self) -> None:
        self._atomic.discard()
