"""An article as read from an input (:class:`Record`), and the id it gets.

The readers of every format (:mod:`~dedup.files.decoding` for text,
:mod:`~dedup.files.jsonl`, :mod:`~dedup.files.parquet`) yield records; the
outputs (:mod:`~dedup.files.outputs`) write them back from what a record keeps
of its input: the other fields of its JSONL object or Parquet row, the encoding
of its text file, the schema of its Parquet file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from dedup.errors import InputError
from dedup.files.sources import Source
from dedup.records import Document

RecordKind = Literal["text", "jsonl", "parquet", "html"]


@dataclass(frozen=True, slots=True)
class Record:
    """An article as read, with what is needed to write it back.

    ``fields`` is the whole JSON object of a JSONL record, or the row of a
    Parquet file as a dict, or an HTML page's id, text and metadata (``None``
    for a text file); ``line`` its line number,
    or its row number counted from 1; ``encoding`` the codec a text file was
    decoded with, used again to write its cleaned copy; ``schema`` the Arrow
    schema of a Parquet file, to write its rows back with the same columns.
    ``position`` is how many bytes of the file had been read once the article
    was (for a Parquet file, the share of the file's size its rows so far are
    of all its rows): with :func:`~dedup.files.sources.source_size`, how far the
    input is done.
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


def document_id(
    raw_id: object, noun: str, id_field: str, path: str, number: int, type_name: Callable[[Any], str]
) -> str:
    """The id of a JSONL record or Parquet row: its id field (column), or ``path:number``.

    ``noun`` ("field" or "column") and ``type_name`` (what to call the type of a
    bad id) let the error speak the input's own terms."""
    if raw_id is None:
        return f"{path}:{number}"
    if isinstance(raw_id, str):
        return raw_id
    if isinstance(raw_id, int) and not isinstance(raw_id, bool):
        return str(raw_id)
    raise InputError(
        f"{noun} {id_field!r} must be a string or an integer, got {type_name(raw_id)}", path, number
    )
