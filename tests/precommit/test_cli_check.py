"""The command line of ``dedup check`` and ``dedup index``: exit codes, output
formats, configuration and its errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from .conftest import UNIQUE, Run, body, edited, git, write

Dedup = Callable[..., Run]
LINE = re.compile(r"^new\.txt:\d+:1: (near|exact): matches article-01\.txt:\d+ \(\d\.\d\d\)$")


def pasted(repo: Path) -> Path:
    return write(repo, "new.txt", "新稿件", *UNIQUE[:3], edited(body(repo / "article-01.txt")), UNIQUE[3])


def test_findings_are_linter_lines_and_exit_1(repo: Path, dedup: Dedup) -> None:
    pasted(repo)
    run = dedup("check", "new.txt")
    assert run.code == 1
    [line] = run.lines()
    assert LINE.match(line), line
    assert "1 duplicate in 1 file" in run.err


def test_quiet_prints_only_findings(repo: Path, dedup: Dedup) -> None:
    pasted(repo)
    run = dedup("check", "-q", "new.txt")
    assert run.code == 1 and run.err == "" and len(run.lines()) == 1


def test_json_format_for_ci(repo: Path, dedup: Dedup) -> None:
    pasted(repo)
    run = dedup("check", "--format", "json", "new.txt")
    assert run.code == 1
    report = json.loads(run.out)
    [file] = report["files"]
    [finding] = file["findings"]
    assert finding["path"] == "new.txt" and finding["kind"] in {"near", "exact"}
    assert finding["matches"][0]["path"] == "article-01.txt"
    assert report["summary"] == {
        "checked": 1,
        "findings": 1,
        "files_with_findings": 1,
        "fixed": 0,
        "ignored": [],
    }
    assert report["index"]["files"] == 11
    assert report["fingerprint"]["segmenter"]


def test_missing_file_is_exit_123_naming_it(repo: Path, dedup: Dedup) -> None:
    run = dedup("check", "nowhere.txt")
    assert run.code == 123
    assert run.err.strip().splitlines()[-1] == "dedup: error: nowhere.txt: cannot read: no such file"


def test_undecodable_file_is_exit_123(repo: Path, dedup: Dedup) -> None:
    (repo / "binary.txt").write_bytes(bytes(range(256)) * 8)
    run = dedup("check", "binary.txt")
    assert run.code == 123
    assert "binary.txt" in run.err


def test_unknown_setting_is_exit_2_naming_the_key(repo: Path, dedup: Dedup) -> None:
    (repo / "pyproject.toml").write_text("[tool.dedup]\nindex_path = 'x'\n", encoding="utf-8")
    run = dedup("check")
    assert run.code == 2
    assert "unknown setting 'index_path'" in run.err
    assert len(run.err.strip().splitlines()) == 1


def test_bad_pattern_is_exit_2(repo: Path, dedup: Dedup) -> None:
    (repo / "dedup.toml").write_text("files = '(unclosed'\n", encoding="utf-8")
    run = dedup("check")
    assert run.code == 2
    assert "'files' is not a valid regular expression" in run.err


def test_index_setting_and_flag_override(repo: Path, dedup: Dedup) -> None:
    (repo / "pyproject.toml").write_text("[tool.dedup]\nindex = 'state/corpus.sqlite'\n", encoding="utf-8")
    assert dedup("check").code == 0
    assert (repo / "state" / "corpus.sqlite").is_file()
    assert dedup("check", "--index", "other.sqlite").code == 0
    assert (repo / "other.sqlite").is_file()
    shown = dedup("config")
    assert 'index = "state/corpus.sqlite"' in shown.out
    assert "files = " in shown.out and "exclude = " in shown.out


def test_index_commands(repo: Path, dedup: Dedup) -> None:
    build = dedup("index", "build")
    assert build.code == 0
    assert "10 files, 10 indexed" in build.err
    stats = dedup("index", "stats", "--format", "json")
    data = json.loads(stats.out)
    assert data["backend"] == "sqlite" and data["files"] == 10 and data["paragraphs"] > 50
    assert data["bands"] > 0 and data["postings"] > 0 and data["bytes"] > 0
    assert "files        10" in dedup("index", "stats").out
    assert dedup("index", "verify").code == 0
    pasted(repo)
    (repo / "article-10.txt").unlink()
    stale = dedup("index", "verify")
    assert stale.code == 1
    assert "article-10.txt: deleted" in stale.out and "new.txt: not indexed" in stale.out
    update = dedup("index", "update")
    assert update.code == 0 and "1 indexed, 1 removed" in update.err
    assert dedup("index", "verify").code == 0
    unchanged = dedup("index", "update")
    assert "0 indexed" in unchanged.err


def test_fix_with_json(repo: Path, dedup: Dedup) -> None:
    pasted(repo)
    run = dedup("check", "--fix", "--format", "json", "new.txt")
    assert run.code == 1
    assert json.loads(run.out)["files"][0]["fixed"] is True
    assert dedup("check", "new.txt").code == 0


def test_unreadable_corpus_files_are_skipped(repo: Path, dedup: Dedup) -> None:
    (repo / "broken.txt").write_bytes(bytes(range(256)) * 8)
    git(repo, "add", "broken.txt")
    pasted(repo)
    run = dedup("check", "new.txt")
    assert run.code == 1
    update = dedup("index", "update", "--rehash")
    assert update.code == 0
    assert "skipped broken.txt: cannot decode" in update.err


def test_concurrent_first_checks(repo: Path) -> None:
    """Two checks starting together on a repository without an index: both build
    it, neither corrupts it, both give the same answer."""
    pasted(repo)
    command = [sys.executable, "-m", "dedup", "check", "-q", "new.txt"]
    runs = [subprocess.Popen(command, cwd=repo, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [1, 1]
    assert outputs[0] == outputs[1] and outputs[0].startswith("new.txt:")
    verify = subprocess.run(
        [sys.executable, "-m", "dedup", "index", "verify"], cwd=repo, capture_output=True, text=True
    )
    assert verify.returncode == 0, verify.stdout
