"""``dedup.files.atomic``: a file is replaced whole or not at all."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from dedup.errors import DedupError
from dedup.files.atomic import AtomicFile, atomic_write, discard_pending
from dedup.files.jsonl import JsonlWriter


def test_atomic_write_replaces_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    atomic_write(target, "一")
    assert target.read_text("utf-8") == "一"
    target.chmod(0o600)
    atomic_write(target, b"\xe4\xba\x8c")
    assert target.read_text("utf-8") == "二"
    assert target.stat().st_mode & 0o777 == 0o600
    atomic_write(tmp_path / "deep" / "er" / "x.txt.gz", "三")
    assert gzip.decompress((tmp_path / "deep" / "er" / "x.txt.gz").read_bytes()) == "三".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep", "out.txt"]


def test_atomic_file_error_leaves_target_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old\n", "utf-8")
    with pytest.raises(RuntimeError), JsonlWriter(target) as writer:
        writer.write({"text": "new"})
        raise RuntimeError("boom")
    assert target.read_text("utf-8") == "old\n"
    assert os.listdir(tmp_path) == ["out.jsonl"]


def test_atomic_write_follows_symlinks(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("old", "utf-8")
    (tmp_path / "link.txt").symlink_to("real.txt")
    atomic_write(tmp_path / "link.txt", "new")
    assert (tmp_path / "link.txt").is_symlink()
    assert (tmp_path / "real.txt").read_text("utf-8") == "new"


def test_unwritable_target_is_a_dedup_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", "utf-8")
    with pytest.raises(DedupError, match="cannot write"):
        atomic_write(tmp_path / "file" / "below.txt", "x")


def test_leftovers_of_a_killed_run_are_swept_by_the_next_write(tmp_path: Path) -> None:
    """A SIGKILL leaves ``.NAME.XXXXXXXX.tmp``; the next write of NAME removes it, and only its own."""
    target = tmp_path / "a.txt"
    target.write_text("旧", "utf-8")
    for name in (".a.txt.k2j_9xq0.tmp", ".a.txt.zzzzzzzz.tmp", ".b.txt.abcdefgh.tmp", ".a.txt.notours.tmp"):
        (tmp_path / name).write_bytes(b"half")
    atomic_write(target, "新")
    assert target.read_text("utf-8") == "新"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".a.txt.notours.tmp",
        ".b.txt.abcdefgh.tmp",
        "a.txt",
    ]
    atomic_write(tmp_path / "b.txt", "乙")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".a.txt.notours.tmp", "a.txt", "b.txt"]


def test_pending_temporary_files_are_discarded(tmp_path: Path) -> None:
    """What the command line does on SIGINT or SIGTERM: every file being written goes, targets stay."""
    (tmp_path / "a.txt").write_text("旧", "utf-8")
    first, second = AtomicFile(tmp_path / "a.txt"), AtomicFile(tmp_path / "b.txt")
    first.write(b"x")
    assert len(list(tmp_path.glob(".*.tmp"))) == 2
    discard_pending()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    assert (tmp_path / "a.txt").read_text("utf-8") == "旧"
    second.discard()
