"""roles: the page's structure decides what redundancy can mean for a paragraph, before any text is
compared.  Items are made by extraction (``Extractor``) from invented pages; the last tests clean
whole pages (``dedup.clean_text``) to check that the roles hold end to end.
"""

from __future__ import annotations

import dedup
from dedup.config import Config
from dedup.matching.features import Extractor
from dedup.matching.item import Item
from dedup.matching.roles import is_cut_from, may_be_copy_of, may_be_fragment, may_cover, may_stand_for
from dedup.records import Document

IND = "\u3000\u3000"
CONFIG = Config()

SOW = "今年全省计划播种粮食作物三千二百万亩，比去年增加五十万亩"
DITCH = "各地加快高标准农田建设，新建灌溉渠道一千二百公里"
LEAD = IND + "本报长沙3月10日电\u3000（记者周海燕）连日来，湖南各地抢抓农时，春耕生产有序推进。"
BODY_SOW = IND + "省农业农村厅负责人介绍，" + SOW + "。种子、化肥等农资供应充足，价格总体平稳。"
BODY_DITCH = IND + "为保障灌溉，" + DITCH + "，修复山塘水库八百余座。"
BODY_END = IND + "种粮大户刘建军说，今年的种子和化肥都已备足，就等天气转好下田。"


def items(lines: list[str], newline: str = "\r\n") -> list[Item]:
    extracted = Extractor(CONFIG)(0, Document("p", newline.join(lines) + newline))
    assert extracted.layout == "lines"
    return extracted.items


def clean(lines: list[str], newline: str = "\r\n") -> str:
    return dedup.clean_text(newline.join(lines) + newline).cleaned


def page(lines: list[str], newline: str = "\r\n") -> str:
    return newline.join(lines) + newline


# -- pieces and covers ---------------------------------------------------------------------------


def test_the_headline_is_never_a_piece_nor_a_cover() -> None:
    title, subtitle, *_ = items(
        ["春耕生产有序推进", "各地抢抓农时 确保粮食稳产", IND, LEAD, BODY_SOW, BODY_END]
    )
    for it in (title, subtitle):
        assert it.in_headline
        assert not may_be_fragment(it, CONFIG)
        assert not may_cover(it, CONFIG)


def test_highlights_and_front_matter_may_go_as_pieces_but_never_cover() -> None:
    _, sow, ditch, label, lead, *_ = items(
        [
            "春耕生产有序推进",
            IND + "■\u00a0" + SOW,
            IND + "■\u00a0" + DITCH,
            IND + "■\u00a0春耕",
            IND,
            LEAD,
            BODY_SOW,
            BODY_DITCH,
        ]
    )
    for it in (sow, ditch):
        assert it.highlight and it.front_matter
        assert may_be_fragment(it, CONFIG)
        assert not may_cover(it, CONFIG)
        # furniture repeats from anywhere in its source: no need to hold its start or end
        assert is_cut_from(it, lead)
    # a highlight shorter than a sentence is a label
    assert label.highlight and not may_be_fragment(label, CONFIG)


def test_body_text_may_go_as_a_piece_and_may_cover() -> None:
    *_, lead, sow, ditch = items(["春耕生产有序推进", IND, LEAD, BODY_SOW, BODY_DITCH])
    for it in (lead, sow, ditch):
        assert not (it.in_headline or it.front_matter or it.highlight)
        assert may_be_fragment(it, CONFIG) and may_cover(it, CONFIG)


def test_a_quoted_subheading_is_a_heading_never_a_piece() -> None:
    quoted = "“农民的心里踏实了”"
    *_, sub, body = items(
        ["春耕生产有序推进", IND, LEAD, BODY_SOW, quoted, IND + quoted + "，种粮大户刘建军说。"]
    )
    assert sub.quoted and sub.paragraph.shape == "heading"
    assert not may_be_fragment(sub, CONFIG)
    assert may_cover(body, CONFIG)


def test_in_the_body_an_echo_of_a_middle_sentence_is_not_a_cut() -> None:
    middle = IND + SOW + "。"
    source = (
        IND
        + "省农业农村厅负责人介绍，春耕备耕工作进展顺利。"
        + SOW
        + "。种子、化肥等农资供应充足，价格总体平稳。"
    )
    start = IND + "省农业农村厅负责人介绍，春耕备耕工作进展顺利。"
    *_, echo, head, src = items(["春耕生产有序推进", IND, LEAD, middle, start, source])
    assert not is_cut_from(echo, src)  # its sentence sits in the middle of the source
    assert is_cut_from(head, src)  # it holds the source's start
    # what the source holds of each, passed by a caller that has it, gives the same answers
    for piece in (echo, head):
        assert is_cut_from(piece, src, src.covered_by(piece.distinct)) == is_cut_from(piece, src)


# -- copies --------------------------------------------------------------------------------------


def test_a_body_sentence_is_never_a_copy_of_its_own_headline() -> None:
    title, *_, echo = items(["山乡巨变看今朝", IND, LEAD, BODY_SOW, IND + "山乡巨变看今朝。"])
    assert title.in_headline
    assert not may_be_copy_of(echo, title)


def test_identical_attribution_lines_under_different_quotes_are_not_copies() -> None:
    attribution = IND + "——摘自某某在城南调研时的讲话"
    lines = [
        "语录",
        IND,
        LEAD,
        IND + "“人民是历史的创造者。”",
        attribution,
        BODY_SOW,
        IND + "“发展是第一要务，人才是第一资源。”",
        attribution,
        BODY_DITCH,
    ]
    got = items(lines)
    first, second = [it for it in got if it.key.source.endswith("讲话")]
    assert not may_be_copy_of(second, first)
    assert not may_be_copy_of(first, second)
    assert clean(lines) == page(lines)


def test_a_line_printed_twice_in_a_row_is_a_copy() -> None:
    twice = IND + "——摘自某某在城南调研时的讲话"
    got = items(["语录", IND, LEAD, IND + "“人民是历史的创造者。”", twice, twice, BODY_SOW])
    first, second = got[-3], got[-2]
    assert may_be_copy_of(second, first)


def test_paragraphs_of_other_documents_may_always_be_copies() -> None:
    extractor = Extractor(CONFIG)
    one = extractor(0, Document("a", page(["标题", IND, LEAD, BODY_SOW]))).items
    other = extractor(1, Document("b", page(["标题", IND, LEAD, BODY_SOW]))).items
    assert may_be_copy_of(other[0], one[0])


# -- end to end ----------------------------------------------------------------------------------


def test_formulaic_lines_differing_in_a_name_a_country_or_an_ordinal_are_all_kept() -> None:
    lines = [
        "国家主席任免驻外大使",
        IND,
        IND + "新华社北京5月20日电\u3000国家主席根据全国人民代表大会常务委员会的决定，任免驻外大使如下：",
        IND + "免去周文涛的中华人民共和国驻秘鲁共和国特命全权大使职务。",
        IND + "任命林海峰为中华人民共和国驻秘鲁共和国特命全权大使。",
        IND + "任命许国栋为中华人民共和国驻秘鲁共和国特命全权大使。",
        IND + "任命许国栋为中华人民共和国驻智利共和国特命全权大使。",
    ]
    assert clean(lines) == page(lines)
    statute = [
        "城市道路管理办法",
        IND,
        IND + "第九条\u3000道路管理单位应当建立健全安全生产责任制度，定期组织巡查。",
        IND + "第十条\u3000道路管理单位应当建立健全安全生产责任制度，定期组织巡查。",
        IND + "第十一条\u3000本办法自2025年1月1日起施行。",
    ]
    assert clean(statute, "\n") == page(statute, "\n")
    dates = [
        "工作动态",
        IND,
        IND + "3月12日，市政府召开常务会议，研究部署春季森林防火工作。",
        IND + "3月19日，市政府召开常务会议，研究部署春季森林防火工作。",
        IND + "会议要求，各地要压实责任，严防死守。",
    ]
    assert clean(dates) == page(dates)


def test_a_quoted_subheading_echoed_by_the_next_paragraph_is_kept() -> None:
    lines = [
        "春耕时节看湖南",
        IND,
        LEAD,
        BODY_SOW,
        IND + "“今年种粮更有奔头了”",
        IND + "“今年种粮更有奔头了”，种粮大户刘建军一边检修农机一边说，他家今年流转了三百亩地。",
        BODY_DITCH,
    ]
    assert clean(lines) == page(lines)


def test_a_deck_line_under_a_separator_that_repeats_a_body_sentence_goes() -> None:
    lines = [
        "",
        "春耕时节看湖南（一线调研）",
        "",
        IND + SOW,
        IND + "\u00a0",
        LEAD,
        BODY_SOW,
        BODY_DITCH,
        BODY_END,
    ]
    assert clean(lines) == page(["", "春耕时节看湖南（一线调研）", "", LEAD, BODY_SOW, BODY_DITCH, BODY_END])


def test_highlights_above_the_lead_go_and_list_items_in_the_body_stay() -> None:
    items_in_body = [IND + "●\u3000" + SOW + "；", IND + "●\u3000" + DITCH + "。"]
    lines = [
        "春耕生产有序推进",
        "各地抢抓农时 确保粮食稳产",
        IND + "■\u00a0" + SOW,
        IND + "■\u00a0" + DITCH,
        IND,
        LEAD,
        BODY_SOW,
        BODY_DITCH,
        IND + "省农业农村厅要求：",
        *items_in_body,
        BODY_END,
    ]
    cleaned = clean(lines, "\n")
    assert cleaned == page([lines[0], lines[1], *lines[4:]], "\n")


def test_a_body_line_cut_from_a_longer_line_above_the_lead_is_the_truncated_copy() -> None:
    # A line flush under the headline reads as a deck, and a deck never stands for the body.  But
    # here the body holds only its start, cut mid-sentence: the body's line is the truncated copy,
    # and the longer line above keeps the whole text (once the cut goes, the page may not read the
    # line above as a deck any more: a second pass must find nothing more to remove).
    whole = "省农业农村厅负责人介绍，" + SOW + "。种子、化肥等农资供应充足，价格总体平稳。"
    cut = IND + "省农业农村厅负责人介绍，" + SOW + "。种子、化肥等农资供应"
    lines = ["春耕生产有序推进", whole, IND, LEAD, cut, BODY_DITCH, BODY_END]
    _, deck, lead, piece, *_ = items(lines)
    assert deck.front_matter and not may_cover(deck, CONFIG)
    assert may_stand_for(deck, piece, CONFIG)
    # a body line is never stood for by a line of the headline, nor by a shorter deck
    assert not may_stand_for(deck, lead, CONFIG)
    once = clean(lines)
    assert whole in once and cut not in once
    assert dedup.clean_text(once).cleaned == once


def test_of_two_lines_above_the_lead_the_cut_one_goes() -> None:
    # Both lines stand between the headline and the lead, so both read as furniture, which
    # stands for no other text: still, the shorter holds the end of the longer and is the cut copy.
    whole = "省农业农村厅负责人介绍，" + SOW + "。种子、化肥等农资供应充足，价格总体平稳。"
    cut = SOW[10:] + "。种子、化肥等农资供应充足，价格总体平稳。"
    lines = ["春耕生产有序推进", whole, cut, IND, LEAD, BODY_DITCH, BODY_END]
    _, deck, piece, *_ = items(lines)
    assert deck.front_matter and piece.front_matter
    assert may_stand_for(deck, piece, CONFIG) and not may_stand_for(piece, deck, CONFIG)
    once = clean(lines)
    assert whole in once.splitlines() and cut not in once.splitlines()
    assert dedup.clean_text(once).cleaned == once
