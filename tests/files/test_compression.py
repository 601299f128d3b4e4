"""``dedup.files.compression``: compressed files written by suffix, read by magic bytes."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from dedup.errors import InputError
from dedup.files.atomic import AtomicFile, atomic_write
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


def test_gzip_written_and_read_by_zlib_ng_is_the_standard_librarys_gzip(tmp_path: Path) -> None:
    # zlib-ng writes the same format: the standard library reads what it writes, and the other way
    import gzip

    from dedup.files import compression

    assert compression.GzipFile is not gzip.GzipFile, "zlib-ng, a dependency, is not installed"
    ours = tmp_path / "ours.jsonl.gz"
    atomic_write(ours, LONG)
    assert gzip.decompress(ours.read_bytes()) == LONG.encode()
    theirs = tmp_path / "theirs.jsonl.gz"
    theirs.write_bytes(gzip.compress(LONG.encode(), compresslevel=9) + gzip.compress(b"{}\n"))
    assert read_all(str(theirs)) == LONG.encode() + b"{}\n"  # (two members, as a concatenation makes)
    broken = tmp_path / "broken.jsonl.gz"
    whole = ours.read_bytes()
    broken.write_bytes(whole[:20] + b"\xff" * 16 + whole[36:])  # (zlib-ng's own error)
    with pytest.raises(InputError, match=r"broken\.jsonl\.gz: cannot read: "):
        list(read_documents([broken]))


def test_without_zlib_ng_the_standard_librarys_gzip_reads_and_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gzip
    import importlib
    import sys

    from dedup.files import compression

    monkeypatch.setitem(sys.modules, "zlib_ng", None)  # (an import of it raises ImportError)
    try:
        plain = importlib.reload(compression)
        assert plain.GzipFile is gzip.GzipFile
        path = tmp_path / "rows.jsonl.gz"
        raw = path.open("wb")
        with plain.open_write(raw, str(path)) as out:
            out.write(DATA)
        raw.close()
        assert gzip.decompress(path.read_bytes()) == DATA
        assert plain.read_all(str(path)) == DATA
    finally:
        monkeypatch.undo()  # zlib-ng back in ``sys.modules``, then the module as it was
        importlib.reload(compression)
    assert compression.GzipFile is not gzip.GzipFile


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


#: more than a few compressor blocks (a megabyte each) and decompressed read-ahead blocks
LONG = "".join(
    f'{{"id": "{n}", "text": "第{n}段正文,一段足够长的文字。{n * 7919 % 1000003}"}}\n' for n in range(60_000)
)


@pytest.mark.parametrize("suffix", [".gz", ".zst", ".bz2", ".xz"])
def test_long_outputs_compressed_beside_the_caller_read_back_ahead(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"rows.jsonl{suffix}"
    before = threading.active_count()
    with AtomicFile(path) as out:
        for line in LONG.splitlines(keepends=True):
            out.write(line.encode())
    assert read_all(str(path)) == LONG.encode()
    documents = read_documents([path])
    assert [d.id for d in documents] == [str(n) for n in range(60_000)]
    assert threading.active_count() == before


def test_a_long_output_discarded_leaves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl.gz"
    out = AtomicFile(path)
    out.write(LONG.encode())
    out.write(LONG.encode())
    out.discard()
    assert list(tmp_path.iterdir()) == []


def test_reading_stopped_early_stops_the_thread_reading_ahead(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl.gz"
    atomic_write(path, LONG)
    before = threading.active_count()
    documents = read_documents([path])
    assert next(iter(documents)).id == "0"
    documents.close()  # type: ignore[attr-defined]
    assert threading.active_count() == before


def test_a_long_stream_cut_short_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl.gz"
    atomic_write(path, LONG)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(InputError, match=r"rows\.jsonl\.gz: cannot read: "):
        list(read_documents([path]))
