"""Inputs where users keep them: JSON Lines under any name, JSON arrays, compressed files,
directory walks that say what they skip, exit codes for pipelines, stubs."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
from pathlib import Path

import pytest
import zstandard

COMPRESSORS = {
    ".gz": gzip.compress,
    ".zst": lambda data: zstandard.ZstdCompressor().compress(data),
    ".bz2": bz2.compress,
    ".xz": lzma.compress,
}
DECOMPRESSORS = {
    ".gz": gzip.decompress,
    ".zst": lambda data: zstandard.ZstdDecompressor().decompressobj().decompress(data),
    ".bz2": bz2.decompress,
    ".xz": lzma.decompress,
}


def _rows(articles) -> list[dict[str, str]]:
    return [{"id": "a", "text": articles.first}, {"id": "b", "text": articles.second}]


def _jsonl(rows: list[dict[str, str]]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()


def _lines(data: bytes) -> list[dict[str, str]]:
    return [json.loads(line) for line in data.decode().splitlines() if line.strip()]


@pytest.mark.parametrize("name", ["in.json", "in.ndjson", "in.NDJSON", "records"])
def test_json_lines_are_read_by_content_whatever_the_name(dedup, articles, tmp_path: Path, name) -> None:
    (tmp_path / name).write_bytes(_jsonl(_rows(articles)))
    run = dedup("clean", name, "-o", "out.json")
    assert run.code == 0, run.err
    rows = _lines((tmp_path / "out.json").read_bytes())
    assert [r["id"] for r in rows] == ["a", "b"]
    assert rows[0]["text"] == articles.first and articles.shared not in rows[1]["text"]


def test_a_json_array_is_read_as_records_and_written_back_as_one(dedup, articles, tmp_path: Path) -> None:
    (tmp_path / "in.json").write_text(json.dumps(_rows(articles), ensure_ascii=False, indent=2), "utf-8")
    run = dedup("clean", "in.json", "-o", "out.json", "--report", "r.jsonl")
    assert run.code == 0, run.err
    rows = json.loads((tmp_path / "out.json").read_text("utf-8"))
    assert [r["id"] for r in rows] == ["a", "b"] and articles.shared not in rows[1]["text"]
    assert dedup("clean", "in.json", "-o", "all.jsonl").code == 0
    assert [r["id"] for r in _lines((tmp_path / "all.jsonl").read_bytes())] == ["a", "b"]
    run = dedup("clean", "-", "-o", "-", stdin=(tmp_path / "in.json").read_bytes())
    assert run.code == 0 and [r["id"] for r in run.json_lines()] == ["a", "b"]


def test_one_json_object_is_refused_clearly(dedup, articles, tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text(json.dumps({"text": articles.first}, indent=2), "utf-8")
    run = dedup("clean", "one.json", "-o", "out.json", "--on-error", "stop")
    assert run.code == 123
    assert run.err == (
        "dedup: error: one.json: one JSON object, not records: expected JSON Lines "
        "(one object per line) or an array of objects\n"
    )
    assert not (tmp_path / "out.json").exists()
    # by default a bad input is skipped, and the exit code says so
    skipped = dedup("clean", "one.json", "-o", "out.json")
    assert skipped.code == 3 and skipped.err.startswith("dedup: error: one.json: one JSON object")
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize("suffix", list(COMPRESSORS))
def test_compressed_jsonl_in_and_out(dedup, articles, tmp_path: Path, suffix: str) -> None:
    (tmp_path / f"in.jsonl{suffix}").write_bytes(COMPRESSORS[suffix](_jsonl(_rows(articles))))
    run = dedup("clean", f"in.jsonl{suffix}", "-o", f"out.jsonl{suffix}")
    assert run.code == 0, run.err
    rows = _lines(DECOMPRESSORS[suffix]((tmp_path / f"out.jsonl{suffix}").read_bytes()))
    assert [r["id"] for r in rows] == ["a", "b"] and articles.shared not in rows[1]["text"]


@pytest.mark.parametrize("suffix", list(COMPRESSORS))
def test_compression_is_told_by_magic_bytes(dedup, articles, tmp_path: Path, suffix: str) -> None:
    """A compressed file whose name does not say so is still read (here named .jsonl and .txt)."""
    (tmp_path / "in.jsonl").write_bytes(COMPRESSORS[suffix](_jsonl(_rows(articles))))
    (tmp_path / "a.txt").write_bytes(COMPRESSORS[suffix]((articles.first + articles.first).encode()))
    run = dedup("clean", "in.jsonl", "-o", "-")
    assert run.code == 0, run.err
    assert articles.shared not in run.json_lines()[1]["text"]
    run = dedup("clean", "a.txt", "-o", "-")
    assert run.code == 0 and run.text.count(articles.shared) == 1
    run = dedup("clean", "-", "-o", "-", stdin=(tmp_path / "in.jsonl").read_bytes())
    assert run.code == 0 and articles.shared not in run.json_lines()[1]["text"]


def test_directory_walk_reads_any_case_and_says_what_it_skipped(dedup, articles, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.TXT").write_text(articles.first, "utf-8")
    (corpus / "b.text").write_text(articles.second, "utf-8")
    (corpus / "c.md.xz").write_bytes(lzma.compress(articles.unique.encode()))
    (corpus / "notes.csv").write_text("x,y\n", "utf-8")
    (corpus / "README").write_text(articles.unique, "utf-8")
    run = dedup("clean", "corpus", "-o", "out", "--report", "r.jsonl")
    assert run.code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.TXT", "b.text", "c.md.xz"]
    assert articles.shared not in (tmp_path / "out" / "b.text").read_text("utf-8")
    skipped = run.err.splitlines()[0]
    assert skipped.startswith("dedup: skipped 2 files (")
    assert "suffix .csv is not read: 1" in skipped and "no suffix: 1" in skipped
    assert "--glob PATTERN reads them" in skipped
    assert skipped.endswith(f"{Path('corpus', 'README')}, {Path('corpus', 'notes.csv')}")
    assert dedup("clean", "corpus", "-o", "out2", "--quiet").err == ""


def test_glob_chooses_the_files_of_a_directory(dedup, articles, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.article").write_text(articles.first, "utf-8")
    (corpus / "sub" / "b.article").write_text(articles.second, "utf-8")
    (corpus / "c.txt").write_text(articles.first, "utf-8")
    run = dedup("clean", "corpus", "--glob", "*.article", "-o", "out")
    assert run.code == 0
    written = sorted(
        str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*") if p.is_file()
    )
    assert written == ["a.article", str(Path("sub") / "b.article")]
    assert articles.shared not in (tmp_path / "out" / "sub" / "b.article").read_text("utf-8")
    assert "skipped 1 file (matches no --glob): " in run.err


def test_exit_codes_for_pipelines(dedup, articles, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(articles.first + articles.first, "utf-8")
    (tmp_path / "u.txt").write_text(articles.unique, "utf-8")
    assert dedup("clean", "a.txt", "-o", "out.txt").code == 0  # changed, and that is success
    assert dedup("clean", "a.txt", "-o", "out.txt", "--exit-code").code == 1
    assert dedup("clean", "a.txt", "-o", "out.txt", "--check").code == 1
    assert dedup("clean", "u.txt", "-o", "out.txt", "--exit-code").code == 0
    # a quiet run counts only what its exit code reads (``render.Tally.summary``)
    assert dedup("clean", "a.txt", "-o", "out.txt", "--exit-code", "-q").code == 1
    assert dedup("clean", "u.txt", "-o", "out.txt", "--check", "-q").code == 0
    assert dedup("scan", "a.txt").code == 1
    assert dedup("scan", "a.txt", "-q").code == 1
    assert dedup("scan", "u.txt").code == 0


def test_a_near_copy_left_as_its_title_is_a_stub(dedup, articles, tmp_path: Path) -> None:
    rows = [{"id": "a", "text": articles.first}, {"id": "c", "text": articles.copy}]
    (tmp_path / "in.jsonl").write_bytes(_jsonl(rows))
    run = dedup("clean", "in.jsonl", "-o", "out.jsonl", "--report", "r.jsonl")
    assert run.code == 0
    report = _lines((tmp_path / "r.jsonl").read_bytes())
    assert [(r["id"], r["stub"]) for r in report] == [("a", False), ("c", True)]
    assert report[1]["body_chars"] == 0 and report[0]["body_chars"] > 100
    assert "1 stub left with little more than a title" in run.err
    assert [r["id"] for r in _lines((tmp_path / "out.jsonl").read_bytes())] == ["a", "c"]

    run = dedup("clean", "in.jsonl", "-o", "out.jsonl", "--min-body-chars", "20")
    assert run.code == 0
    assert [r["id"] for r in _lines((tmp_path / "out.jsonl").read_bytes())] == ["a"]
    assert "left out 1 article under 20 body characters" in run.err
