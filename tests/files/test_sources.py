"""``dedup.files.sources``: which files a run reads, and in which order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dedup.errors import InputError
from dedup.files.readers import read_documents
from dedup.files.sources import discover


def test_directory_order_and_filters(tmp_path: Path) -> None:
    for name in (
        "b.txt",
        "a.md",
        "sub/z.jsonl",
        "sub/a.txt",
        "a/x.jsonl.gz",
        ".hid/x.txt",
        ".x.txt",
        "c.csv",
    ):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")
    found = [(s.relative, s.kind) for s in discover([tmp_path])]
    assert found == [
        (os.path.join("a", "x.jsonl.gz"), "jsonl"),
        ("a.md", "text"),
        ("b.txt", "text"),
        (os.path.join("sub", "a.txt"), "text"),
        (os.path.join("sub", "z.jsonl"), "jsonl"),
    ]
    assert [s.relative for s in discover([tmp_path], "jsonl")] == [
        os.path.join("a", "x.jsonl.gz"),
        os.path.join("sub", "z.jsonl"),
    ]


def test_a_file_reached_twice_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("正文。", "utf-8")
    sources = discover([tmp_path / "a.txt", tmp_path, tmp_path / "a.txt"])
    assert [s.path for s in sources] == [str(tmp_path / "a.txt")]


def test_named_files_follow_input_format(tmp_path: Path) -> None:
    (tmp_path / "x.jsonl").write_text('{"text": "a"}\n', "utf-8")
    (tmp_path / "rows.ndjson").write_text('{"text": "b"}\n', "utf-8")
    assert discover([tmp_path / "x.jsonl"])[0].kind == "jsonl"
    assert discover([tmp_path / "x.jsonl"], "text")[0].kind == "text"
    assert discover([tmp_path / "rows.ndjson"])[0].kind == "jsonl"
    docs = list(read_documents([tmp_path / "rows.ndjson"], input_format="jsonl"))
    assert [(d.id, d.text) for d in docs] == [(f"{tmp_path / 'rows.ndjson'}:1", "b")]


def test_missing_path() -> None:
    with pytest.raises(InputError) as info:
        discover(["does/not/exist.txt"])
    assert str(info.value) == "does/not/exist.txt: no such file or directory"
    assert info.value.path == "does/not/exist.txt"
