"""Expected errors: one line on stderr, the right exit code, no traceback, no partial output."""

from __future__ import annotations

from pathlib import Path

import pytest


def _one_error_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("dedup: error: ")
    return lines[0]


def test_missing_file(dedup) -> None:
    run = dedup("clean", "nope.txt", "-o", "-")
    assert run.code == 123
    assert _one_error_line(run.err) == "dedup: error: nope.txt: no such file or directory"
    assert run.out == b""


def test_bad_jsonl_line_names_file_and_line(dedup, articles, jsonl, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    jsonl.write(path, [{"id": "a", "text": articles.first}, {"id": "b", "text": articles.second}])
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\n{not json\n")
    run = dedup("clean", "in.jsonl", "-o", "out.jsonl", "--report", "report.jsonl")
    assert run.code == 123
    assert _one_error_line(run.err).startswith("dedup: error: in.jsonl:4: invalid JSON")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]  # no output, no temporary file


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("[1, 2]", "in.jsonl:2: expected a JSON object, got an array"),
        ('{"id": "x"}', "in.jsonl:2: no 'text' field"),
        ('{"id": "x", "text": 3}', "in.jsonl:2: field 'text' must be a string, got a number"),
        (
            '{"id": ["x"], "text": "正文"}',
            "in.jsonl:2: field 'id' must be a string or an integer, got an array",
        ),
    ],
)
def test_invalid_jsonl_records(dedup, tmp_path: Path, line: str, message: str) -> None:
    (tmp_path / "in.jsonl").write_text('{"id": "ok", "text": "正文。"}\n' + line + "\n", "utf-8")
    run = dedup("scan", "in.jsonl")
    assert run.code == 123
    assert _one_error_line(run.err) == f"dedup: error: {message}"


def test_bad_line_on_stdin(dedup) -> None:
    run = dedup("scan", "-", stdin=b'{"text": "a"}\n\n{"text": 1}\n')
    assert run.code == 123
    assert _one_error_line(run.err) == "dedup: error: -:3: field 'text' must be a string, got a number"


def test_undecodable_text_file(dedup, tmp_path: Path) -> None:
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    run = dedup("scan", "binary.txt", "--on-error", "stop")
    assert run.code == 123
    assert _one_error_line(run.err).startswith("dedup: error: binary.txt: cannot decode")


def test_unknown_setting_in_dedup_toml(dedup, articles, tmp_path: Path) -> None:
    (tmp_path / "dedup.toml").write_text("shingle_size = 3\nbogus_setting = 1\n", "utf-8")
    (tmp_path / "a.txt").write_text(articles.first, "utf-8")
    run = dedup("clean", "a.txt", "-o", "out.txt")
    assert run.code == 2
    assert "unknown setting 'bogus_setting'" in _one_error_line(run.err)
    assert not (tmp_path / "out.txt").exists()


def test_bad_value_in_config_file(dedup, articles, tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text("near_threshold = 2.0\n", "utf-8")
    (tmp_path / "a.txt").write_text(articles.first, "utf-8")
    run = dedup("scan", "a.txt", "--config", "settings.toml")
    assert run.code == 2
    assert "near_threshold" in _one_error_line(run.err)


def test_missing_config_file(dedup, articles, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(articles.first, "utf-8")
    run = dedup("scan", "a.txt", "--config", "missing.toml")
    assert run.code == 2
    assert "missing.toml" in _one_error_line(run.err)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["clean", "a.txt"], "say where cleaned articles go"),
        (["clean", "a.txt", "-o", "x", "--in-place"], "-o and --in-place exclude each other"),
        (["clean", "-", "--in-place"], "standard input cannot be rewritten in place"),
        (["clean", "a.txt", "b.txt", "-o", "-"], "several text files cannot go to stdout"),
        (["clean", "a.txt", "b.txt", "-o", "a.txt"], "not a directory"),
        (["clean", "a.txt", "-o", "-", "--report", "-"], "cannot both go to stdout"),
        (["scan", "-", "-"], "standard input (-) given more than once"),
    ],
)
def test_usage_errors(dedup, articles, tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "a.txt").write_text(articles.first, "utf-8")
    (tmp_path / "b.txt").write_text(articles.second, "utf-8")
    run = dedup(*args)
    assert message in _one_error_line(run.err)
    assert run.code == 2
    assert (tmp_path / "a.txt").read_text("utf-8") == articles.first


def test_parse_errors_show_usage(dedup) -> None:
    run = dedup("clean", "--no-such-option")
    assert run.code == 2
    lines = run.err.splitlines()
    assert lines[0].startswith("Usage: dedup clean")
    assert lines[-1].startswith("dedup: error: No such option: --no-such-option")


def test_no_arguments_prints_help(dedup) -> None:
    run = dedup()
    assert run.code == 2
    assert "Commands:" in run.err
