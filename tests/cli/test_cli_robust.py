"""The command line on awkward input: legacy encodings, undecodable files
(``--on-error``), lone surrogates, lone-CR line ends, the output inside the
input directory, and crashes (exit 70)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def _cleaned_as_utf8(dedup, tmp_path: Path, text: str) -> str:
    """What ``clean`` makes of ``text`` alone, saved as UTF-8 with LF line ends."""
    (tmp_path / "utf8.txt").write_text(text, "utf-8")
    run = dedup("clean", "utf8.txt", "-o", "-")
    assert run.code in (0, 1)
    return run.text


def test_gb18030_and_big5_directory_is_read_and_written_back(dedup, articles, tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_bytes(articles.first.encode("gb18030"))
    second = "ｗｗｗ．ｐｅｏｐｌｅ．ｃｏｍ．ｃｎ\n\n" + articles.second
    (corpus / "b.txt").write_bytes(second.encode("gb18030"))
    (tmp_path / "utf8").mkdir()
    (tmp_path / "utf8" / "a.txt").write_text(articles.first, "utf-8")
    (tmp_path / "utf8" / "b.txt").write_text(second, "utf-8")
    assert dedup("clean", "utf8", "--in-place").code == 0
    run = dedup("clean", "in", "--in-place")
    assert run.code == 0, run.err
    for name in ("a.txt", "b.txt"):
        cleaned = (tmp_path / "utf8" / name).read_text("utf-8")
        assert (corpus / name).read_bytes() == cleaned.encode("gb18030")
    assert articles.shared not in (corpus / "b.txt").read_bytes().decode("gb18030")


def test_undecodable_file_is_skipped_and_the_rest_written(dedup, articles, tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text(articles.first, "utf-8")
    (corpus / "b.bin.txt").write_bytes(bytes(range(256)) * 8)
    (corpus / "c.txt").write_text(articles.second, "utf-8")
    run = dedup("clean", "in", "-o", "out")
    assert run.code == 3
    errors = [line for line in run.err.splitlines() if line.startswith("dedup: error: ")]
    assert errors == [
        "dedup: error: in/b.bin.txt: cannot decode: not UTF-8, GB18030, Big5 or UTF-16, "
        "and no other text encoding fits (skipped)"
    ]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.txt", "c.txt"]
    assert articles.shared not in (tmp_path / "out" / "c.txt").read_text("utf-8")

    run = dedup("clean", "in", "-o", "out2", "--on-error", "stop")
    assert run.code == 123
    assert run.err.startswith("dedup: error: in/b.bin.txt: cannot decode")
    assert not (tmp_path / "out2").exists()


def test_forced_encoding(dedup, articles, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(articles.first.encode("gb18030"))
    run = dedup("clean", "a.txt", "-o", "-", "--encoding", "gb18030")
    assert run.code == 0
    assert run.out == articles.first.encode("gb18030")
    run = dedup("scan", "a.txt", "--encoding", "utf-8", "--on-error", "stop")
    assert run.code == 123
    assert run.err == "dedup: error: a.txt: cannot decode as utf-8\n"
    run = dedup("scan", "a.txt", "--encoding", "no-such-codec")
    assert run.code == 2
    assert run.err == "dedup: error: unknown encoding 'no-such-codec'\n"


def test_utf16_big_endian_is_written_back_big_endian(dedup, articles, tmp_path: Path) -> None:
    text = articles.first + articles.first  # every paragraph twice: the copies go
    cleaned = _cleaned_as_utf8(dedup, tmp_path, text)
    assert cleaned != text
    (tmp_path / "a.txt").write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    run = dedup("clean", "a.txt", "--in-place")
    assert run.code == 0
    assert (tmp_path / "a.txt").read_bytes() == b"\xfe\xff" + cleaned.encode("utf-16-be")


def test_lone_cr_line_ends(dedup, articles, tmp_path: Path) -> None:
    """An old Mac file is read as lines and written back with its CRs."""
    text = articles.first + articles.first
    cleaned = _cleaned_as_utf8(dedup, tmp_path, text)
    assert cleaned != text
    (tmp_path / "a.txt").write_bytes(text.replace("\n", "\r").encode("utf-8"))
    run = dedup("clean", "a.txt", "--in-place")
    assert run.code == 0
    assert (tmp_path / "a.txt").read_bytes() == cleaned.replace("\n", "\r").encode("utf-8")


def test_lone_surrogates_are_kept(dedup, articles, jsonl, tmp_path: Path) -> None:
    odd = "\ud800" + articles.shared
    rows = [{"id": "a", "text": odd}, {"id": "b", "text": odd + "\n\n" + articles.first}]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "ascii")
    run = dedup("clean", "in.jsonl", "-o", "out.jsonl")
    assert run.code == 0, run.err
    rows = jsonl.read(tmp_path / "out.jsonl")
    assert rows[0]["text"] == odd
    assert "\ud800" not in rows[1]["text"]  # the repeat went, surrogate and all


def test_output_inside_the_input_directory_is_not_read_back(dedup, articles, tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text(articles.first, "utf-8")
    (corpus / "b.txt").write_text(articles.second, "utf-8")
    for _ in range(2):
        run = dedup("clean", "in", "-o", "in/out", "--report", "r.jsonl")
        assert run.code == 0
        ids = [json.loads(line)["id"] for line in (tmp_path / "r.jsonl").read_text("utf-8").splitlines()]
        assert ids == ["in/a.txt", "in/b.txt"]
    assert sorted(p.name for p in (corpus / "out").iterdir()) == ["a.txt", "b.txt"]
    for _ in range(2):
        run = dedup("clean", "in", "-o", "in/all.jsonl", "--report", "r.jsonl")
        ids = [json.loads(line)["id"] for line in (tmp_path / "r.jsonl").read_text("utf-8").splitlines()]
        assert ids == ["in/a.txt", "in/b.txt", "in/out/a.txt", "in/out/b.txt"]


_CRASHING = """
import sys
from dedup.cli import app as cli

@cli.app.command("crash")
def crash() -> None:
    raise ZeroDivisionError("a bug\\nover two lines")

sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.mark.parametrize(
    ("args", "env", "traceback"),
    [(["crash"], {}, False), (["--debug", "crash"], {}, True), (["crash"], {"DEDUP_DEBUG": "1"}, True)],
)
def test_a_crash_is_exit_70_in_one_line(args: list[str], env: dict[str, str], traceback: bool) -> None:
    """Any unexpected exception (a command added here raises one) is exit 70, never 1."""
    done = subprocess.run(
        [sys.executable, "-c", _CRASHING, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**__import__("os").environ, **env},
    )
    assert done.returncode == 70
    last = done.stderr.splitlines()[-1]
    assert last.startswith("dedup: error: internal error: ZeroDivisionError: a bug over two lines")
    assert ("Traceback" in done.stderr) is traceback
    if not traceback:
        assert done.stderr.count("\n") == 1
