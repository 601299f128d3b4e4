"""normalize: matching keys, folded for comparison, with offsets into the source."""

from __future__ import annotations

import random
import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.records import Key
from dedup.text.normalize import (
    PIECE_END,
    build_fold_table,
    fold,
    fold_marked,
    fold_table_versions,
    normalize,
    origin,
    pauses,
    shipped_fold_table,
)


def test_full_width_and_half_width_fold_alike() -> None:
    assert fold("２０００年ＡＢＣ") == fold("2000年ABC") == "2000年abc"


def test_punctuation_of_both_widths_is_dropped() -> None:
    assert fold("你好，世界！“引号”（括号）《书名》、顿号；") == "你好世界引号括号书名顿号"
    assert fold('你好,世界!"引号"(括号);') == "你好世界引号括号"


def test_spaces_of_every_kind_are_dropped() -> None:
    assert fold("防 堵网络\u3000黄  害\t\n") == "防堵网络黄害"


def test_digits_are_kept_so_figures_stay_apart() -> None:
    assert fold("增长18.3％") != fold("增长19.3％")
    assert "183" in fold("增长18.3％")


def test_case_is_folded() -> None:
    assert fold("WTO与wto") == "wto与wto"


def test_equal_after_re_punctuation_and_re_spacing() -> None:
    original = "近日，我们专程到不负债的舒城县孔集镇双丰村、龙河镇高潮村进行调研。"
    degraded = "近日, 我们专程到不负债的舒城县孔集镇双丰村、 龙河镇高潮村进行调研."
    assert fold(original) == fold(degraded)


def test_fold_is_idempotent_on_examples() -> None:
    for text in ["２０００年，ＡＢＣ", "①②③", "ﬁ㎡", "İstanbul", "e\u0301", ""]:
        assert fold(fold(text)) == fold(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


def test_origin_points_at_the_source_characters() -> None:
    text = "ＡＢ，１２\u3000c。"
    key = normalize(text)
    assert key.text == "ab12c"
    assert origin(key) == (0, 1, 3, 4, 6)


def test_origin_is_shifted_by_the_offset() -> None:
    key = normalize("甲，乙", offset=100)
    assert key.text == "甲乙"
    assert origin(key) == (100, 102)


@pytest.mark.parametrize("astral", ["", "𠀀"])
def test_origin_of_a_joined_paragraph_skips_what_lay_between_its_pieces(astral: str) -> None:
    # "甲，乙" + "丙丁" joined, the second piece standing 9 characters after the first
    # ends in the document (a page marker between them); astral takes the slow path
    page = "甲，乙" + astral + "\n\n（下转）\n\n" + "丙丁"
    first, second = "甲，乙" + astral, "丙丁"
    key = replace(normalize(first + second, offset=10), breaks=((len(first), page.index("丙") - len(first)),))
    expected = [10 + page.index(ch) for ch in fold(first + second)]
    assert list(origin(key)) == expected


def test_origin_of_characters_that_fold_to_several() -> None:
    # NFKC expands some characters (㎡ -> m2, ﬁ -> fi): every key character still has an origin
    key = normalize("面积㎡，ﬁ𠀀", offset=5)
    assert key.text == "面积m2fi𠀀"
    assert origin(key) == (5, 6, 7, 7, 9, 9, 10)


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("甲乙丙１２3ＡaB，。, \u3000“”（）㎡ﬁ①𠀀"), max_size=30),
    st.integers(0, 50),
)
def test_every_key_character_comes_from_its_origin(text: str, offset: int) -> None:
    key = normalize(text, offset)
    where = origin(key)
    assert len(where) == len(key.text)
    assert list(where) == sorted(where)
    for ch, at in zip(key.text, where, strict=True):
        assert offset <= at < offset + len(text)
        assert ch in fold(text[at - offset])


def test_empty_text() -> None:
    key = normalize("")
    assert key.text == ""
    assert origin(key) == ()


def test_shipped_fold_table_is_the_built_one() -> None:
    shipped = shipped_fold_table()
    if shipped is None:
        pytest.skip(f"fold_table.json was made for other versions than {fold_table_versions()}")
    assert shipped == build_fold_table()


def test_fold_uses_the_same_table_shipped_or_not() -> None:
    text = "臺灣ＡＢＣ，　「測試」１２３"
    built = build_fold_table()
    assert fold(text) == text.translate(built) == "台湾abc测试123"


def test_fold_translates_every_plane_zero_character_as_the_table_says() -> None:
    every = "".join(map(chr, range(0x10000)))
    assert fold(every) == every.translate(build_fold_table())


def test_lone_surrogates_fold_to_the_replacement_character() -> None:
    """Valid JSON can hold a lone surrogate; a key must still encode as UTF-8 (rjieba takes UTF-8)."""
    text = "社区\ud800工作\udfff者"
    key = normalize(text, 5)
    assert key.text == "社区\ufffd工作\ufffd者"
    key.text.encode("utf-8")
    assert origin(key) == (5, 6, 7, 8, 9, 10, 11)
    assert fold("\U0001f600\ud83d") == fold("\U0001f600") + "\ufffd"


def test_pauses_are_where_the_key_left_punctuation_or_a_space_out() -> None:
    key = normalize("目前，记者获悉：今年 全省")
    assert key.text == "目前记者获悉今年全省"
    assert pauses(key) == {1, 5, 7}


def test_fold_marked_is_fold_of_each_piece() -> None:
    rng = random.Random(7)
    alphabet = "ＡＢａ１２３，。！？!?\n 的一是在不了有和人這個國ﾊﾟｶﾞ㍿①ⅫÅé\u3000\u00a0😀𝐀\ufeff\x00"
    for ends in ("。！？!?\n", "，", "\n"):
        for _ in range(300):
            text = "".join(rng.choice(alphabet) for _ in range(rng.choice((0, 1, 5, 40))))
            if rng.random() < 0.5:
                text = text.replace("😀", "").replace("𝐀", "")
            pieces = re.split(f"[{re.escape(ends)}]", text)
            assert fold_marked(text, ends).split(PIECE_END) == [fold(piece) for piece in pieces]


def test_no_character_folds_into_the_piece_end() -> None:
    assert not any(PIECE_END in folded for folded in build_fold_table().values() if folded)


def _pauses_by_definition(key: Key) -> frozenset[int]:
    positions = origin(key)
    return frozenset(i for i in range(len(positions) - 1) if positions[i + 1] != positions[i] + 1)


def test_pauses_are_where_origin_skips() -> None:
    rng = random.Random(15)
    alphabet = "的一是在不了有和人這個國ａ１，。！？、 \u3000\n「」—·㍿ﾊﾟ①😀\ud800"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.choice((0, 1, 2, 7, 30))))
        key = normalize(text, rng.choice((0, 13)))
        if text and rng.random() < 0.3:
            at = rng.randrange(len(text))
            key = replace(key, breaks=((at, rng.randint(1, 5)),))
        assert pauses.__wrapped__(key) == _pauses_by_definition(key), (text, key.breaks)
