"""Parquet: articles read one per row, a batch of rows at a time, and rows written back.

A row is an article (its ``text_field`` column the text, its ``id_field`` column
the id); every other column is kept with the record, and a Parquet file written
from Parquet rows gets the columns, types and order of the file they came from.
pyarrow is an optional dependency (``dedup[parquet]``), imported only when a
Parquet file is met, so that runs without one (and ``dedup --help``) never pay
for it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import suppress
from typing import Any

from dedup.errors import DedupError, InputError
from dedup.files.atomic import AtomicFile, CommitOrDiscard
from dedup.files.reasons import reason
from dedup.files.record import Record, document_id
from dedup.files.sources import Source, source_size
from dedup.records import Document

#: rows of a Parquet file read, and written, at a time
PARQUET_BATCH = 1024


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


def open_parquet(path: str) -> Any:
    """A ``pyarrow.parquet.ParquetFile`` (a context manager); InputError when it cannot be opened."""
    pq = _pyarrow_parquet("reading")
    import pyarrow

    try:
        return pq.ParquetFile(path)
    except (OSError, pyarrow.ArrowException) as err:
        raise InputError(f"cannot read Parquet: {reason(err)}", path) from None


def parquet_schema(source: Source) -> Any:
    """The Arrow schema of a Parquet file (from its footer)."""
    with open_parquet(source.path) as parquet:
        return parquet.schema_arrow


def parquet_row_count(source: Source) -> int:
    """How many rows a Parquet file holds (from its footer)."""
    with open_parquet(source.path) as parquet:
        count: int = parquet.metadata.num_rows
        return count


# --------------------------------------------------------------------------- reading


def read_parquet(source: Source, text_field: str, id_field: str) -> Iterator[Record]:
    """The rows of a Parquet file, :data:`PARQUET_BATCH` rows at a time."""
    import pyarrow

    path = source.path
    size = source_size(source) or 0
    number = 0
    with open_parquet(path) as parquet:
        schema = parquet.schema_arrow
        _check_columns(schema, text_field, path)
        total = max(parquet.metadata.num_rows, 1)
        to_document = _row_document(schema, text_field, id_field, path)
        try:
            for batch in parquet.iter_batches(batch_size=PARQUET_BATCH):
                for fields in _parquet_rows(batch, path, number + 1):
                    number += 1
                    yield Record(
                        to_document(fields, number),
                        source,
                        "parquet",
                        number,
                        fields,
                        position=size * number // total,
                        schema=schema,
                    )
        except (OSError, pyarrow.ArrowException) as err:
            raise InputError(f"cannot read Parquet: {reason(err)}", path, number + 1) from None


def _check_columns(schema: Any, text_field: str, path: str) -> None:
    """InputError unless every column name is unique and the text column is there."""
    repeated = sorted({name for name in schema.names if schema.names.count(name) > 1})
    if repeated:
        raise InputError(f"column {repeated[0]!r} appears more than once", path)
    if text_field not in schema.names:
        raise InputError(f"no {text_field!r} column", path)


def _row_document(
    schema: Any, text_field: str, id_field: str, path: str
) -> Callable[[Mapping[str, Any], int], Document]:
    """What turns row ``number`` (a dict) into a Document; a bad text or id is an
    InputError naming the row and the column's type."""
    text_type = str(schema.field(text_field).type)
    id_type = str(schema.field(id_field).type) if id_field in schema.names else "null"

    def id_type_name(value: object) -> str:
        return id_type

    def to_document(fields: Mapping[str, Any], number: int) -> Document:
        text = fields[text_field]
        if not isinstance(text, str):
            got = "null" if text is None else text_type
            raise InputError(f"column {text_field!r} must be a string, got {got}", path, number)
        doc_id = document_id(fields.get(id_field), "column", id_field, path, number, id_type_name)
        return Document(doc_id, text, path)

    return to_document


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
                raise InputError(f"cannot read Parquet: {reason(err)}", path, first + offset) from None
        raise InputError("cannot read Parquet: a value does not convert", path, first) from None


# --------------------------------------------------------------------------- writing


class ParquetWriter(CommitOrDiscard):
    """Streams records (dicts, as :class:`~dedup.files.jsonl.JsonlWriter` takes
    them) to a Parquet file, :data:`PARQUET_BATCH` rows to a row group;
    atomically, as :class:`~dedup.files.atomic.AtomicFile`.

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
        """Write the buffered rows as one row group (the first fixes the file's columns)."""
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
            raise DedupError(f"{self.path}: cannot write: {reason(err)}") from None

    def _batch(self, pa: Any) -> Any:
        """The buffered rows as an Arrow record batch with the file's columns."""
        if self._schema is None:
            names = list(dict.fromkeys(name for row in self._rows for name in row))
            arrays = [self._column(pa, name, None, True) for name in names]
            return pa.RecordBatch.from_arrays(arrays, names=names)
        self._check_fields()
        arrays = [self._column(pa, f.name, f.type, f.nullable) for f in self._schema]
        return pa.RecordBatch.from_arrays(arrays, schema=self._schema)

    def _check_fields(self) -> None:
        """DedupError naming the first buffered record with a field that is not a column."""
        columns = set(self._schema.names)
        for row, where in zip(self._rows, self._wheres, strict=True):
            for name in row:
                if name not in columns:
                    raise DedupError(
                        f"{where or self.path}: field {name!r} is not a column of {self.path} "
                        f"(its columns: {', '.join(self._schema.names)})"
                    )

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
        return DedupError(f"{where or self.path}: field {name!r} does not fit {what}: {reason(error)}")

    def commit(self) -> None:
        import pyarrow

        if self._done:
            return
        self._flush()
        self._done = True
        try:
            if self._writer is None:
                self._writer = self._pq.ParquetWriter(self._atomic.file, self._schema_of_empty_file(pyarrow))
            self._writer.close()
        except (OSError, pyarrow.ArrowException) as err:
            self.discard()
            raise DedupError(f"{self.path}: cannot write: {reason(err)}") from None
        self._atomic.commit()

    def _schema_of_empty_file(self, pa: Any) -> Any:
        """The columns of a file without records: those given, else ``empty_columns`` as strings."""
        if self._schema is not None:
            return self._schema
        return pa.schema([(name, pa.string()) for name in self._empty_columns])

    def discard(self) -> None:
        if self._writer is not None and not self._done:
            with suppress(Exception):
                self._writer.close()
        self._done = True
        self._rows.clear()
        self._atomic.discard()
