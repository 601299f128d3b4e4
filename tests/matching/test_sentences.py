"""sentences: every sentence of a paragraph must survive as one sentence of a covering copy."""

from __future__ import annotations

import random

from compiled_parts import built

from dedup.matching.item import compiled_verify
from dedup.matching.sentences import sentences_survive, trigram_hits

BODY = "嘉鱼县全力建设蔬菜大县。该县开辟绿色通道，组建工作专班24小时现场办公。负责蔬菜采收、调运、保供工作。"


def test_a_sentence_held_whole_or_nearly_survives() -> None:
    assert sentences_survive("该县开辟绿色通道，组建工作专班24小时现场办公。", [BODY])
    # an OCR slip or two leaves the sentence the same
    assert sentences_survive("该县开辟绿色通道，组建工作专班24小时现场亦公。", [BODY])


def test_a_sentence_pieced_from_two_does_not_survive() -> None:
    assert not sentences_survive("嘉鱼县全力建设蔬菜大县，负责蔬菜采收、调运、保供工作。", [BODY])


def test_across_a_joint_only_when_spliced() -> None:
    head, tail = "第一段讲的是嘉鱼县全力建设", "蔬菜大县的经验和做法。"
    line = "嘉鱼县全力建设蔬菜大县的经验和做法。"
    assert not sentences_survive(line, [head, tail])
    assert sentences_survive(line, [head, tail], spliced=True)


def test_trigram_hits_count_the_distinct_3grams_each_piece_holds() -> None:
    assert trigram_hits("蔬菜大县", ["建设蔬菜大县。"]) is None  # held whole
    # 菜菜菜 once however often it occurs; 菜大县 held by the first piece only
    assert trigram_hits("菜菜菜大县", ["菜菜菜菜", "大县菜菜大县", ""]) == (3, [1, 2, 0])
    assert trigram_hits("菜菜菜大县", []) == (3, [])


def test_compiled_trigram_hits_are_the_pure_ones() -> None:
    """In C a 3-gram is one 64-bit code of its three code points: compared on random text mixing
    ASCII, CJK and characters past the BMP (each string kind), and on the sample bodies."""
    module = built(compiled_verify(), "compiled_verify")
    rng = random.Random(9)
    alphabet = "ab菜大县建设蔬\U0001f600\U00020000é"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(400)]
    sentences = [BODY, *BODY.split("。"), *texts]
    for sentence in sentences:
        pieces = rng.sample(sentences, 6)
        assert module.trigram_hits(sentence, pieces) == trigram_hits(sentence, pieces), sentence
        assert module.trigram_hits(sentence, []) == trigram_hits(sentence, [])


def test_sentences_skip_the_pattern_only_where_it_would_drop_nothing() -> None:
    """``_sentences`` runs its pattern only on text folding left a symbol in (℃, +, ○, →): the same
    sentences either way."""
    from dedup.matching.sentences import _NOT_CONTENT_NOR_END, SENTENCE_ENDS, _sentences
    from dedup.text.normalize import PIECE_END, fold_marked

    texts = [
        "今天气温25℃。明天+3度！",
        "第一句话。第二句话？",
        "○ 要点一：完成了。→ 下一步",
        "Ａ股上涨1.5%。",
        "",
        "。。",
        "a_b 测试。",
    ]
    rng = random.Random(4)
    alphabet = "天地人和平安。！？，+○→℃_ 0Aa"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(30))) for _ in range(300)]
    for text in texts:
        expected = tuple(_NOT_CONTENT_NOR_END.sub("", fold_marked(text, SENTENCE_ENDS)).split(PIECE_END))
        assert _sentences(text) == expected, text
