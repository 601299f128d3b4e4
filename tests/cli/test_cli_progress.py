"""The progress bar: on stderr when it is a terminal (forced here), never on stdout or in pipes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dedup.cli.progress import FORCE_PROGRESS

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _plain(err: str) -> str:
    return ANSI.sub("", err)


def test_progress_bar_on_stderr_not_stdout(dedup, articles, jsonl, tmp_path: Path, monkeypatch) -> None:
    rows = [{"id": "a", "text": articles.first}, {"id": "b", "text": articles.second}]
    jsonl.write(tmp_path / "in.jsonl", rows)
    quiet_run = dedup("clean", "in.jsonl", "-o", "-")
    assert "━" not in quiet_run.err and "MB/s" not in quiet_run.err  # stderr is not a terminal

    monkeypatch.setenv(FORCE_PROGRESS, "1")
    run = dedup("clean", "in.jsonl", "-o", "-")
    assert run.code == quiet_run.code == 0
    assert run.out == quiet_run.out  # stdout carries the articles only
    err = _plain(run.err)
    bar = [line for line in re.split(r"[\r\n]", err) if "━" in line]
    assert bar, run.err
    assert "2 articles" in bar[-1] and "MB/s" in bar[-1] and "100%" in bar[-1] and "ETA" in bar[-1]
    # the bar is gone at the end; the one-line summary stays, last
    assert err.rstrip("\n").splitlines()[-1].endswith(quiet_run.err.strip())


def test_progress_counts_known_articles(dedup, articles, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.txt").write_text(articles.first, "utf-8")
    (tmp_path / "b.txt").write_text(articles.second, "utf-8")
    monkeypatch.setenv(FORCE_PROGRESS, "1")
    run = dedup("scan", "a.txt", "b.txt")
    assert run.code == 1
    assert "2/2 articles" in _plain(run.err)
    assert "scanning" not in run.text and "MB/s" not in run.text  # the table on stdout has no bar


def test_progress_without_a_total_has_no_eta(dedup, articles, monkeypatch) -> None:
    monkeypatch.setenv(FORCE_PROGRESS, "1")
    run = dedup("clean", "-", "-o", "-", stdin=articles.first.encode("utf-8"))
    err = _plain(run.err)
    assert "1 article" in err and "ETA" not in err and "%" not in err


@pytest.mark.parametrize("command", ["scan", "clean"])
def test_quiet_has_no_progress(dedup, articles, tmp_path: Path, monkeypatch, command: str) -> None:
    (tmp_path / "a.txt").write_text(articles.first, "utf-8")
    monkeypatch.setenv(FORCE_PROGRESS, "1")
    args = ["-o", "out.txt"] if command == "clean" else []
    run = dedup(command, "a.txt", *args, "--quiet")
    assert run.err == ""
