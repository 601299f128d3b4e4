"""What a file holds, from its name and, where the name does not settle it, its first bytes.

``.jsonl`` / ``.ndjson`` is JSONL, ``.parquet`` Parquet, ``.html`` / ``.htm`` an
HTML page, ``.txt`` / ``.md`` / ``.text`` text (case-insensitive, after any
compression suffix: ``a.JSONL.zst`` is JSONL).  A ``.json`` file, or a file
named directly whose suffix says nothing, is read by content: Parquet's magic
bytes, a first line that is a JSON object (JSON Lines, as ``datasets``'
``to_json`` writes them), a JSON array (``[``), an HTML document, else text.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import IO, Literal

from dedup.files.compression import DECOMPRESSION_ERRORS, inner_name, open_read

#: what a file holds; ``json`` is one JSON document (an array of records, or refused)
FileKind = Literal["text", "jsonl", "json", "parquet", "html"]
#: what a file's content says: a kind, or one JSON object (a document, not records)
ContentKind = FileKind | Literal["json-object"]

TEXT_SUFFIXES = (".txt", ".md", ".text")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
JSON_SUFFIXES = (".json",)
PARQUET_SUFFIXES = (".parquet",)
HTML_SUFFIXES = (".html", ".htm")

_ARRAY_START = re.compile(rb"\[\s*[{\]]")
_OBJECT_START = re.compile(rb'\{\s*["}]')

#: the most bytes read to tell a file's kind by content
_LONGEST_LINE = 1 << 26


def kind_of_name(path: str) -> FileKind | Literal["json?"] | None:
    """The kind a file's name says (``json?``: a ``.json`` file, read by content), or None."""
    name = inner_name(path).lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    if name.endswith(HTML_SUFFIXES):
        return "html"
    if name.endswith(TEXT_SUFFIXES):
        return "text"
    if name.endswith(JSON_SUFFIXES):
        return "json?"
    return None


def kind_of_file(path: str) -> ContentKind:
    """The kind of a file: by its name when that settles it, else by its first bytes.
    A file that cannot be read is called text here; reading it says why."""
    by_name = kind_of_name(path)
    if by_name is not None and by_name != "json?":
        return by_name
    try:
        stream, raw = open_read(path)
        with raw, stream:
            head = _first_line(stream)
    except DECOMPRESSION_ERRORS:
        return "text"
    return kind_of_bytes(head)


def _first_line(stream: IO[bytes]) -> bytes:
    """The bytes of ``stream`` up to the end of its first non-blank line (the
    second after a lone bracket; at most :data:`_LONGEST_LINE` of them): a JSON
    Lines record is one (long) line."""
    head = b""
    while len(head) < _LONGEST_LINE:
        line = stream.readline(_LONGEST_LINE)
        head += line
        if not line or not needs_more(head):
            break
    return head


def needs_more(head: bytes) -> bool:
    """Whether the first lines ``head`` are too few to tell what follows: blank
    so far, or a lone bracket opening a pretty-printed JSON document."""
    return head.strip().removeprefix(codecs.BOM_UTF8).strip() in (b"", b"[", b"{")


def kind_of_bytes(head: bytes) -> ContentKind:
    """What a file (or standard input) whose first bytes are ``head`` holds."""
    if head.startswith(b"PAR1"):
        return "parquet"
    first = head.lstrip()
    if first.startswith(codecs.BOM_UTF8):
        first = first[len(codecs.BOM_UTF8) :].lstrip()
    # an article may well open with a bracket ([图片], {专题}): JSON must look like JSON
    if _ARRAY_START.match(first):
        return "json"
    if _OBJECT_START.match(first):
        line = first.split(b"\n", 1)[0]
        try:
            is_object = isinstance(json.loads(line), dict)
        except (json.JSONDecodeError, UnicodeDecodeError):
            is_object = False
        # one object over several lines is one JSON document, not JSON Lines
        return "jsonl" if is_object else "json-object"
    lowered = first[:64].lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"
