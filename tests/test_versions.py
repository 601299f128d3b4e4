"""versions: the installed versions importlib.metadata gives, read without it where that is plain."""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

from dedup.versions import ABSENT, installed_version

NAMES = ["dedup", "opencc", "OpenCC", "numpy", "jieba", "rjieba", "datasketch", "xxhash", "typing-extensions"]


def _expected(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return ABSENT


@pytest.mark.parametrize("name", [*NAMES, "no_such_package_here"])
def test_installed_version_is_what_importlib_metadata_says(name: str) -> None:
    assert installed_version(name) == _expected(name)


def test_the_working_directory_counts_as_importlib_metadata_counts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # '' on sys.path is the working directory: a dist-info there comes first
    (tmp_path / "numpy-0.0.1.dist-info").mkdir()
    (tmp_path / "numpy-0.0.1.dist-info" / "METADATA").write_text("Name: numpy\nVersion: 0.0.1\n\nBody\n")
    (tmp_path / "jieba-9.egg-info").mkdir()  # an egg-info without metadata: left to importlib.metadata
    # a checkout installed in place: an egg-info folder of its own, its PKG-INFO the metadata
    (tmp_path / "xxhash.egg-info").mkdir()
    info = "Metadata-Version: 2.1\nName: xxhash\nVersion: 7.1\n"
    (tmp_path / "xxhash.egg-info" / "PKG-INFO").write_text(info)
    (tmp_path / "rjieba.egg-info").write_text("Name: rjieba\nVersion: 3\n")  # an egg-info file: left to it
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend("")
    assert os.getcwd() == str(tmp_path)
    for name in ("numpy", "jieba", "opencc", "xxhash", "rjieba"):
        assert installed_version(name) == _expected(name)
    assert installed_version("numpy") == "0.0.1"
    assert installed_version("xxhash") == "7.1"
