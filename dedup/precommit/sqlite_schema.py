"""The tables of the SQLite index (`precommit.sqlite_store`), schema version 1::

    meta(key, value)                     fingerprint (JSON), schema version
    files(id, path UNIQUE, sha, size, mtime_ns, paragraphs)
    paragraphs(id, file, idx, line, col, start, end_, content_start, content_end,
               shape, key_hash, size, shingles BLOB, tokens BLOB)
        index (file, idx), index (key_hash)
    bands(key, paragraph)     WITHOUT ROWID, primary key (key, paragraph)
    postings(shingle, paragraph) WITHOUT ROWID, primary key (shingle, paragraph)

``shingles`` are the paragraph's shingle hashes in order (uint32, little
endian); ``tokens`` its word lengths (a width byte, then uint8/16/32 values),
from which the character span of every shingle follows.  ``bands`` holds the
low 32 bits of each LSH band key (a chance collision only adds a candidate,
which is verified anyway); ``postings`` only the anchor shingles
(:func:`dedup.matching.index.anchors`, a fixed quarter of all hash values).
"""

from __future__ import annotations

import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    path TEXT NOT NULL UNIQUE,
    sha TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    paragraphs INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS paragraphs(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    file INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    line INTEGER NOT NULL,
    col INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end_ INTEGER NOT NULL,
    content_start INTEGER NOT NULL,
    content_end INTEGER NOT NULL,
    shape INTEGER NOT NULL,
    key_hash INTEGER NOT NULL,
    size INTEGER NOT NULL,
    shingles BLOB NOT NULL,
    tokens BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS paragraphs_file ON paragraphs(file, idx);
CREATE INDEX IF NOT EXISTS paragraphs_key ON paragraphs(key_hash);
CREATE TABLE IF NOT EXISTS bands(
    key INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    PRIMARY KEY (key, paragraph)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS postings(
    shingle INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    PRIMARY KEY (shingle, paragraph)
) WITHOUT ROWID;
"""
TABLES = ("meta", "files", "paragraphs", "bands", "postings")
COLUMNS = (
    "p.id, f.path, p.idx, p.line, p.col, p.start, p.end_, p.content_start, p.content_end, "
    "p.shape, p.key_hash, p.size, p.shingles, p.tokens"
)
JOINED = "paragraphs p JOIN files f ON f.id = p.file"
INSERT_PARAGRAPH = (
    "INSERT INTO paragraphs(file, idx, line, col, start, end_, content_start, content_end, "
    "shape, key_hash, size, shingles, tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_DAMAGE_CODES = {"SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_CORRUPT_INDEX", "SQLITE_CORRUPT_SEQUENCE"}


def is_damage(err: sqlite3.Error) -> bool:
    """Whether an error says the file is not a sound index (rebuild it), not that it is busy."""
    name = getattr(err, "sqlite_errorname", "") or ""
    message = str(err).lower()
    return (
        name in _DAMAGE_CODES
        or "malformed" in message
        or "not a database" in message
        or "no such table" in message
        or "no such column" in message
    )
