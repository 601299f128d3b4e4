"""``dedup.files.readers``: every format read in order, ids, kept fields, standard input sniffed."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from dedup.errors import InputError
from dedup.files.outputs import cleaned_fields
from dedup.files.readers import read_documents, read_records
from dedup.files.sources import discover


def test_read_documents_ids_and_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("甲。", "utf-8")
    with gzip.open(tmp_path / "b.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write('{"id": "x", "text": "乙。"}\n\n{"id": 5, "text": "丙。"}\n{"text": "丁。"}\n')
    docs = list(read_documents(["a.txt", "b.jsonl.gz"]))
    assert [(d.id, d.text, d.path) for d in docs] == [
        ("a.txt", "甲。", "a.txt"),
        ("x", "乙。", "b.jsonl.gz"),
        ("5", "丙。", "b.jsonl.gz"),
        ("b.jsonl.gz:4", "丁。", "b.jsonl.gz"),
    ]


def test_records_keep_their_fields(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.jsonl").write_text('{"id": "x", "text": "乙。", "n": [1, {"k": null}]}\n', "utf-8")
    [record] = read_records(discover(["a.jsonl"]))
    assert record.kind == "jsonl" and record.line == 1
    assert record.fields == {"id": "x", "text": "乙。", "n": [1, {"k": None}]}
    assert cleaned_fields(record, "新") == {"id": "x", "text": "新", "n": [1, {"k": None}]}


@pytest.mark.parametrize(
    ("data", "kind", "ids"),
    [
        (b'\n  {"id": "a", "text": "x"}\n{"text": "y"}\n', "jsonl", ["a", "-:3"]),
        (b'\xef\xbb\xbf{"id": "a", "text": "x"}\n', "jsonl", ["a"]),
        (b"\n\n\xe6\xad\xa3\xe6\x96\x87\n", "text", ["-"]),
        (b"", "text", ["-"]),
    ],
)
def test_stdin_is_sniffed(data: bytes, kind: str, ids: list[str]) -> None:
    records = list(read_records(discover(["-"]), stdin=io.BytesIO(data)))
    assert [r.kind for r in records] == [kind] * len(ids)
    assert [r.document.id for r in records] == ids
    if kind == "text":
        assert records[0].document.text == data.decode("utf-8")


def test_truncated_gzip(tmp_path: Path) -> None:
    data = gzip.compress(b'{"text": "a"}\n' * 1000)
    (tmp_path / "x.jsonl.gz").write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=r"x\.jsonl\.gz: cannot read"):
        list(read_documents([tmp_path / "x.jsonl.gz"]))


def test_skip_hands_over_inputs_that_fail_before_their_first_article(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("正文。", "utf-8")
    (tmp_path / "b.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "c.jsonl").write_text("[1]\n", "utf-8")
    (tmp_path / "d.jsonl").write_text('{"text": "一"}\n[2]\n', "utf-8")
    (tmp_path / "e.txt").write_bytes("社区工作".encode("gb18030"))
    skipped: list[tuple[str, str]] = []
    records = read_records(discover([tmp_path]), skip=lambda s, e: skipped.append((s.relative, str(e))))
    ids = []
    with pytest.raises(InputError, match=r"d\.jsonl:2: expected a JSON object"):
        for record in records:
            ids.append(record.document.id.rsplit("/", 1)[-1])
    assert ids == ["a.txt", "d.jsonl:1"]
    assert [name for name, _ in skipped] == ["b.txt", "c.jsonl"]
    assert skipped[1][1].endswith("c.jsonl:1: expected a JSON object, got an array")
    (tmp_path / "d.jsonl").unlink()
    forced = list(read_records(discover([tmp_path / "e.txt"]), encoding="gb18030"))
    assert forced[0].document.text == "社区工作" and forced[0].encoding == "gb18030"
