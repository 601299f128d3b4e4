"""``dedup.files.parquet`` through the readers: Parquet files found in directories, rows read in batches."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup.files import parquet
from dedup.files.readers import read_records
from dedup.files.sources import discover

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def test_parquet_files_are_found_in_directories(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text("甲。", "utf-8")
    pq.write_table(pa.table({"id": ["p1", "p2"], "text": ["乙。", "丙。"]}), corpus / "sub" / "rows.parquet")
    (corpus / "notes.csv").write_text("a,b\n", "utf-8")

    found = [(s.relative, s.kind) for s in discover([corpus])]
    assert found == [("a.txt", "text"), (str(Path("sub", "rows.parquet")), "parquet")]
    assert [s.kind for s in discover([corpus], "parquet")] == ["parquet"]


def test_rows_are_read_in_batches_with_positions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parquet, "PARQUET_BATCH", 2)
    path = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": list("abcde"), "text": ["甲。", "乙。", "丙。", "丁。", "正文。"]}), path)
    records = list(read_records(discover([path])))
    assert [r.line for r in records] == [1, 2, 3, 4, 5]
    positions = [r.position for r in records]
    assert positions == sorted(positions) and positions[-1] == path.stat().st_size
