"""The data the review page's script reads: the shown articles with their report
lines, and the texts of the copies that survive.

The model mirrors the report (each article carries its report line unchanged,
``r``), so "the report line of a removal" on the page is the line itself, and
adds only what the report leaves out: the article's text (``t``), its line
number in the report (``n``), the characters it loses (``x``) and, per removal
and match, an index into the table of surviving copies (``c``).

It is embedded as JSON in a ``<script type="application/json">`` element; every
``<`` is written as ``\\u003c`` so no text can end that element early.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from dedup.review.sample import Entry, TextStore

#: the longest surviving copy kept whole; longer ones are cut (the page says so)
MAX_COPY_CHARS = 20_000


class Copies:
    """The table of surviving copies: each distinct (article, start, end) once."""

    def __init__(self, store: TextStore) -> None:
        self._store = store
        self._index: dict[tuple[int, int, int], int] = {}
        self.texts: list[str] = []
        self._cache: tuple[int, str] | None = None

    def _text_of(self, position: int) -> str:
        if self._cache is None or self._cache[0] != position:
            self._cache = (position, self._store.text(position))
        return self._cache[1]

    def index(self, match: Mapping[str, Any], before: int, own: Entry) -> int:
        """The copy a removal of article ``own`` (at ``before``) matches; -1 when its article is unknown."""
        position = before if match["id"] == own.line["id"] else self._store.position(match["id"], before)
        if position is None:
            return -1
        key = (position, int(match["start"]), int(match["end"]))
        found = self._index.get(key)
        if found is None:
            text = own.text if position == before else self._text_of(position)
            found = self._index[key] = len(self.texts)
            self.texts.append(text[key[1] : key[2]][:MAX_COPY_CHARS])
        return found


def article_model(entry: Entry, copies: Copies) -> dict[str, Any]:
    line = entry.line
    return {
        "n": entry.position + 1,
        "r": line,
        "t": entry.text,
        "x": entry.removed,
        "c": [[copies.index(m, entry.position, entry) for m in r["matches"]] for r in line["removed"]],
    }


def embed(model: Mapping[str, Any]) -> str:
    """``model`` as JSON safe inside a ``<script>`` element (UTF-8, not ASCII-escaped: half the size)."""
    text = json.dumps(model, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c")
