"""The articles of a run's inputs, in order, whatever their format.

:func:`read_records` hands each :class:`~dedup.files.sources.Source` to the
reader of its format (:mod:`~dedup.files.decoding` for text files,
:mod:`~dedup.files.jsonl`, :mod:`~dedup.files.parquet`) and tells what standard
input holds from its first bytes.  Readers stream: a JSONL file is read a line at
a time and a Parquet file a batch of rows at a time, so a corpus of any size
needs the memory of one article (or one batch), not of the corpus.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import IO

from dedup.errors import DedupError, InputError
from dedup.files.compression import DECOMPRESSION_ERRORS, decompressed
from dedup.files.decoding import read_text_file, text_record
from dedup.files.html import html_record, read_html
from dedup.files.json_array import parse_json_array, read_json_array
from dedup.files.jsonl import counted, parse_jsonl, read_jsonl
from dedup.files.parquet import parquet_row_count, read_parquet
from dedup.files.reasons import reason
from dedup.files.record import Record
from dedup.files.sniff import kind_of_bytes, needs_more
from dedup.files.sources import InputFormat, Source, discover
from dedup.records import Document

_PARQUET_STDIN = "Parquet cannot be read from standard input (it is read from its end): name the file"


def read_records(
    sources: Iterable[Source],
    text_field: str = "text",
    id_field: str = "id",
    input_format: InputFormat = "auto",
    stdin: IO[bytes] | None = None,
    *,
    encoding: str | None = None,
    skip: Callable[[Source, InputError], None] | None = None,
) -> Iterator[Record]:
    """The articles of ``sources``, streamed in order.

    A text file is one article whose id is its path; a JSONL line is one
    article (``text_field`` its text, ``id_field`` its id, ``<path>:<line>``
    when it has none), and so is a Parquet row (columns ``text_field`` and
    ``id_field``, ``<path>:<row>`` with rows counted from 1), read a batch of
    :data:`~dedup.files.parquet.PARQUET_BATCH` rows at a time.  Standard input
    is JSONL when ``input_format`` says so, or when it is ``auto`` and the first
    non-blank character is ``{``; otherwise it is one article with id ``-``.
    ``encoding`` forces the encoding of text files (else it is detected, see
    :mod:`~dedup.files.decoding`).

    With ``skip``, an input that fails before its first article (a text file
    that cannot be read or decoded, a JSONL or Parquet file that cannot be
    opened or whose first record is bad) is handed to it and the run goes on;
    an error after a file's first article still raises, since its earlier
    articles have already been compared with the rest.
    """
    for source in sources:
        started = False
        try:
            for record in _read_source(source, text_field, id_field, input_format, stdin, encoding):
                started = True
                yield record
        except InputError as err:
            if skip is None or started:
                raise
            skip(source, err)


def _read_source(
    source: Source,
    text_field: str,
    id_field: str,
    input_format: InputFormat,
    stdin: IO[bytes] | None,
    encoding: str | None,
) -> Iterator[Record]:
    if source.kind == "stdin":
        stream = stdin if stdin is not None else sys.stdin.buffer
        yield from _read_stdin(source, input_format, text_field, id_field, stream, encoding)
    elif source.kind == "jsonl":
        yield from read_jsonl(source, text_field, id_field)
    elif source.kind == "json":
        yield from read_json_array(source, text_field, id_field)
    elif source.kind == "parquet":
        yield from read_parquet(source, text_field, id_field)
    elif source.kind == "html":
        yield read_html(source, text_field, id_field)
    else:
        yield read_text_file(source, encoding)


def read_documents(
    paths: Iterable[str | os.PathLike[str]],
    text_field: str = "text",
    id_field: str = "id",
    input_format: InputFormat = "auto",
) -> Iterator[Document]:
    """The documents under ``paths`` in a fixed order (see :func:`~dedup.files.sources.discover`
    and :func:`read_records`); ready for :func:`dedup.clean`."""
    sources = discover(paths, input_format)
    for record in read_records(sources, text_field, id_field, input_format):
        yield record.document


def article_count(sources: Iterable[Source]) -> int | None:
    """How many articles ``sources`` hold, when that is known without reading
    them: one per text file, the rows of a Parquet file (from its metadata).
    None when a JSONL file or standard input is among them, or a Parquet file's
    metadata cannot be read (reading it will say why)."""
    count = 0
    for source in sources:
        if source.kind in ("text", "html"):
            count += 1
        elif source.kind == "parquet":
            try:
                count += parquet_row_count(source)
            except DedupError:
                return None
        else:
            return None
    return count


def _read_stdin(
    source: Source,
    input_format: InputFormat,
    text_field: str,
    id_field: str,
    stream: IO[bytes],
    encoding: str | None = None,
) -> Iterator[Record]:
    """Standard input (decompressed when its first bytes say it is compressed) as
    ``input_format`` says, or (``auto``) as its first non-blank line looks."""
    if input_format == "parquet":
        raise InputError(_PARQUET_STDIN, source.path)
    try:
        yield from _read_stream(source, input_format, text_field, id_field, decompressed(stream), encoding)
    except DECOMPRESSION_ERRORS as err:
        raise InputError(f"cannot read: {reason(err)}", source.path) from None


def _read_stream(
    source: Source,
    input_format: InputFormat,
    text_field: str,
    id_field: str,
    stream: IO[bytes],
    encoding: str | None,
) -> Iterator[Record]:
    head: list[bytes] = []
    looks: str = input_format
    if input_format == "auto":
        head = _head(stream)
        looks = kind_of_bytes(b"".join(head))
        if looks == "parquet":
            raise InputError(_PARQUET_STDIN, source.path)
    if looks in ("json", "json-object"):
        yield from parse_json_array(b"".join(head) + stream.read(), source, text_field, id_field)
        return
    if looks in ("text", "html"):
        data = b"".join(head) + stream.read()
        if looks == "html":
            yield html_record(data, source, len(data), text_field, id_field)
        else:
            yield text_record(data, source, len(data), encoding)
        return
    yield from parse_jsonl(counted(itertools.chain(head, stream)), source, text_field, id_field)


def _head(stream: IO[bytes]) -> list[bytes]:
    """The lines of ``stream`` up to its first non-blank one, or the one after a
    lone bracket (all of it when it is blank)."""
    head: list[bytes] = []
    for line in stream:
        head.append(line)
        if not needs_more(b"".join(head)):
            break
    return head
