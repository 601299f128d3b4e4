"""``dedup.files.atomic``: a file is replaced whole or not at all."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from dedup.errors import DedupError
from dedup.files.atomic import atomic_write
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
