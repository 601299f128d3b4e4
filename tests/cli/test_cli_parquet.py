"""``dedup`` with Parquet in and out: JSONL round trips, extra columns kept, directories, batches, errors."""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def _write(path: Path, columns: dict[str, Any], schema: Any = None) -> Path:
    pq.write_table(pa.table(columns, schema=schema), path)
    return path


def _rows(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
    return rows


def _one_error_line(err: str) -> str:
    assert "Traceback" not in err
    [line] = err.splitlines()
    return line


def _no_temporary_files(directory: Path) -> None:
    assert not [p.name for p in directory.iterdir() if p.name.endswith(".tmp")]


def test_jsonl_to_parquet_and_back(dedup, articles, jsonl, tmp_path: Path) -> None:
    rows = [
        {"id": "a", "text": articles.first, "n": 1, "tags": ["x", "y"]},
        {"id": "b", "text": articles.second, "n": 2, "tags": []},
        {"text": articles.copy, "n": 3, "tags": None},
    ]
    jsonl.write(tmp_path / "in.jsonl", rows)

    run = dedup("clean", "in.jsonl", "-o", "out.parquet", "--duplicate-articles", "drop")
    assert run.code == 0
    assert run.err.splitlines()[-1].endswith("wrote 1 file")
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.column_names == ["id", "text", "n", "tags"]  # in the order fields first appear
    written = table.to_pylist()
    # the near-copy is left out; the shared paragraph is removed from the second article
    assert [(r["id"], r["n"], r["tags"]) for r in written] == [("a", 1, ["x", "y"]), ("b", 2, [])]
    assert written[0]["text"] == articles.first
    assert articles.shared not in written[1]["text"]

    run = dedup("clean", "out.parquet", "-o", "back.jsonl")
    assert run.code == 0  # already clean
    assert jsonl.read(tmp_path / "back.jsonl") == written
    _no_temporary_files(tmp_path)


def test_parquet_to_jsonl_keeps_columns_and_ids(dedup, articles, jsonl, tmp_path: Path) -> None:
    _write(
        tmp_path / "in.parquet",
        {
            "url": ["u1", None, "u3"],
            "text": [articles.first, articles.second, articles.unique],
            "when": [datetime.date(2020, 4, 9), None, datetime.date(2020, 4, 10)],
            "raw": [b"\x00\x01", None, b"z"],
        },
    )
    run = dedup("clean", "in.parquet", "-o", "out.jsonl", "--id-field", "url", "--report", "r.jsonl")
    assert run.code == 0
    out = jsonl.read(tmp_path / "out.jsonl")
    assert [r["url"] for r in out] == ["u1", None, "u3"]
    assert out[0] == {"url": "u1", "text": articles.first, "when": "2020-04-09", "raw": "AAE="}
    assert articles.shared not in out[1]["text"]
    # a row without an id gets path:row, rows counted from 1
    assert [r["id"] for r in jsonl.read(tmp_path / "r.jsonl")] == ["u1", "in.parquet:2", "u3"]

    run = dedup("clean", "in.parquet", "-o", "-", "--id-field", "url", "--quiet")
    assert run.json_lines() == out  # stdout gets JSONL


def test_parquet_to_parquet_keeps_column_types_and_order(dedup, articles, tmp_path: Path) -> None:
    schema = pa.schema(
        [
            ("n", pa.int16()),
            ("body", pa.large_string()),
            ("meta", pa.struct([("source", pa.string()), ("page", pa.int32())])),
            ("seen", pa.timestamp("ms", tz="UTC")),
            ("key", pa.string()),
        ]
    )
    seen = datetime.datetime(2020, 4, 9, 8, 30, tzinfo=datetime.UTC)
    columns = {
        "n": [3, 1, 2],
        "body": [articles.first, articles.second, articles.copy],
        "meta": [{"source": "新华社", "page": 1}, {"source": "咸宁", "page": 2}, None],
        "seen": [seen, None, seen],
        "key": ["a", "b", "c"],
    }
    _write(tmp_path / "in.parquet", columns, schema)
    args = ["--text-field", "body", "--id-field", "key", "--duplicate-articles", "drop"]
    run = dedup("clean", "in.parquet", "-o", "out.parquet", *args)
    assert run.code == 0
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.schema.equals(schema)
    out = table.to_pylist()
    assert [r["key"] for r in out] == ["a", "b"]  # "c" is a near-copy of "a", dropped
    assert out[0] == {"n": 3, "body": articles.first, "meta": columns["meta"][0], "seen": seen, "key": "a"}
    assert out[1]["meta"] == {"source": "咸宁", "page": 2} and out[1]["seen"] is None
    assert articles.shared not in out[1]["body"]
    _no_temporary_files(tmp_path)


def test_directory_with_a_parquet_file(dedup, articles, jsonl, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text(articles.first, "utf-8")
    _write(corpus / "sub" / "rows.parquet", {"id": ["p1", "p2"], "text": [articles.second, articles.unique]})
    (corpus / "notes.csv").write_text("a,b\n", "utf-8")

    run = dedup("scan", "corpus", "--jsonl")
    assert run.code == 1
    assert [r["id"] for r in run.json_lines()] == [str(Path("corpus", "a.txt")), "p1", "p2"]

    run = dedup("clean", "corpus", "-o", "out")
    assert run.code == 0
    assert (tmp_path / "out" / "a.txt").read_text("utf-8") == articles.first
    rows = _rows(tmp_path / "out" / "sub" / "rows.parquet")  # mirrored as Parquet
    assert [r["id"] for r in rows] == ["p1", "p2"]
    assert articles.shared not in rows[0]["text"] and rows[1]["text"] == articles.unique

    run = dedup("clean", "corpus", "-o", "all.jsonl")
    assert [r["id"] for r in jsonl.read(tmp_path / "all.jsonl")] == [str(Path("corpus", "a.txt")), "p1", "p2"]


def test_parquet_in_place(dedup, articles, tmp_path: Path) -> None:
    path = _write(tmp_path / "in.parquet", {"id": ["a", "b"], "text": [articles.first, articles.second]})
    assert dedup("clean", "in.parquet", "--in-place").code == 0
    assert articles.shared not in _rows(path)[1]["text"]
    before = path.stat().st_mtime_ns
    run = dedup("clean", "in.parquet", "--in-place")
    assert run.code == 0 and "rewrote 0 files" in run.err
    assert path.stat().st_mtime_ns == before
    _no_temporary_files(tmp_path)


def test_rows_are_read_and_written_in_batches(
    dedup, articles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dedup.files.parquet.PARQUET_BATCH", 2)
    texts = [articles.first, articles.second, articles.unique, articles.copy, "正文。"]
    _write(tmp_path / "in.parquet", {"id": list("abcde"), "text": texts})
    batches: list[int] = []
    real = pq.ParquetFile.iter_batches

    def iter_batches(self: Any, *args: Any, **kwargs: Any) -> Any:
        for batch in real(self, *args, **kwargs):
            batches.append(batch.num_rows)
            yield batch

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", iter_batches)
    run = dedup("clean", "in.parquet", "-o", "out.parquet", "--workers", "1")
    assert run.code == 0
    assert batches == [2, 2, 1]
    metadata = pq.ParquetFile(tmp_path / "out.parquet").metadata
    assert (metadata.num_rows, metadata.num_row_groups) == (5, 3)


def test_empty_parquet_keeps_its_columns(dedup, tmp_path: Path) -> None:
    schema = pa.schema([("text", pa.string()), ("n", pa.int8())])
    _write(tmp_path / "in.parquet", {"text": [], "n": []}, schema)
    for out in ("out.parquet", "dir/"):
        run = dedup("clean", "in.parquet", "-o", out)
        assert run.code == 0
    assert pq.read_schema(tmp_path / "out.parquet").equals(schema)
    assert pq.read_schema(tmp_path / "dir" / "in.parquet").equals(schema)


# --------------------------------------------------------------------------- errors


def test_missing_text_column(dedup, articles, tmp_path: Path) -> None:
    _write(tmp_path / "in.parquet", {"id": ["a"], "body": [articles.first]})
    run = dedup("clean", "in.parquet", "-o", "out.parquet", "--report", "r.jsonl", "--on-error", "stop")
    assert run.code == 123
    assert _one_error_line(run.err) == "dedup: error: in.parquet: no 'text' column"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.parquet"]  # no output, no temporary file


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"text": ["正文。", None]}, "in.parquet:2: column 'text' must be a string, got null"),
        ({"text": [1, 2]}, "in.parquet:1: column 'text' must be a string, got int64"),
        (
            {"text": ["正文。", "又一段。"], "id": [1.5, 2.5]},
            "in.parquet:1: column 'id' must be a string or an integer, got double",
        ),
    ],
)
def test_invalid_parquet_rows(dedup, tmp_path: Path, columns: dict[str, Any], message: str) -> None:
    _write(tmp_path / "in.parquet", columns)
    run = dedup("scan", "in.parquet", "--on-error", "stop")
    assert run.code == 123
    assert _one_error_line(run.err) == f"dedup: error: {message}"


def test_not_a_parquet_file(dedup, tmp_path: Path) -> None:
    (tmp_path / "in.parquet").write_text("正文。\n", "utf-8")
    run = dedup("scan", "in.parquet", "--on-error", "stop")
    assert run.code == 123
    assert _one_error_line(run.err).startswith("dedup: error: in.parquet: cannot read Parquet: ")


def test_parquet_on_stdin(dedup, tmp_path: Path) -> None:
    _write(tmp_path / "in.parquet", {"text": ["正文。"]})
    run = dedup("scan", "-", "--on-error", "stop", stdin=(tmp_path / "in.parquet").read_bytes())
    assert run.code == 123
    assert _one_error_line(run.err).startswith("dedup: error: -: Parquet cannot be read from standard input")


def test_jsonl_field_that_does_not_fit_the_parquet_columns(dedup, jsonl, tmp_path: Path) -> None:
    jsonl.write(tmp_path / "in.jsonl", [{"text": "甲乙丙丁。", "n": 1}, {"text": "戊己庚辛。", "n": "two"}])
    run = dedup("clean", "in.jsonl", "-o", "out.parquet")
    assert run.code == 123
    assert _one_error_line(run.err).startswith("dedup: error: in.jsonl:2: field 'n' does not fit")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


@pytest.mark.parametrize(
    ("args", "doing"),
    [(["scan", "in.parquet"], "reading"), (["clean", "a.txt", "-o", "out.parquet"], "writing")],
)
def test_without_pyarrow(
    dedup, articles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], doing: str
) -> None:
    _write(tmp_path / "in.parquet", {"text": [articles.first]})
    (tmp_path / "a.txt").write_text(articles.first, "utf-8")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    run = dedup(*args)
    assert run.code == 123
    expected = f"dedup: error: {doing} Parquet needs pyarrow: pip install 'dedup[parquet]'"
    assert _one_error_line(run.err) == expected
    assert not (tmp_path / "out.parquet").exists()


def test_report_of_a_parquet_run_is_plain_json(dedup, articles, tmp_path: Path) -> None:
    _write(tmp_path / "in.parquet", {"text": [articles.first, articles.second]})
    run = dedup("scan", "in.parquet", "--json")
    assert run.code == 1
    assert [r["id"] for r in json.loads(run.out)["results"]] == ["in.parquet:1", "in.parquet:2"]
