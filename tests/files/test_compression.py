"""``dedup.files.compression``: compressed files written by suffix, read by magic bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup.errors import InputError
from dedup.files.atomic import atomic_write
from dedup.files.compression import codec_of_bytes, inner_name, read_all
from dedup.files.readers import read_documents

DATA = "".join(f'{{"id": "{n}", "text": "第{n}段正文。"}}\n' for n in range(2000)).encode()


@pytest.mark.parametrize(
    ("suffix", "codec"), [(".gz", "gzip"), (".zst", "zstd"), (".bz2", "bzip2"), (".xz", "xz")]
)
def test_written_by_suffix_read_by_magic(tmp_path: Path, suffix: str, codec: str) -> None:
    path = tmp_path / f"rows.jsonl{suffix}"
    atomic_write(path, DATA)
    raw = path.read_bytes()
    assert codec_of_bytes(raw[:8]) == codec and len(raw) < len(DATA) // 4
    assert read_all(str(path)) == DATA
    renamed = path.rename(tmp_path / "rows.jsonl")  # the name no longer says it
    assert [d.id for d in read_documents([renamed])][-1] == "1999"


def test_plain_files_and_names() -> None:
    assert codec_of_bytes(b'{"id": 1}') is None
    assert inner_name("a/b.jsonl.ZST") == "a/b.jsonl"
    assert inner_name("a/b.jsonl") == "a/b.jsonl"


def test_a_broken_stream_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl.xz"
    atomic_write(path, DATA)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(InputError, match=r"rows\.jsonl\.xz: cannot read: "):
        list(read_documents([path]))
