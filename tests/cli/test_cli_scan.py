"""``dedup scan``, ``dedup config``, ``dedup --version`` and the exit codes."""

from __future__ import annotations

import json
from pathlib import Path


def test_nothing_to_do_exits_0(dedup, articles, tmp_path: Path) -> None:
    (tmp_path / "u.txt").write_text(articles.unique, "utf-8")
    run = dedup("scan", "u.txt")
    assert run.code == 0
    assert "1 article: no duplicates found" in run.text
    assert dedup("clean", "u.txt", "-o", "-").code == 0


def test_duplicates_exit_1_and_are_tabled(dedup, articles, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(articles.first, "utf-8")
    (tmp_path / "b.txt").write_text(articles.second, "utf-8")
    run = dedup("scan", "a.txt", "b.txt")
    assert run.code == 1
    table = run.text
    assert "b.txt" in table and "exact 1" in table
    assert "a.txt" not in table.split("\n", 2)[2]  # only articles with findings get a row
    last = table.rstrip().splitlines()[-1]
    assert last.startswith("2 articles: 1 removal (exact 1), 0 joins; ")
    assert last.endswith(" characters removed (9.8 %)")
    assert (tmp_path / "b.txt").read_text("utf-8") == articles.second  # scan changes nothing


def test_scan_json_parses(dedup, pair) -> None:
    run = dedup("scan", "in.jsonl", "--json")
    assert run.code == 1
    report = json.loads(run.text)
    assert set(report) == {"fingerprint", "results"}
    assert report["fingerprint"]["hash_scheme"]
    assert [r["id"] for r in report["results"]] == ["a", "b"]
    assert report["results"][1]["removed"][0]["kind"] == "exact"


def test_scan_json_of_nothing(dedup, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    run = dedup("scan", "empty", "--json")
    assert run.code == 0
    assert json.loads(run.text)["results"] == []


def test_scan_jsonl(dedup, pair) -> None:
    rows = dedup("scan", "in.jsonl", "--jsonl").json_lines()
    assert [r["id"] for r in rows] == ["a", "b"]
    assert rows[1]["changed"] is True


def test_scan_quiet_only_exit_code(dedup, articles, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(articles.first + "\n" + articles.first, "utf-8")
    run = dedup("scan", "a.txt", "-q")
    assert (run.code, run.out, run.err) == (1, b"", "")


def test_scan_summary_goes_to_stderr(dedup, articles, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(articles.first + "\n" + articles.first, "utf-8")
    run = dedup("scan", "a.txt", "--jsonl", "--summary")
    assert "removed ¶" in run.err
    assert [r["id"] for r in run.json_lines()] == ["a.txt"]


def test_json_and_jsonl_exclude_each_other(dedup, articles, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(articles.first, "utf-8")
    run = dedup("scan", "a.txt", "--json", "--jsonl")
    assert run.code == 2
    assert run.err == "dedup: error: --json and --jsonl exclude each other\n"


def test_workers_must_be_positive(dedup, articles, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(articles.first, "utf-8")
    assert dedup("scan", "a.txt", "--workers", "2").code == 0
    run = dedup("scan", "a.txt", "--workers", "0")
    assert run.code == 2
    assert run.err.splitlines()[-1].startswith("dedup: error: ")


def test_version(dedup) -> None:
    run = dedup("--version")
    assert run.code == 0
    assert run.text.startswith("dedup ")


def test_help(dedup) -> None:
    run = dedup("--help")
    assert run.code == 0
    for command in ("scan", "clean", "config"):
        assert command in run.text
    assert dedup("clean", "--help").code == 0


def test_config_shows_defaults(dedup) -> None:
    run = dedup("config")
    assert run.code == 0
    lines = run.text.splitlines()
    assert lines[0].startswith("# no dedup.toml")
    assert 'keep = "complete"' in lines
    assert "join_broken = true" in lines
    assert "shingle_size = 3" in lines


def test_config_shows_the_file_and_overrides(dedup, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.dedup]\nkeep = "first"\nmin-chars = 20\n', "utf-8")
    run = dedup("config", "--no-join")
    assert run.code == 0
    lines = run.text.splitlines()
    assert lines[0] == f"# from {tmp_path / 'pyproject.toml'} [tool.dedup]"
    assert 'keep = "first"' in lines and "min_chars = 20" in lines
    assert "join_broken = false" in lines


def test_config_is_found_above_the_inputs(dedup, articles, tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    (project / "dedup.toml").write_text('scope = "document"\n', "utf-8")
    (project / "data" / "a.txt").write_text(articles.first, "utf-8")
    assert 'scope = "document"' in dedup("config", "project/data/a.txt").text.splitlines()
    assert 'scope = "corpus"' in dedup("config").text.splitlines()  # none above the working directory
