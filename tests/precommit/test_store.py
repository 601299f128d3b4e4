"""The SQLite index: records survive a round trip, lookups find what the
matcher needs, replaced and deleted files leave nothing behind, damage is
detected, and concurrent writers do not corrupt it."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from dedup.config import Config
from dedup.errors import IndexDamaged
from dedup.precommit.records import (
    FileRecord,
    FileState,
    Probe,
    key_hash,
    pack_tokens,
    paragraph_records,
    unpack_tokens,
)
from dedup.precommit.sqlite_store import SQLiteStore
from dedup.precommit.store import index_fingerprint
from dedup.records import Document
from dedup.run.parallel import extract_all

from .conftest import CORPUS, body, edited

CONFIG = Config()


def records(texts: dict[str, str], config: Config = CONFIG) -> list[FileRecord]:
    documents = [Document(path, text, path) for path, text in texts.items()]
    out = []
    for document, extracted in zip(documents, extract_all(documents, config), strict=True):
        state = FileState(document.id, f"sha-{key_hash(document.text)}", len(document.text), 1)
        out.append(FileRecord(state, paragraph_records(document.text, extracted.items)))
    return out


def corpus_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))}


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    opened = SQLiteStore(tmp_path / ".dedup" / "index.sqlite", CONFIG)
    opened.reset()
    return opened


def test_records_round_trip(store: SQLiteStore) -> None:
    texts = corpus_texts()
    written = records(texts)
    store.write(written)
    assert set(store.files()) == set(texts)
    first = written[0]
    stored = store.file_paragraphs(first.state.path)
    assert [s.record.index for s in stored] == [p.index for p in first.paragraphs]
    documents = [Document(first.state.path, texts[first.state.path])]
    items = next(iter(extract_all(documents, CONFIG))).items
    for s, it in zip(stored, items, strict=True):
        assert s.record.key_hash == key_hash(it.key.text)
        shingles = s.record.shingles(CONFIG.shingle_size)
        assert np.array_equal(shingles.hashes, it.shingles.hashes)
        assert np.array_equal(shingles.spans, it.shingles.spans)
        assert shingles.tokens == it.shingles.tokens
        assert (s.record.line, s.record.col) >= (1, 1)


def test_lookup_finds_copies_and_pieces(store: SQLiteStore) -> None:
    texts = corpus_texts()
    store.write(records(texts))
    source = CORPUS / "article-03.txt"
    original = body(source)
    probe_texts = {
        "probe.txt": "标题\n\n"
        + original
        + "\n\n"
        + edited(original)
        + "\n\n"
        + original[: len(original) // 2]
    }
    probe = records(probe_texts)[0]
    probes = [Probe(p.key_hash, np.unique(p.hashes), p.signature) for p in probe.paragraphs]
    hits = store.lookup(probes)
    target = next(
        s.id for s in store.file_paragraphs("article-03.txt") if s.record.key_hash == probes[1].key_hash
    )
    assert target in hits[1].exact
    assert target in hits[2].near
    assert target in [pid for pid, _ in hits[3].shared]
    assert store.locate([target])[target].path == "article-03.txt"


def test_replaced_and_removed_files_leave_nothing_behind(store: SQLiteStore) -> None:
    texts = corpus_texts()
    store.write(records(texts))
    full = store.stats()
    changed = dict(texts)
    changed["article-01.txt"] = (
        texts["article-01.txt"] + "\n新增的一段文字，说明文件已经改变，需要重新建立索引。\n"
    )
    store.write(records({"article-01.txt": changed["article-01.txt"]}))
    store.write(removed=["article-02.txt"])
    assert store.verify() == []
    assert "article-02.txt" not in store.files()
    store.write(records({"article-02.txt": texts["article-02.txt"]}))
    store.write(records({"article-01.txt": texts["article-01.txt"]}))
    again = store.stats()
    assert (again.files, again.paragraphs, again.bands, again.postings) == (
        full.files,
        full.paragraphs,
        full.bands,
        full.postings,
    )


def test_database_is_in_wal_mode_with_the_schema(store: SQLiteStore) -> None:
    db = sqlite3.connect(store.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"meta", "files", "paragraphs", "bands", "postings"} <= tables
    indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"paragraphs_key", "paragraphs_file"} <= indexes
    assert store.fingerprint() == index_fingerprint(CONFIG)


def test_a_file_that_is_not_an_index_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    path.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(IndexDamaged, match="index is damaged"):
        SQLiteStore(path, CONFIG)


def test_corrupted_pages_are_reported(store: SQLiteStore) -> None:
    store.write(records(corpus_texts()))
    store.close()
    data = bytearray(store.path.read_bytes())
    page = 4096
    for start in range(2 * page, len(data), page):
        data[start : start + 64] = b"\xff" * 64
    store.path.write_bytes(bytes(data))
    with pytest.raises(IndexDamaged):
        damaged = SQLiteStore(store.path, CONFIG)
        damaged.verify()
        damaged.files()
        damaged.file_paragraphs("article-01.txt")


def test_fingerprint_depends_on_stored_settings_only() -> None:
    base = index_fingerprint(CONFIG)
    assert index_fingerprint(CONFIG.replace(near_threshold=0.7)) == base
    assert index_fingerprint(CONFIG.replace(num_perm=64))["num_perm"] == "64"
    assert index_fingerprint(CONFIG.replace(shingle_size=4)) != base
    assert {"datasketch", "hash_scheme", "segmenter", "schema"} <= set(base)


@pytest.mark.parametrize("top", [7, 300, 70000])
def test_token_lengths_pack(top: int) -> None:
    lengths = [1, 2, top, 3]
    assert unpack_tokens(pack_tokens(lengths)).tolist() == lengths
    assert unpack_tokens(pack_tokens([])).tolist() == []


def _writer(path: str, names: list[str]) -> None:
    texts = corpus_texts()
    store = SQLiteStore(Path(path), CONFIG)
    written = records({name: texts[name] for name in names})
    for _ in range(5):
        for record in written:
            store.write([record])
            store.write(removed=[record.state.path])
        store.write(written)
    store.close()


def test_concurrent_writers_do_not_corrupt_the_index(store: SQLiteStore) -> None:
    names = sorted(corpus_texts())
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(str(store.path), names[i::2])) for i in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    assert store.verify() == []
    assert set(store.files()) == set(names)
