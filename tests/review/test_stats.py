"""review.stats: corpus statistics from report lines and texts."""

from __future__ import annotations

from typing import Any

from sample_articles import A, B, C, article

import dedup
from dedup.files import result_to_json
from dedup.review.stats import CorpusStats, covered, removed_characters, share_bin


def test_covered_counts_each_character_once() -> None:
    assert covered([]) == 0
    assert covered([(0, 5)]) == 5
    assert covered([(0, 5), (3, 8)]) == 8
    assert covered([(10, 12), (0, 5), (1, 2)]) == 7


def _line(removed: list[tuple[int, int]], near: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "id": "x",
        "paragraphs": 3,
        "changed": bool(removed),
        "removed": [
            {"paragraph": i, "start": s, "end": e, "kind": "exact", "score": 1.0, "matches": []}
            for i, (s, e) in enumerate(removed)
        ],
        "joins": [],
        "flags": [],
        "near_copy_of": near,
        "made_by": "m",
    }


def test_removed_characters_of_a_dropped_article_is_all_of_it() -> None:
    assert removed_characters(_line([(0, 10)]), 100) == 10
    assert removed_characters(_line([(0, 10), (5, 20)]), 100) == 20
    dropped = {"id": "y", "similarity": 0.9, "action": "drop"}
    assert removed_characters(_line([(0, 10)], dropped), 100) == 100
    stripped = {"id": "y", "similarity": 0.9, "action": "strip"}
    assert removed_characters(_line([(0, 10)], stripped), 100) == 10


def test_share_bins_keep_untouched_articles_apart() -> None:
    assert share_bin(0, 100) == 0
    assert share_bin(1, 100) == 1  # anything removed is at least the first 5 % bin
    assert share_bin(5, 100) == 1
    assert share_bin(6, 100) == 2
    assert share_bin(100, 100) == 20


def test_totals_of_a_real_run() -> None:
    texts = {"a": article(A, B), "b": article(C, A), "c": article(B, C, A)}
    results = list(dedup.clean([dedup.Document(k, v) for k, v in texts.items()]))
    stats = CorpusStats()
    for result in results:
        stats.add(result_to_json(result), result.text)
    assert stats.articles == 3
    assert stats.chars_in == sum(len(t) for t in texts.values())
    removed = [r for result in results for r in result.removed]
    assert sum(stats.removals.values()) == len(removed) > 0
    assert stats.chars_removed == sum(r.end - r.start for r in removed)
    assert stats.chars_out == stats.chars_in - stats.chars_removed
    assert sum(stats.shares) == 3 and stats.shares[0] == 1  # only the first article is untouched
    top = stats.most_repeated()
    assert top[0].id == "a" and top[0].count >= 2  # A survives in the first article
    assert top[0].text.startswith(A[:20])
