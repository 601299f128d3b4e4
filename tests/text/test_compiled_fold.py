"""compiled_fold: the fold table as an array folds exactly as the pure path (``normalize.pure_fold``,
``str.translate`` with the table), or declines (``None``) where the pure path must fold: a character
outside the Basic Multilingual Plane, or one the table folds into several."""

from __future__ import annotations

import random
import re

from compiled_parts import built
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.text.normalize import PIECE_END, build_fold_table, compiled_folder, fold, fold_marked, pure_fold

SENTENCE_ENDS = "。！？!?\n"


def _folder(ends: str = ""):  # type: ignore[no-untyped-def]
    return built(compiled_folder(ends), "the compiled fold")


def _pure_marked(text: str, ends: str) -> str:
    return PIECE_END.join(pure_fold(piece) for piece in re.split(f"[{re.escape(ends)}]", text))


def test_every_character_of_the_plane_folds_as_the_table_says() -> None:
    folder = _folder()
    table = build_fold_table()
    for code in range(0x10000):
        ch = chr(code)
        several = table.get(code) is not None and len(table[code] or "") > 1
        assert folder.fold(ch) == (None if several else pure_fold(ch)), hex(code)


def test_the_golden_cases_fold_alike(case_texts: list[str]) -> None:
    folder, marking = _folder(), _folder(SENTENCE_ENDS)
    declined = 0
    for text in case_texts:
        for piece in [text, *text.split("\n")]:
            quick = folder.fold(piece)
            declined += quick is None
            assert quick is None or quick == pure_fold(piece)
            assert fold(piece) == pure_fold(piece)
            marked = marking.fold(piece)
            assert marked is None or marked == _pure_marked(piece, SENTENCE_ENDS)
            assert fold_marked(piece, SENTENCE_ENDS) == _pure_marked(piece, SENTENCE_ENDS)
    assert declined < len(case_texts)  # most text is folded by the array


ALPHABET = "ＡＢａ１２３，。！？!?\n 的一是在不了有和人這個國ﾊﾟｶﾞ①ⅫÅé\u3000\u00a0\ufeff\x00\ud800"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60), st.randoms(use_true_random=False))
def test_generated_text_folds_alike(text: str, rng: random.Random) -> None:
    if rng.random() < 0.2:
        at = rng.randint(0, len(text))
        text = text[:at] + rng.choice(["㍿", "😀", "𝐀"]) + text[at:]
    for ends in ("", SENTENCE_ENDS, "，"):
        quick = _folder(ends).fold(text)
        expected = _pure_marked(text, ends) if ends else pure_fold(text)
        assert quick is None or quick == expected
        assert (quick is None) == any(ord(ch) > 0xFFFF or len(pure_fold(ch)) > 1 for ch in text)
        assert (fold_marked(text, ends) if ends else fold(text)) == expected
