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

#: the longest surviving copy kept whole; longer ones are cut
MAX_COPY_CHARS = 20_000
#: a removal's copy is the removed text itself (an exact copy), or is in no article of the run
SAME, UNKNOWN = -2, -1


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

    def index(self, match: Mapping[str, Any], before: int, own: Entry, removed: str) -> int:
        """The copy a removal of article ``own`` (at ``before``) matches: an index into
        :attr:`texts`, :data:`SAME` when the copy is the ``removed`` text itself, :data:`UNKNOWN`
        when its article is not in the run."""
        position = before if match["id"] == own.line["id"] else self._store.position(match["id"], before)
        if position is None:
            return UNKNOWN
        key = (position, int(match["start"]), int(match["end"]))
        found = self._index.get(key)
        if found is None:
            text = own.text if position == before else self._text_of(position)
            copy = text[key[1] : key[2]]
            if copy == removed:  # most copies are exact: the page shows the removed text twice
                return SAME
            found = self._index[key] = len(self.texts)
            self.texts.append(copy[:MAX_COPY_CHARS])
        return found


def article_model(entry: Entry, copies: Copies) -> dict[str, Any]:
    line = entry.line
    return {
        "n": entry.position + 1,
        "r": line,
        "t": entry.text,
        "x": entry.removed,
        "c": [_copies(copies, entry, removal) for removal in line["removed"]],
    }


def _copies(copies: Copies, entry: Entry, removal: Mapping[str, Any]) -> list[int]:
    removed = entry.text[removal["start"] : removal["end"]]
    return [copies.index(match, entry.position, entry, removed) for match in removal["matches"]]


def embed(model: Mapping[str, Any]) -> str:
    """``model`` as JSON safe inside a ``<script>`` element (UTF-8, not ASCII-escaped: half the size)."""
    text = json.dumps(model, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c")
