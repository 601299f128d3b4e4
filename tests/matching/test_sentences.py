"""sentences: every sentence of a paragraph must survive as one sentence of a covering copy."""

from __future__ import annotations

from dedup.matching.sentences import sentences_survive

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
