"""``dedup.files.sniff``: what a file holds, from its name or its first line."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from dedup.files.sniff import kind_of_bytes, kind_of_file, kind_of_name


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b'{"text": "a"}\n{"text": "b"}\n', "jsonl"),
        (b'\xef\xbb\xbf\n  {"id": 1, "text": "a"}\n', "jsonl"),
        (b'[\n  {"text": "a"}\n]\n', "json"),
        (b"[]", "json"),
        (b'{\n  "text": "a"\n}\n', "json-object"),
        (b"PAR1\x15\x04", "parquet"),
        (b"<!DOCTYPE html>\n<html>", "html"),
        (b"  <html lang='zh'>", "html"),
        ("[图片]记者 张三 摄\n正文。".encode(), "text"),
        ("{专题}两会\n正文。".encode(), "text"),
        ("标题\n\n正文。".encode(), "text"),
    ],
)
def test_kind_of_bytes(head: bytes, kind: str) -> None:
    assert kind_of_bytes(head) == kind


def test_names_settle_it_case_insensitively_after_compression() -> None:
    assert kind_of_name("a.JSONL.zst") == "jsonl"
    assert kind_of_name("a.ndjson") == "jsonl"
    assert kind_of_name("a.Htm.gz") == "html"
    assert kind_of_name("a.TEXT") == "text"
    assert kind_of_name("a.json") == "json?"
    assert kind_of_name("a.csv") is None


def test_a_long_first_record_is_still_json_lines(tmp_path: Path) -> None:
    line = b'{"text": "' + "长".encode() * 200_000 + b'"}\n'
    (tmp_path / "rows.json.gz").write_bytes(gzip.compress(line * 2))
    assert kind_of_file(str(tmp_path / "rows.json.gz")) == "jsonl"
