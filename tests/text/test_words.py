"""words: jieba (HMM off) words of matching keys; rjieba as a drop-in."""

from __future__ import annotations

import pytest

from dedup.text.normalize import fold
from dedup.text.words import segmenter, tokenize


@pytest.mark.parametrize("name", ["jieba", "auto"])
def test_words_concatenate_back_to_the_key(seed_paragraphs: list[str], name: str) -> None:
    for paragraph in seed_paragraphs:
        key = fold(paragraph)
        assert "".join(tokenize(key, name)) == key


def test_words_of_a_known_phrase() -> None:
    assert tokenize(fold("没有主管单位"), "jieba") == ["没有", "主管", "单位"]


def test_empty_key_has_no_words() -> None:
    assert tokenize("") == []


def test_segmenter_is_loaded_once() -> None:
    assert segmenter("jieba") is segmenter("jieba")


def test_no_new_words_are_guessed() -> None:
    # HMM off: an unknown name is cut the same way whatever surrounds it, so the
    # same text always gives the same shingles (with HMM on, jieba may glue 余敏刚)
    alone = tokenize(fold("余敏刚"), "jieba")
    in_context = tokenize(fold("温泉办事处党委书记余敏刚提出号召"), "jieba")
    assert "余敏刚" not in in_context
    assert "".join(in_context[3 : 3 + len(alone)]) == "余敏刚"
    assert in_context[3 : 3 + len(alone)] == alone


def test_rjieba_gives_the_same_words(seed_paragraphs: list[str]) -> None:
    pytest.importorskip("rjieba")
    for paragraph in seed_paragraphs:
        key = fold(paragraph)
        assert tokenize(key, "rjieba") == tokenize(key, "jieba")


@pytest.mark.parametrize("name", ["jieba", "rjieba", "auto"])
def test_lone_surrogates_are_cut_one_character_for_one(name: str) -> None:
    words = tokenize("社区\ud800工作者", name)
    assert sum(map(len, words)) == 6
    assert "".join(words).replace("\ufffd", "\ud800") == "社区\ud800工作者"
