"""Where cleaned articles go: the output strategies of ``dedup clean``.

:class:`PerFileOutput` mirrors each input file to an output file of its own
(rewriting in place is the case where the target is the input),
:class:`JsonlOutput` and :class:`ParquetOutput` gather every article into one
file.  All of them leave out the near-copies a run drops, and write through the
atomic writers, so an interrupted run leaves every output as it was or complete.
Nothing here deletes an input or a finished output.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from dedup.errors import DedupError
from dedup.files.atomic import atomic_write, write_stdout
from dedup.files.json_array import JsonArrayWriter
from dedup.files.jsonl import JsonlWriter
from dedup.files.parquet import ParquetWriter, parquet_schema
from dedup.files.record import Record
from dedup.files.sources import STDIN, Source, is_jsonl_name, is_parquet_name
from dedup.records import Result


def is_dropped(result: Result, min_body_chars: int = 0) -> bool:
    """Whether the article is left out: a near-copy of an earlier one to drop, or
    (``min_body_chars``) left with less body than that (see :attr:`Result.body_chars`)."""
    if result.near_copy_of is not None and result.near_copy_of.action == "drop":
        return True
    return min_body_chars > 0 and result.body_chars < min_body_chars


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
    """Where cleaned articles go; see the implementations below."""

    #: files written (replaced) so far
    written: list[str]
    #: articles left with less body than this are left out (0: none)
    min_body_chars: int = 0

    def write(self, record: Record, result: Result) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Finish every output (commit pending files)."""

    def leave_out(self, source: Source) -> None:
        """``source`` was skipped (it could not be read): it gets no output of its own."""

    def abort(self) -> None:
        """Drop outputs still being written; files already complete stay."""


RecordWriter = JsonlWriter | JsonArrayWriter | ParquetWriter


class PerFileOutput(CleanedOutput):
    """Each input file to its own output: a text file to a text file (in the
    encoding it was read in), an HTML page to the text of its article, a JSONL
    file to a JSONL file, a JSON array to a JSON array, a Parquet file to a
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
        min_body_chars: int = 0,
    ) -> None:
        self.min_body_chars = min_body_chars
        self._target = target
        self._text_field = text_field
        self._id_field = id_field
        self._only_changed = only_changed
        self._sources = sources
        self._opened: set[Source] = set()
        self._left_out: set[Source] = set()
        self._current: tuple[Source, RecordWriter] | None = None
        self._changed = False
        self.written = []

    def write(self, record: Record, result: Result) -> None:
        if record.kind in ("text", "html"):
            self._finish()
            self._write_text(record, result)
            return
        if self._current is None or self._current[0] != record.source:
            self._finish()
            self._opened.add(record.source)
            self._current = (record.source, self._open(record.source, record.schema))
            self._changed = False
        self._changed = self._changed or result.changed
        if not is_dropped(result, self.min_body_chars):
            fields = cleaned_fields(record, result.cleaned, self._text_field, self._id_field)
            self._current[1].write(fields, record.where)

    def _write_text(self, record: Record, result: Result) -> None:
        """A text file's cleaned copy, whole, in the encoding it was read in."""
        if is_dropped(result, self.min_body_chars) or (self._only_changed and not result.changed):
            return
        target = self._target(record.source)
        data = encode_text(record, result.cleaned)
        if target == STDIN:
            write_stdout(data, flush=True)
        else:
            atomic_write(target, data)
            self.written.append(target)

    def _open(self, source: Source, schema: Any) -> RecordWriter:
        """The writer of a JSONL or Parquet source's output, in the format its target's name asks for."""
        target = self._target(source)
        if target != STDIN and not is_jsonl_name(target):
            if is_parquet_name(target) or source.kind == "parquet":
                return ParquetWriter(target, schema, empty_columns=(self._id_field, self._text_field))
            if source.kind == "json":
                return JsonArrayWriter(target)
        return JsonlWriter(target)

    def _finish(self) -> None:
        """Commit the output of the file being written (discard it when in place and unchanged)."""
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
        if not self._only_changed:
            self._write_empty_outputs()

    def _write_empty_outputs(self) -> None:
        """The outputs of JSONL and Parquet sources that held no record (a Parquet
        one keeps its source's columns)."""
        for source in self._sources:
            if source.kind in ("jsonl", "json", "parquet") and source not in self._opened | self._left_out:
                target = self._target(source)
                if target != STDIN:
                    schema = parquet_schema(source) if source.kind == "parquet" else None
                    self._open(source, schema).commit()
                    self.written.append(target)

    def leave_out(self, source: Source) -> None:
        self._left_out.add(source)

    def abort(self) -> None:
        if self._current is not None:
            self._current[1].discard()
            self._current = None


class JsonlOutput(CleanedOutput):
    """Every article into one JSONL stream (a file, or ``-`` for standard
    output), in input order; near-copies to drop are left out."""

    def __init__(
        self, path: str, *, text_field: str = "text", id_field: str = "id", min_body_chars: int = 0
    ) -> None:
        self.min_body_chars = min_body_chars
        self._writer = JsonlWriter(path)
        self._text_field = text_field
        self._id_field = id_field
        self.written = []

    def write(self, record: Record, result: Result) -> None:
        if not is_dropped(result, self.min_body_chars):
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
    (see :class:`~dedup.files.parquet.ParquetWriter`).  ``sources`` gives an
    output without records the columns of the first Parquet file among them."""

    def __init__(
        self,
        path: str,
        *,
        text_field: str = "text",
        id_field: str = "id",
        sources: Sequence[Source] = (),
        min_body_chars: int = 0,
    ) -> None:
        self.min_body_chars = min_body_chars
        self._writer = ParquetWriter(path, empty_columns=(id_field, text_field))
        self._text_field = text_field
        self._id_field = id_field
        self._sources = sources
        self.written = []

    def write(self, record: Record, result: Result) -> None:
        if record.schema is not None:
            self._writer.use_schema(record.schema)
        if not is_dropped(result, self.min_body_chars):
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
