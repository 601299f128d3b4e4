"""The cache names an entry by its source's content: each installation of the same jieba shares it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dedup.cache import cache_folder, content_digest, write_atomically


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "dedup"


def test_two_installations_of_the_same_file_share_a_digest(tmp_path: Path, folder: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_bytes("的 1 uj\n".encode() * 1000)
    second.write_bytes(first.read_bytes())
    os.utime(second, ns=(1_000_000_000, 1_000_000_000))  # installed at another time
    assert cache_folder() == folder
    assert content_digest(first) == content_digest(second)
    # each remembered under its own size and time, so the next run reads it instead
    assert len(list(folder.glob(".source-*"))) == 2


def test_another_content_has_another_digest(tmp_path: Path, folder: Path) -> None:
    source = tmp_path / "dict.txt"
    source.write_bytes(b"a 1\n")
    before = content_digest(source)
    source.write_bytes(b"b 2\n")
    os.utime(source, ns=(2_000_000_000, 2_000_000_000))
    assert content_digest(source) != before


def test_a_damaged_remembered_digest_is_worked_out_again(tmp_path: Path, folder: Path) -> None:
    source = tmp_path / "dict.txt"
    source.write_bytes(b"a 1\n")
    digest = content_digest(source)
    (remembered,) = folder.glob(".source-*")
    remembered.write_text("garbage")
    assert content_digest(source) == digest


def test_without_a_writable_cache_the_digest_is_still_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    source = tmp_path / "dict.txt"
    source.write_bytes(b"a 1\n")
    assert len(content_digest(source)) == 16
    assert not write_atomically(cache_folder() / "entry", b"x")
    assert list(tmp_path.glob("**/.scratch-*")) == []
