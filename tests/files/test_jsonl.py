"""``dedup.files.jsonl``: JSON lines out."""

from __future__ import annotations

from pathlib import Path

from dedup.files.jsonl import JsonlWriter


def test_jsonl_writer_escapes_lone_surrogates(tmp_path: Path) -> None:
    with JsonlWriter(tmp_path / "x.jsonl") as writer:
        writer.write({"text": "正文\ud800"})
        writer.write({"text": "正文"})
    assert (
        tmp_path / "x.jsonl"
    ).read_bytes() == b'{"text": "\\u6b63\\u6587\\ud800"}\n{"text": "\xe6\xad\xa3\xe6\x96\x87"}\n'
