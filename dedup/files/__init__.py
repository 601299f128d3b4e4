"""Reading inputs and writing outputs: the layer of dedup that touches the files of a run.

Inputs are text files (one article each), directories of them, JSONL files (one
article per line; a JSON array of records too), Parquet files (one article per
row), HTML pages (one article each) and standard input, any of them compressed.
:func:`discover` turns the paths a user gave into :class:`Source` files in a
fixed order, :func:`read_records` streams the articles in them as :class:`Record`
values (a :class:`~dedup.records.Document` plus what is needed to write it back:
the other fields of its JSONL object or Parquet row, the text encoding of its
file), and the writers put cleaned copies and reports on disk.  Parquet needs
pyarrow (``dedup[parquet]``), imported only when a Parquet file is met.

Every file is written atomically: to a temporary file in the target's directory
that replaces the target only once it is complete, so an interrupted run never
leaves a half-written output.  This layer never prints and never exits; what
goes wrong is raised as :class:`~dedup.errors.InputError` (an input cannot be read
or parsed) or :class:`~dedup.errors.DedupError` (an output cannot be written).

One module per job::

    sources    which files a run reads, in which order, and which it skips (discover_all)
    sniff      what a file holds, from its name or its first line
    compression  gzip, Zstandard, bzip2, xz: read by magic bytes, written by suffix
    record     an article as read (Record) and the id it gets
    readers    read_records / read_documents: every format, in order; standard input
    decoding   text files: bytes to text in whatever encoding they were saved in
    jsonl      JSONL records in, JSON lines out (JsonlWriter, json_bytes)
    json_array a JSON array of records in, and out (JsonArrayWriter)
    html       scraped HTML pages: the article's paragraphs and metadata (trafilatura)
    parquet    Parquet rows in, a batch at a time, and out (ParquetWriter)
    atomic     files that appear complete or not at all (AtomicFile, atomic_write)
    report     the report schema (result_to_json)
    outputs    where cleaned articles go (PerFileOutput, JsonlOutput, ParquetOutput)
    reasons    the reason an OS or Arrow error gives, for one-line messages

The names below are the layer's public face, importable from ``dedup.files`` (what the
commands and the pre-commit check use); the rest is importable from its module.
"""

from __future__ import annotations

from dedup.files.atomic import AtomicFile, atomic_write, discard_pending, stdout_bytes, write_stdout
from dedup.files.decoding import decode_text
from dedup.files.html import extract_article, need_trafilatura
from dedup.files.jsonl import JsonlWriter, json_bytes
from dedup.files.outputs import CleanedOutput, JsonlOutput, ParquetOutput, PerFileOutput, cleaned_fields
from dedup.files.parquet import ParquetWriter, need_pyarrow
from dedup.files.readers import article_count, read_documents, read_records
from dedup.files.record import Record
from dedup.files.report import result_to_json
from dedup.files.sources import (
    STDIN,
    Discovery,
    InputFormat,
    Skipped,
    Source,
    discover,
    discover_all,
    is_jsonl_name,
    is_parquet_name,
    source_size,
    text_name,
)

__all__ = [
    "STDIN",
    "AtomicFile",
    "CleanedOutput",
    "Discovery",
    "InputFormat",
    "JsonlOutput",
    "JsonlWriter",
    "ParquetOutput",
    "ParquetWriter",
    "PerFileOutput",
    "Record",
    "Skipped",
    "Source",
    "article_count",
    "atomic_write",
    "cleaned_fields",
    "decode_text",
    "discard_pending",
    "discover",
    "discover_all",
    "extract_article",
    "is_jsonl_name",
    "is_parquet_name",
    "json_bytes",
    "need_pyarrow",
    "need_trafilatura",
    "read_documents",
    "read_records",
    "result_to_json",
    "source_size",
    "stdout_bytes",
    "text_name",
    "write_stdout",
]
