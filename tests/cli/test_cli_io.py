"""``dedup.files`` on its own: reading order and formats, encodings, atomic writes."""

from __future__ import annotations

import dataclasses
import gzip
import io
import os
from pathlib import Path

import pytest

from dedup import files as dio
from dedup.errors import DedupError, InputError
from dedup.records import Flag, Join, Match, NearCopy, Removal, Result


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
    found = [(s.relative, s.kind) for s in dio.discover([tmp_path])]
    assert found == [
        (os.path.join("a", "x.jsonl.gz"), "jsonl"),
        ("a.md", "text"),
        ("b.txt", "text"),
        (os.path.join("sub", "a.txt"), "text"),
        (os.path.join("sub", "z.jsonl"), "jsonl"),
    ]
    assert [s.relative for s in dio.discover([tmp_path], "jsonl")] == [
        os.path.join("a", "x.jsonl.gz"),
        os.path.join("sub", "z.jsonl"),
    ]


def test_a_file_reached_twice_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("正文。", "utf-8")
    sources = dio.discover([tmp_path / "a.txt", tmp_path, tmp_path / "a.txt"])
    assert [s.path for s in sources] == [str(tmp_path / "a.txt")]


def test_named_files_follow_input_format(tmp_path: Path) -> None:
    (tmp_path / "x.jsonl").write_text('{"text": "a"}\n', "utf-8")
    (tmp_path / "rows.ndjson").write_text('{"text": "b"}\n', "utf-8")
    assert dio.discover([tmp_path / "x.jsonl"])[0].kind == "jsonl"
    assert dio.discover([tmp_path / "x.jsonl"], "text")[0].kind == "text"
    assert dio.discover([tmp_path / "rows.ndjson"])[0].kind == "text"
    docs = list(dio.read_documents([tmp_path / "rows.ndjson"], input_format="jsonl"))
    assert [(d.id, d.text) for d in docs] == [(f"{tmp_path / 'rows.ndjson'}:1", "b")]


def test_read_documents_ids_and_paths(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("甲。", "utf-8")
    with gzip.open(tmp_path / "b.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write('{"id": "x", "text": "乙。"}\n\n{"id": 5, "text": "丙。"}\n{"text": "丁。"}\n')
    docs = list(dio.read_documents(["a.txt", "b.jsonl.gz"]))
    assert [(d.id, d.text, d.path) for d in docs] == [
        ("a.txt", "甲。", "a.txt"),
        ("x", "乙。", "b.jsonl.gz"),
        ("5", "丙。", "b.jsonl.gz"),
        ("b.jsonl.gz:4", "丁。", "b.jsonl.gz"),
    ]


def test_records_keep_their_fields(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"id": "x", "text": "乙。", "n": [1, {"k": null}]}\n', "utf-8")
    [record] = dio.read_records(dio.discover(["a.jsonl"]))
    assert record.kind == "jsonl" and record.line == 1
    assert record.fields == {"id": "x", "text": "乙。", "n": [1, {"k": None}]}
    assert dio.cleaned_fields(record, "新") == {"id": "x", "text": "新", "n": [1, {"k": None}]}


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
    records = list(dio.read_records(dio.discover(["-"]), stdin=io.BytesIO(data)))
    assert [r.kind for r in records] == [kind] * len(ids)
    assert [r.document.id for r in records] == ids
    if kind == "text":
        assert records[0].document.text == data.decode("utf-8")


def test_encodings(tmp_path: Path) -> None:
    text = "习近平回信勉励武汉东湖新城社区全体社区工作者。社区是疫情防控的最前线。"
    assert dio.decode_text(text.encode("utf-8")) == (text, "utf-8")
    assert dio.decode_text(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8-sig")
    decoded, encoding = dio.decode_text(text.encode("gb18030"))
    assert decoded == text and decoded.encode(encoding) == text.encode("gb18030")
    with pytest.raises(InputError, match=r"^x\.txt: cannot decode"):
        dio.decode_text(bytes(range(256)) * 4, "x.txt")


def test_missing_path() -> None:
    with pytest.raises(InputError) as info:
        dio.discover(["does/not/exist.txt"])
    assert str(info.value) == "does/not/exist.txt: no such file or directory"
    assert info.value.path == "does/not/exist.txt"


def test_truncated_gzip(tmp_path: Path) -> None:
    data = gzip.compress(b'{"text": "a"}\n' * 1000)
    (tmp_path / "x.jsonl.gz").write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=r"x\.jsonl\.gz: cannot read"):
        list(dio.read_documents([tmp_path / "x.jsonl.gz"]))


def test_atomic_write_replaces_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    dio.atomic_write(target, "一")
    assert target.read_text("utf-8") == "一"
    target.chmod(0o600)
    dio.atomic_write(target, b"\xe4\xba\x8c")
    assert target.read_text("utf-8") == "二"
    assert target.stat().st_mode & 0o777 == 0o600
    dio.atomic_write(tmp_path / "deep" / "er" / "x.txt.gz", "三")
    assert gzip.decompress((tmp_path / "deep" / "er" / "x.txt.gz").read_bytes()) == "三".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep", "out.txt"]


def test_atomic_file_error_leaves_target_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old\n", "utf-8")
    with pytest.raises(RuntimeError), dio.JsonlWriter(target) as writer:
        writer.write({"text": "new"})
        raise RuntimeError("boom")
    assert target.read_text("utf-8") == "old\n"
    assert os.listdir(tmp_path) == ["out.jsonl"]


def test_atomic_write_follows_symlinks(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("old", "utf-8")
    (tmp_path / "link.txt").symlink_to("real.txt")
    dio.atomic_write(tmp_path / "link.txt", "new")
    assert (tmp_path / "link.txt").is_symlink()
    assert (tmp_path / "real.txt").read_text("utf-8") == "new"


def test_unwritable_target_is_a_dedup_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", "utf-8")
    with pytest.raises(DedupError, match="cannot write"):
        dio.atomic_write(tmp_path / "file" / "below.txt", "x")


def test_jsonl_writer_escapes_lone_surrogates(tmp_path: Path) -> None:
    with dio.JsonlWriter(tmp_path / "x.jsonl") as writer:
        writer.write({"text": "正文\ud800"})
        writer.write({"text": "正文"})
    assert (
        tmp_path / "x.jsonl"
    ).read_bytes() == b'{"text": "\\u6b63\\u6587\\ud800"}\n{"text": "\xe6\xad\xa3\xe6\x96\x87"}\n'


def test_report_names_every_field_of_every_record() -> None:
    """The report is written field by field: a field added to a record must be added there too."""
    result = Result(
        id="b",
        path=None,
        text="甲。\n\n乙。\n\n丙",
        cleaned="甲。",
        paragraphs=3,
        removed=(Removal(1, 4, 6, "exact", 1.0, (Match("a", 0, 0, 2),)),),
        joins=(Join(0, 2, 2, 8, 0.9, ("comma",)),),
        flags=(Flag(2, 8, 9, "orphan", "note"),),
        near_copy_of=NearCopy("a", 0.75, "strip"),
    )
    line = dio.result_to_json(result)
    for key, record in (("removed", Removal), ("joins", Join), ("flags", Flag), ("near_copy_of", NearCopy)):
        value = line[key] if key == "near_copy_of" else line[key][0]
        assert set(value) == {f.name for f in dataclasses.fields(record)}
    assert set(line["removed"][0]["matches"][0]) == {f.name for f in dataclasses.fields(Match)}
    assert set(line) == {f.name for f in dataclasses.fields(Result)} - {"text", "cleaned"} | {"changed"}


def test_result_to_json() -> None:
    result = Result(
        id="b",
        path="b.txt",
        text="甲。\n\n乙。",
        cleaned="甲。",
        paragraphs=2,
        removed=(Removal(1, 4, 6, "exact", 1.0, (Match("a", 0, 0, 2),)),),
        near_copy_of=NearCopy("a", 0.75, "strip"),
        made_by="jieba-0.42.1-hmm-off/0123456789ab",
    )
    assert dio.result_to_json(result) == {
        "id": "b",
        "path": "b.txt",
        "paragraphs": 2,
        "changed": True,
        "removed": [
            {
                "paragraph": 1,
                "start": 4,
                "end": 6,
                "kind": "exact",
                "score": 1.0,
                "matches": [{"id": "a", "paragraph": 0, "start": 0, "end": 2}],
            }
        ],
        "joins": [],
        "flags": [],
        "near_copy_of": {"id": "a", "similarity": 0.75, "action": "strip"},
        "made_by": "jieba-0.42.1-hmm-off/0123456789ab",
    }
