"""``dedup.files.jsonl``: JSON lines out."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup.errors import InputError
from dedup.files.jsonl import JsonlWriter, counted, parse_jsonl
from dedup.files.sources import Source


def test_jsonl_writer_escapes_lone_surrogates(tmp_path: Path) -> None:
    with JsonlWriter(tmp_path / "x.jsonl") as writer:
        writer.write({"text": "正文\ud800"})
        writer.write({"text": "正文"})
    assert (
        tmp_path / "x.jsonl"
    ).read_bytes() == b'{"text": "\\u6b63\\u6587\\ud800"}\n{"text": "\xe6\xad\xa3\xe6\x96\x87"}\n'


def test_error_at_the_end_of_a_line_names_its_column() -> None:
    """The line ending is not part of the JSON: an error at the line's end is at its last column + 1."""
    line = b'{"id": "a", "text": "abcdef"\n'
    source = Source("in.jsonl", "jsonl", "in.jsonl", "in.jsonl")
    with pytest.raises(InputError, match=r"^in\.jsonl:1: invalid JSON: .* \(column 29\)$"):
        list(parse_jsonl(counted([line]), source, "text", "id"))
    with pytest.raises(InputError, match=r"\(column 29\)$"):
        list(parse_jsonl(counted([line.replace(b"\n", b"\r\n")]), source, "text", "id"))
