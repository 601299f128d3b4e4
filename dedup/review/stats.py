"""Corpus statistics of a run, gathered one report line at a time.

Everything here reads report lines (the dicts of :func:`dedup.files.result_to_json`)
and the article's original text, so a review made during ``dedup clean`` and one
made later from the saved report (``dedup review``) count the same things.

*Characters removed* are the characters inside removed spans (each counted once,
however many spans cover it), or the whole text of an article dropped as a
near-copy; the whitespace that a join or a removal takes away between paragraphs
is not counted.  *Characters out* are the characters in less those removed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: the removal kinds in the order the page lists them (records.RemovalKind)
KINDS = ("exact", "near", "fragment", "splice", "boilerplate", "marker", "label")
#: bins of the histogram of the share of text removed per article: 0 alone, then 5 % steps
SHARE_BINS = 21
#: how many of the most repeated paragraphs the corpus page lists
TOP_REPEATED = 15


def covered(spans: Iterable[tuple[int, int]]) -> int:
    """How many characters the half-open ``spans`` cover, each counted once."""
    total = 0
    reach = 0
    for start, end in sorted(spans):
        if end <= reach:
            continue
        total += end - max(start, reach)
        reach = end
    return total


def removed_characters(line: Mapping[str, Any], length: int) -> int:
    """Characters of an article of ``length`` characters that its report ``line`` removes."""
    return _removed(line, [(r["start"], r["end"]) for r in line["removed"]], length)


def _removed(line: Mapping[str, Any], spans: list[tuple[int, int]], length: int) -> int:
    """``removed_characters``, from the spans of the line's removals."""
    near = line.get("near_copy_of")
    if near is not None and near.get("action") == "drop":
        return length
    if len(spans) == 1:
        return int(spans[0][1] - spans[0][0])
    return covered(spans)


def share_bin(removed: int, length: int) -> int:
    """The histogram bin of an article: 0 for nothing removed, else 1..20 by 5 % steps."""
    if removed <= 0 or length <= 0:
        return 0
    return min(SHARE_BINS - 1, 1 + (removed * 20 - 1) // length)


@dataclass(frozen=True, slots=True)
class Repeated:
    """A paragraph whose copies were removed ``count`` times: the surviving copy's
    article and paragraph, and the text of its first removed copy."""

    count: int
    id: str
    paragraph: int
    text: str


@dataclass
class CorpusStats:
    """Totals of a run, added to one article at a time."""

    articles: int = 0
    changed: int = 0
    paragraphs: int = 0
    chars_in: int = 0
    chars_removed: int = 0
    joins: int = 0
    flags: int = 0
    near_copies: int = 0
    dropped: int = 0
    removals: Counter[str] = field(default_factory=Counter)
    removal_chars: Counter[str] = field(default_factory=Counter)
    #: per kind, how many removals had each score (rounded to 0.01)
    scores: dict[str, Counter[float]] = field(default_factory=dict)
    #: articles per bin of the share of their text removed (:func:`share_bin`)
    shares: list[int] = field(default_factory=lambda: [0] * SHARE_BINS)
    made_by: Counter[str] = field(default_factory=Counter)
    _repeats: Counter[tuple[str, int]] = field(default_factory=Counter)
    _first_copy: dict[tuple[str, int], str] = field(default_factory=dict)

    @property
    def chars_out(self) -> int:
        return self.chars_in - self.chars_removed

    def add(self, line: Mapping[str, Any], text: str) -> int:
        """Count one article; returns the characters it loses (``removed_characters``)."""
        length = len(text)
        removed = _removed(line, self._add_removals(line["removed"], text), length)
        near = line.get("near_copy_of")
        self.articles += 1
        self.changed += bool(line.get("changed"))
        self.paragraphs += int(line.get("paragraphs", 0))
        self.chars_in += length
        self.chars_removed += removed
        self.joins += len(line["joins"])
        self.flags += len(line["flags"])
        self.near_copies += near is not None
        self.dropped += near is not None and near.get("action") == "drop"
        self.shares[share_bin(removed, length)] += 1
        self.made_by[str(line.get("made_by", ""))] += 1
        return removed

    def _add_removals(self, removals: list[Mapping[str, Any]], text: str) -> list[tuple[int, int]]:
        """Count an article's removals; their spans.  (One pass over them, the counters read
        once: a big corpus has ten times as many removals as articles.)"""
        spans = []
        counts, chars, scores, repeats, first_copy = (
            self.removals,
            self.removal_chars,
            self.scores,
            self._repeats,
            self._first_copy,
        )
        for removal in removals:
            kind, start, end = removal["kind"], removal["start"], removal["end"]
            spans.append((start, end))
            counts[kind] += 1
            chars[kind] += end - start
            by_score = scores.get(kind)
            if by_score is None:
                by_score = scores[kind] = Counter()
            by_score[round(removal["score"], 2)] += 1
            matches = removal["matches"]
            if len(matches) == 1:  # a copy of one paragraph (a splice repeats several)
                source = (matches[0]["id"], matches[0]["paragraph"])
                repeats[source] += 1
                if source not in first_copy:
                    first_copy[source] = " ".join(text[start : min(end, start + 240)].split())[:120]
        return spans

    def most_repeated(self, n: int = TOP_REPEATED) -> list[Repeated]:
        """The paragraphs removed most often as copies (boilerplate first, typically),
        ties in the order they were first met."""
        order = {source: i for i, source in enumerate(self._first_copy)}
        ranked = sorted(self._repeats.items(), key=lambda item: (-item[1], order[item[0]]))
        return [Repeated(count, doc, par, self._first_copy[(doc, par)]) for (doc, par), count in ranked[:n]]

    def kinds(self) -> list[str]:
        """The removal kinds met, in the page's order (any unknown kind last)."""
        known = [k for k in KINDS if k in self.removals]
        return known + sorted(k for k in self.removals if k not in KINDS)
