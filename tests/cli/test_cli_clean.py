"""``dedup clean``: text, directories, JSONL, stdin/stdout, in place, reports."""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path

import pytest


def test_seed_article_to_stdout_is_the_expected_text(dedup, fixtures_dir: Path) -> None:
    run = dedup("clean", fixtures_dir / "seed" / "article.txt", "-o", "-")
    assert run.out == (fixtures_dir / "seed" / "expected.txt").read_bytes()
    assert run.code == 0
    assert "article" in run.err  # the one-line total


def test_quiet_prints_nothing_but_the_output(dedup, fixtures_dir: Path) -> None:
    run = dedup("clean", fixtures_dir / "seed" / "article.txt", "-o", "-", "--quiet")
    assert run.out == (fixtures_dir / "seed" / "expected.txt").read_bytes()
    assert run.err == ""


def test_summary_says_what_was_removed_and_why(dedup, articles, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(articles.first, encoding="utf-8")
    (tmp_path / "b.txt").write_text(articles.second, encoding="utf-8")
    run = dedup("clean", "a.txt", "b.txt", "-o", "out", "--summary")
    assert run.code == 0
    lines = run.err.splitlines()
    removal = next(line for line in lines if "removed ¶2" in line)
    assert "exact" in removal and "repeats a.txt ¶2" in removal
    assert articles.shared[:10] in removal  # an excerpt of the removed paragraph
    assert lines[-1].startswith("2 articles: 1 removal (exact 1)")


def test_one_text_file_to_a_file(dedup, articles, tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text(articles.first + "\n" + articles.second, "utf-8")
    run = dedup("clean", source, "-o", tmp_path / "new" / "out.txt")
    assert run.code == 0
    cleaned = (tmp_path / "new" / "out.txt").read_text("utf-8")
    assert cleaned.count(articles.shared) == 1
    assert source.read_text("utf-8").count(articles.shared) == 2  # the input is left alone


def test_one_text_file_into_an_existing_directory(dedup, articles, tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text(articles.unique, "utf-8")
    (tmp_path / "out").mkdir()
    assert dedup("clean", "in.txt", "-o", "out").code == 0
    assert (tmp_path / "out" / "in.txt").read_text("utf-8") == articles.unique


def test_directory_is_mirrored(dedup, articles, jsonl, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "sub" / "deeper").mkdir(parents=True)
    (corpus / ".git").mkdir()
    (corpus / "a.txt").write_text(articles.first, "utf-8")
    (corpus / "sub" / "b.md").write_text(articles.second, "utf-8")
    (corpus / "sub" / "deeper" / "u.txt").write_text(articles.unique, "utf-8")
    jsonl.write(corpus / "sub" / "rows.jsonl", [{"id": "r1", "text": articles.second}])
    (corpus / ".git" / "x.txt").write_text(articles.first, "utf-8")
    (corpus / ".hidden.txt").write_text(articles.first, "utf-8")
    (corpus / "notes.csv").write_text("a,b\n", "utf-8")

    run = dedup("clean", "corpus", "-o", "out", "--report", "report.jsonl")

    assert run.code == 0
    written = sorted(
        str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*") if p.is_file()
    )
    assert written == ["a.txt", "sub/b.md", "sub/deeper/u.txt", "sub/rows.jsonl"]
    assert (tmp_path / "out" / "a.txt").read_text("utf-8") == articles.first
    assert articles.shared not in (tmp_path / "out" / "sub" / "b.md").read_text("utf-8")
    assert (tmp_path / "out" / "sub" / "deeper" / "u.txt").read_text("utf-8") == articles.unique
    # files are read in sorted path order; each text file's id is its path
    ids = [row["id"] for row in jsonl.read(tmp_path / "report.jsonl")]
    assert ids == [
        os.path.join("corpus", "a.txt"),
        os.path.join("corpus", "sub", "b.md"),
        os.path.join("corpus", "sub", "deeper", "u.txt"),
        "r1",
    ]


def test_several_inputs_go_under_their_names(dedup, articles, tmp_path: Path) -> None:
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.txt").write_text(articles.unique if name == "one" else articles.first, "utf-8")
    (tmp_path / "single.txt").write_text(articles.second, "utf-8")
    assert dedup("clean", "one", "two", "single.txt", "-o", "out").code == 0
    assert (tmp_path / "out" / "one" / "x.txt").is_file()
    assert (tmp_path / "out" / "two" / "x.txt").is_file()
    assert articles.shared not in (tmp_path / "out" / "single.txt").read_text("utf-8")


def test_colliding_outputs_are_a_usage_error(dedup, articles, tmp_path: Path) -> None:
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.txt").write_text(articles.unique, "utf-8")
    run = dedup("clean", "one/x.txt", "two/x.txt", "-o", "out")
    assert run.code == 2
    assert "would both be written to" in run.err
    assert not (tmp_path / "out").exists()


def test_jsonl_keeps_other_fields_and_order(dedup, articles, jsonl, tmp_path: Path) -> None:
    rows = [
        {"meta": {"source": "x", "n": 1}, "id": "first", "text": articles.first, "url": "http://a"},
        {"id": 7, "text": articles.second, "tags": ["新闻", "湖北"], "score": 0.5},
        {"text": articles.unique, "lang": "zh"},
    ]
    jsonl.write(tmp_path / "in.jsonl", rows)

    run = dedup("clean", "in.jsonl", "-o", "out.jsonl", "--report", "report.jsonl")

    assert run.code == 0
    out = jsonl.read(tmp_path / "out.jsonl")
    assert [list(r) for r in out] == [list(r) for r in rows]  # same keys, same order
    for before, after in zip(rows, out, strict=True):
        assert {k: v for k, v in after.items() if k != "text"} == {
            k: v for k, v in before.items() if k != "text"
        }
    assert out[0]["text"] == articles.first
    assert articles.shared not in out[1]["text"]
    assert out[2]["text"] == articles.unique
    # non-ASCII is written as it is
    assert "新闻" in (tmp_path / "out.jsonl").read_text("utf-8")
    report = jsonl.read(tmp_path / "report.jsonl")
    assert [r["id"] for r in report] == ["first", "7", "in.jsonl:3"]


def test_jsonl_gz_in_and_out(dedup, articles, pair: Path, tmp_path: Path) -> None:
    with gzip.open(tmp_path / "in.jsonl.gz", "wb") as fh:
        fh.write(pair.read_bytes())
    assert dedup("clean", "in.jsonl.gz", "-o", "out.jsonl.gz").code == 0
    with gzip.open(tmp_path / "out.jsonl.gz", "rt", encoding="utf-8") as fh:
        rows = [line for line in fh if line.strip()]
    assert len(rows) == 2 and articles.shared not in rows[1]


def test_custom_fields(dedup, articles, jsonl, tmp_path: Path) -> None:
    jsonl.write(
        tmp_path / "in.jsonl",
        [
            {"doc": "a", "body": articles.first, "text": "x"},
            {"doc": "b", "body": articles.second, "text": "y"},
        ],
    )
    run = dedup("clean", "in.jsonl", "-o", "-", "--text-field", "body", "--id-field", "doc")
    out = run.json_lines()
    assert [r["text"] for r in out] == ["x", "y"]
    assert articles.shared not in out[1]["body"]


def test_near_copy_articles_are_dropped_from_jsonl(dedup, articles, jsonl, tmp_path: Path) -> None:
    jsonl.write(
        tmp_path / "in.jsonl",
        [
            {"id": "a", "text": articles.first},
            {"id": "c", "text": articles.copy},
            {"id": "u", "text": articles.unique},
        ],
    )
    run = dedup("clean", "in.jsonl", "-o", "-", "--duplicate-articles", "drop", "--report", "r.jsonl")
    assert [r["id"] for r in run.json_lines()] == ["a", "u"]
    report = jsonl.read(tmp_path / "r.jsonl")
    assert report[1]["near_copy_of"]["id"] == "a"
    assert report[1]["near_copy_of"]["action"] == "drop"


def test_near_copy_text_file_is_not_written(dedup, articles, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(articles.first, "utf-8")
    (tmp_path / "in" / "c.txt").write_text(articles.copy, "utf-8")
    assert dedup("clean", "in", "-o", "out", "--duplicate-articles", "drop").code == 0
    assert (tmp_path / "out" / "a.txt").is_file()
    assert not (tmp_path / "out" / "c.txt").exists()


def test_report_offsets_point_into_the_original_text(
    dedup, fixtures_dir: Path, jsonl, tmp_path: Path
) -> None:
    article = fixtures_dir / "seed" / "article.txt"
    text = article.read_bytes().decode("utf-8")
    dedup("clean", article, "-o", "-", "--report", "report.jsonl")
    [row] = jsonl.read(tmp_path / "report.jsonl")
    assert row["id"] == str(article) and row["changed"] is True and row["paragraphs"] == 43
    assert row["removed"] and row["joins"]
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    for removal in row["removed"]:
        span = text[removal["start"] : removal["end"]]
        if removal["kind"] == "marker":  # a marker line, or a marker at the edge of its paragraph
            assert span.strip() and span.strip() in paragraphs[removal["paragraph"]]
        else:
            assert span == paragraphs[removal["paragraph"]]
        for match in removal["matches"]:
            assert text[match["start"] : match["end"]] in paragraphs[match["paragraph"]]
    for join in row["joins"]:
        assert join["tail"] > join["head"]
        assert "\n" in text[join["start"] : join["end"]]  # the break the join mends
        assert not text[join["start"] - 1].isspace() and not text[join["end"]].isspace()


def test_report_of_a_shared_paragraph(dedup, articles, jsonl, pair, tmp_path: Path) -> None:
    dedup("clean", "in.jsonl", "-o", "out.jsonl", "--report", "report.jsonl")
    first, second = jsonl.read(tmp_path / "report.jsonl")
    assert first["removed"] == [] and first["changed"] is False and first["near_copy_of"] is None
    [removal] = second["removed"]
    assert articles.second[removal["start"] : removal["end"]] == articles.shared
    assert removal["kind"] == "exact"
    [match] = removal["matches"]
    assert match["id"] == "a"
    assert articles.first[match["start"] : match["end"]] == articles.shared
    assert set(second) == {
        "id",
        "path",
        "paragraphs",
        "layout",
        "changed",
        "stub",
        "body_chars",
        "removed",
        "joins",
        "flags",
        "near_copy_of",
        "made_by",
    }


def test_in_place_rewrites_only_what_changes(dedup, articles, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in (("a.txt", articles.first), ("b.txt", articles.second), ("u.txt", articles.unique)):
        (corpus / name).write_text(text, "utf-8")
        os.utime(corpus / name, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    (corpus / "b.txt").chmod(0o640)
    before = {p.name: p.stat() for p in corpus.iterdir()}

    run = dedup("clean", "corpus", "--in-place")

    assert run.code == 0
    assert "rewrote 1 file" in run.err
    after = {p.name: p.stat() for p in corpus.iterdir()}
    assert sorted(after) == ["a.txt", "b.txt", "u.txt"]  # no temporary files left behind
    for name in ("a.txt", "u.txt"):
        assert after[name].st_mtime_ns == before[name].st_mtime_ns
        assert after[name].st_ino == before[name].st_ino
    assert after["b.txt"].st_ino != before["b.txt"].st_ino  # replaced by rename, not rewritten in place
    assert after["b.txt"].st_mode & 0o777 == 0o640
    assert articles.shared not in (corpus / "b.txt").read_text("utf-8")
    assert (corpus / "a.txt").read_text("utf-8") == articles.first

    again = dedup("clean", "corpus", "--in-place")
    assert again.code == 0
    assert "rewrote 0 files" in again.err


def test_in_place_jsonl_untouched_when_nothing_changes(dedup, articles, jsonl, tmp_path: Path) -> None:
    path = jsonl.write(tmp_path / "in.jsonl", [{"id": "u", "text": articles.unique}])
    os.utime(path, ns=(10**18, 10**18))
    assert dedup("clean", path, "--in-place").code == 0
    assert path.stat().st_mtime_ns == 10**18
    jsonl.write(
        path, [{"id": "a", "text": articles.first, "k": 1}, {"id": "b", "text": articles.second, "k": 2}]
    )
    assert dedup("clean", path, "--in-place", "--exit-code").code == 1
    rows = jsonl.read(path)
    assert [r["k"] for r in rows] == [1, 2] and articles.shared not in rows[1]["text"]
    assert sorted(os.listdir(tmp_path)) == ["in.jsonl"]


def test_stdin_text_to_stdout(dedup, fixtures_dir: Path) -> None:
    run = dedup("clean", "-", "-o", "-", stdin=(fixtures_dir / "seed" / "article.txt").read_bytes())
    assert run.code == 0
    assert run.out == (fixtures_dir / "seed" / "expected.txt").read_bytes()


def test_stdin_jsonl_to_stdout(dedup, articles, jsonl, tmp_path: Path) -> None:
    path = jsonl.write(
        tmp_path / "in.jsonl", [{"id": "a", "text": articles.first}, {"text": articles.second}]
    )
    run = dedup("clean", "-", "-o", "-", "--report", "r.jsonl", stdin=b"\n" + path.read_bytes())
    assert run.code == 0
    rows = run.json_lines()
    assert rows[0] == {"id": "a", "text": articles.first}
    assert articles.shared not in rows[1]["text"]
    assert [r["id"] for r in jsonl.read(tmp_path / "r.jsonl")] == ["a", "-:3"]


def test_stdin_forced_as_text(dedup, articles) -> None:
    data = ('{"not": "json"}\n\n' + articles.unique).encode()
    run = dedup("clean", "-", "-o", "-", "--input-format", "text", stdin=data)
    assert run.out == data and run.code == 0


def test_text_file_keeps_its_encoding(dedup, articles, tmp_path: Path) -> None:
    text = articles.first + "\n" + articles.second
    (tmp_path / "gbk.txt").write_bytes(text.encode("gb18030"))
    assert dedup("clean", "gbk.txt", "-o", "out.txt").code == 0
    cleaned = (tmp_path / "out.txt").read_bytes().decode("gb18030")
    assert cleaned.count(articles.shared) == 1


def test_crlf_and_bom_are_kept(dedup, articles, tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + articles.unique.replace("\n", "\r\n").encode()
    (tmp_path / "in.txt").write_bytes(data)
    assert dedup("clean", "in.txt", "-o", "out.txt").code == 0
    assert (tmp_path / "out.txt").read_bytes() == data


@pytest.mark.parametrize("flag", ["--keep", "--duplicate-articles", "--scope", "--segmenter"])
def test_bad_choice_is_a_usage_error(dedup, fixtures_dir: Path, flag: str) -> None:
    run = dedup("clean", fixtures_dir / "seed" / "article.txt", "-o", "-", flag, "nonsense")
    assert run.code == 2
    assert run.err.splitlines()[-1].startswith("dedup: error: ")


def test_settings_from_flags_override_the_file(dedup, pair, tmp_path: Path) -> None:
    (tmp_path / "dedup.toml").write_text('scope = "document"\n', "utf-8")
    # per document, the paragraph shared across articles stays
    assert dedup("clean", pair, "-o", "-", "--no-join", "--check").code == 0
    assert dedup("clean", pair, "-o", "-", "--scope", "corpus", "--check").code == 1
