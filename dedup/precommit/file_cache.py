"""Corpus files read back for verification, as the cleaner's items.

A candidate found in the index is verified against its file's text, made into
items by the cleaner's own :class:`~dedup.matching.features.Extractor`, with
the shingles the index holds for its keys (so an indexed file is not tokenised
again).  An entry that no longer matches its file (the key hashes differ) gives
no items: the caller re-indexes.
"""

from __future__ import annotations

from dedup.config import Config
from dedup.errors import InputError
from dedup.matching.features import Extracted, Extractor
from dedup.matching.item import Item
from dedup.precommit.records import key_hash, line_col, line_starts
from dedup.precommit.repository import Repository, read_file
from dedup.precommit.store import Store
from dedup.records import Document

#: candidate files whose items are kept in memory during one run
CACHED_FILES = 2048


class FileCache:
    """Corpus files read back for verification: their text, and their items by
    paragraph index (for at most ``CACHED_FILES`` files at a time)."""

    def __init__(self, store: Store, repo: Repository, config: Config) -> None:
        self.store = store
        self.repo = repo
        self.config = config
        self._plain = config.replace(scope="document")
        self._docs: dict[str, dict[int, Item] | None] = {}
        self.texts: dict[str, str] = {}
        self._numbers: dict[str, int] = {}

    def number(self, path: str) -> int:
        return self._numbers.setdefault(path, len(self._numbers))

    def text(self, path: str) -> str | None:
        if path not in self.texts:
            try:
                self.texts[path] = read_file(self.repo.root / path, path)[1]
            except InputError:
                return None
        return self.texts[path]

    def extracted(self, path: str, signed: bool = False) -> Extracted | None:
        """A whole indexed file as the cleaner extracts it, with the shingles the
        index holds for its keys (``None`` when the file no longer matches its
        index entry); ``signed`` adds signatures and band keys."""
        text = self.text(path)
        if text is None:
            return None
        stored = self.store.file_paragraphs(path)
        known = {s.record.key_hash: s.record.shingles(self.config.shingle_size) for s in stored}
        extractor = Extractor(self.config if signed else self._plain, lambda key: known.get(key_hash(key)))
        extracted = extractor(self.number(path), Document(path, text, path))
        expected = [(s.record.index, s.record.key_hash) for s in stored]
        if [(it.paragraph.index, key_hash(it.key.text)) for it in extracted.items] != expected:
            return None
        return extracted

    def item(self, path: str, index: int) -> Item | None:
        if path not in self._docs:
            if len(self._docs) >= CACHED_FILES:
                # checking a whole corpus: keep memory bounded
                self._docs.pop(next(iter(self._docs)))
                self.texts.clear()
            extracted = self.extracted(path)
            self._docs[path] = (
                None if extracted is None else {it.paragraph.index: it for it in extracted.items}
            )
        doc = self._docs[path]
        return None if doc is None else doc.get(index)

    def forget(self, path: str) -> None:
        self._docs.pop(path, None)
        self.texts.pop(path, None)

    def location(self, path: str, offset: int) -> tuple[int, int]:
        """1-based line and column of ``offset`` in the file (line 1 in a file that cannot be read)."""
        text = self.text(path) or ""
        return line_col(line_starts(text[: offset + 1]), offset)
