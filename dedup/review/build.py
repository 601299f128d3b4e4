"""The review being gathered and written: :class:`Review`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from dedup.review.corpus import corpus_page
from dedup.review.model import Copies, article_model, embed
from dedup.review.page import document
from dedup.review.sample import DEFAULT_LIMIT, Entry, Selection, TextStore
from dedup.review.stats import CorpusStats


class Review:
    """A review being gathered: :meth:`add` each article's report line and text in
    run order, then :meth:`html` (or :meth:`write`) once.

    ``meta`` is shown on the corpus page: ``settings`` and ``fingerprint`` (dicts),
    ``settings_note`` (a sentence about them) and ``report`` (the report file's
    path as the page should link it, or ``None``).  ``limit`` articles at most are
    shown in full (see :class:`~dedup.review.sample.Selection`).
    """

    def __init__(
        self,
        title: str = "dedup review",
        meta: Mapping[str, Any] | None = None,
        limit: int = DEFAULT_LIMIT,
        seed: int = 1,
    ) -> None:
        self.title = title
        self.meta = dict(meta or {})
        self.stats = CorpusStats()
        self.selection = Selection(limit, seed)
        self._store = TextStore()

    def add(self, line: Mapping[str, Any], text: str, serialized: bytes | None = None) -> None:
        """One article: its report line (``dedup.files.result_to_json``) and original text.
        (``serialized``, the line as the report writes it, is what ``ReviewApart`` hands over;
        here the line itself is read.)"""
        position = self.stats.articles
        removed = self.stats.add(line, text)
        self._store.add(str(line["id"]), text)
        self.selection.add(Entry(position, line, text, removed))

    def html(self) -> str:
        """The page."""
        copies = Copies(self._store)
        articles = [article_model(entry, copies) for entry in self.selection.entries()]
        model = {
            "title": self.title,
            "report": self.meta.get("report"),
            "total": self.stats.articles,
            "sampled": self.selection.sampled,
            "kinds": self.stats.kinds(),
            "articles": articles,
            "copies": copies.texts,
        }
        return document(self.title, corpus_page(self.stats, self.selection, self.meta), embed(model))

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write the page to ``path`` atomically (complete or not at all)."""
        from dedup.files.atomic import atomic_write

        # lone surrogates (undecodable bytes of a text file) become JSON escapes in the data
        atomic_write(path, self.html().encode("utf-8", "backslashreplace"))

    def close(self) -> None:
        """Drop the temporary file of texts."""
        self._store.close()
