"""The shortcuts verification takes hold exactly: each answer it skips is implied by one it has.

- a piece found whole in a text is a piece of it (``align.piece_aligns``, the alignment it skips,
  says so too);
- ``facts.states_nothing_new`` stops at the first fact of its own, and says what ``own_content``
  (which lists them all) says; every character known to be held leaves no run to align;
  ``key_states_nothing_new`` works out where a key pauses only when a stretch asks, and says what
  ``states_nothing_new`` with those pauses says.
"""

from __future__ import annotations

import random

from sample_articles import A, B, C

from dedup.matching.align import piece_aligns
from dedup.matching.facts import key_states_nothing_new, own_content, states_nothing_new, uncovered_runs
from dedup.text.normalize import fold, normalize, pauses

TEXTS = [fold(text) for text in (A, B, C, A + B, B + C + A)]


def test_a_piece_found_whole_aligns() -> None:
    rng = random.Random(7)
    for text in TEXTS:
        for _ in range(150):
            start = rng.randrange(len(text))
            end = rng.randrange(start + 1, len(text) + 1)
            piece = text[start:end]
            # stretched or short, at either edge or in the middle, repeated characters or not
            for max_gap in (0, 8):
                assert piece_aligns(piece, text, max_gap), (piece, text, max_gap)


def test_a_piece_with_a_phrase_of_its_own_does_not_align() -> None:
    text = TEXTS[0]
    piece = text[10:60] + "据新华社记者从有关方面获悉今天上午" + text[60:90]
    assert piece not in text
    assert not piece_aligns(piece, text, 8)


def _edited(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randrange(4)):
        at = rng.randrange(len(chars))
        chars[at : at + rng.choice((0, 1, 2))] = rng.choice(("3", "十五", "副", "不", "江西", "的", ""))
    return "".join(chars)


def test_states_nothing_new_is_no_own_content() -> None:
    rng = random.Random(3)
    for _ in range(120):
        source = rng.choice(TEXTS)
        start = rng.randrange(len(source) // 2)
        text = _edited(rng, source[start : start + rng.randrange(10, 80)])
        covered = rng.getrandbits(len(text)) if rng.random() < 0.5 else 0
        assert states_nothing_new(text, [source], covered) == (not own_content(text, [source], covered))


def test_what_is_known_leaves_no_run() -> None:
    text = fold(C)
    assert uncovered_runs(text, ["毫不相干的另一段文字"], (1 << len(text)) - 1) == []
    assert uncovered_runs(text, ["毫不相干的另一段文字"], 0) != []


def test_a_key_states_nothing_new_as_its_text_with_its_pauses_and_its_sources() -> None:
    rng = random.Random(9)
    raws = [A, B, C, "目前，据悉：会议强调，" + C, A.replace("，", " ")]
    for _ in range(150):
        raw = rng.choice(raws)
        start = rng.randrange(len(raw) // 2)
        # (remembered by the key's texts: where it stands in its document does not matter)
        key = normalize(_edited(rng, raw[start : start + rng.randrange(12, 90)]), rng.randrange(200))
        if not key.text:
            continue
        source = normalize(rng.choice(TEXTS), rng.randrange(200))
        covered = rng.getrandbits(len(key.text)) if rng.random() < 0.3 else 0
        expected = states_nothing_new(key.text, [source.text], covered, pauses(key), [pauses(source)])
        assert key_states_nothing_new(key, [source], covered) == expected
