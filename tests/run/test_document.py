"""document: one document resolved from its features and its earlier candidates alone."""

from __future__ import annotations

import numpy as np
from sample_articles import A, B, C, article

import dedup
from dedup.config import Config
from dedup.matching.candidates import earlier_candidates
from dedup.matching.features import Extractor
from dedup.records import Document
from dedup.run.corpus import Corpus
from dedup.run.document import clean_document, joined_paragraphs


def test_a_document_alone_is_cleaned_as_clean_text_cleans_it() -> None:
    config = Config()
    text = article("标题", A, B, "（下转第二版）", A)
    resolution = clean_document(Extractor(config)(0, Document("0", text)), {}, config, order=str)
    assert resolution.result == dedup.clean_text(text, config)
    assert set(resolution.decisions) == {4}


def test_a_document_resolved_against_a_corpus_is_what_the_run_makes_of_it() -> None:
    config = Config()
    first, second = article("第一篇", A, B), article("第二篇", C, A)
    corpus = Corpus(config)
    corpus.clean(Extractor(config)(0, Document("0", first)))
    extracted = Extractor(config)(1, Document("1", second))
    external = earlier_candidates(extracted.items, corpus.exact, corpus.near, corpus.contain, config)
    order = {"0": 0, "1": 1}.__getitem__
    once = clean_document(extracted, external, config, order)
    # nothing but the arguments counts: asked again, the same answer
    again = clean_document(extracted, external, config, order)
    assert once.result == again.result == list(dedup.clean([first, second], config))[1]
    assert [r.kind for r in once.result.removed] == ["exact"]


def test_the_paragraphs_joins_make_are_those_of_its_final_joins() -> None:
    # made once, while checking that no join repeats a kept paragraph, and handed to the corpus
    config = Config()
    letter = (
        "新华社北京4月9日电 中共中央总书记、国家主席、中央军委主席习近平4月8日"
        "给武汉市东湖新城社区全体社区工作者回信,再次肯定城乡广大社区工作者在疫情防控斗争中发挥的重要作用。"
    )
    text = article("标题", C, "离汉离鄂通道管控措施,", "社区仍然是外防输入、", letter)
    extracted = Extractor(config)(0, Document("0", text))
    resolution = clean_document(extracted, {}, config, order=str)
    assert resolution.result.joins and resolution.joined is not None
    expected = joined_paragraphs(extracted, resolution.result.joins, config)
    assert [(it.key, it.paragraph) for it in resolution.joined] == [(it.key, it.paragraph) for it in expected]
    for made, again in zip(resolution.joined, expected, strict=True):
        assert np.array_equal(made.shingles.hashes, again.shingles.hashes)


IND = "\u3000\u3000"
SUMMARY_ONE = "全省今年计划播种粮食作物三千二百万亩，比去年增加五十万亩。"
SUMMARY_TWO = "各地加快高标准农田建设，新建灌溉渠道一千二百公里。"


def _boxed_page(body_repeats_two: bool) -> str:
    """A 核心阅读 box under the headline (label, two lines, separator), then the body, which
    repeats the box's first line and, if asked, its second."""
    body = [
        IND + "本报长沙3月10日电（记者周海燕）连日来，湖南各地抢抓农时，春耕生产有序推进。",
        IND + "省农业农村厅负责人介绍，" + SUMMARY_ONE + "种子化肥供应充足。",
    ]
    if body_repeats_two:
        body.append(IND + "据介绍，" + SUMMARY_TWO + "修复山塘水库八百余座。")
    lines = [
        "",
        "春耕时节看湖南（一线调研）",
        "",
        IND + "核心阅读",
        IND + SUMMARY_ONE,
        IND + SUMMARY_TWO,
        IND,
        *body,
    ]
    return "\r\n".join(lines) + "\r\n"


def test_a_box_label_goes_only_with_all_it_labels() -> None:
    whole = dedup.clean_text(_boxed_page(body_repeats_two=True)).cleaned
    assert "核心阅读" not in whole
    assert whole.count(SUMMARY_TWO) == 1
    # the box's second line says something the body does not: it stays, under its label
    partly = dedup.clean_text(_boxed_page(body_repeats_two=False)).cleaned
    assert IND + "核心阅读\r\n" + IND + SUMMARY_TWO in partly
    assert partly.count(SUMMARY_ONE) == 1
