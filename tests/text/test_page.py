"""page: the headline block, the front matter and the highlights, read from the page's own marks.

``page_structure`` is fed the paragraphs with content as ``place_on_page`` feeds it; the last tests go
through extraction (``Extractor``) to check the ``Item`` fields it sets.  Every page is invented.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedup.config import Config
from dedup.matching.features import Extractor
from dedup.records import Document
from dedup.text.layout import lines_of
from dedup.text.normalize import fold
from dedup.text.page import (
    PageLine,
    Structure,
    is_bulleted,
    is_label,
    is_quotation,
    page_structure,
    sentence_keys,
)
from dedup.text.shape import shape_of

IND = "\u3000\u3000"
SEP = "\u3000\u3000"  # a separator line: indent only

LEAD = IND + "本报长沙3月10日电\u3000（记者周海燕）连日来，湖南各地抢抓农时，春耕生产有序推进。"
SOW = IND + "省农业农村厅负责人介绍，今年全省计划播种粮食作物三千二百万亩，比去年增加五十万亩。"
DITCH = IND + "为保障灌溉，各地加快高标准农田建设，新建灌溉渠道一千二百公里，修复山塘水库八百余座。"
MORE = IND + "种粮大户刘建军说，今年的种子和化肥都已备足，就等天气转好下田。"


def structure(lines: list[str], separated: bool = False, asked: bool = False) -> Structure:
    """``page_structure`` of a page given line by line (blank and separator lines included), with
    its arguments read as ``place_on_page`` reads them (``asked``: sentences made when asked, from
    each line's source, as ``place_on_page`` leaves them)."""
    text = "\r\n".join(lines) + "\r\n"
    page: list[PageLine] = []
    first_block: int | None = None
    previous_blank = False
    for number, line in enumerate(lines_of(text)):
        if line.blank:
            if number > 0 and first_block is None:
                first_block = len(page)
            previous_blank = True
            continue
        raw = line.text.strip()
        indent = line.text[: len(line.text) - len(line.text.lstrip())]
        after_separator = number > 0 and previous_blank
        page.append(
            PageLine(
                len(page),
                fold(raw),
                shape_of(raw),
                is_bulleted(raw),
                indent,
                after_separator,
                None if asked else sentence_keys(raw),
                is_label(raw),
                raw if asked else "",
            )
        )
        previous_blank = False
    return page_structure(page, first_block or 0, separated)


# -- bullets and quotations -------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["■\u00a0要坚持稳中求进", IND + "■\u3000要坚持稳中求进", "● 一项", "◆要点", "▲ 图为会场"]
)
def test_a_line_opening_with_a_bullet_is_bulleted(raw: str) -> None:
    assert is_bulleted(raw)


@pytest.mark.parametrize("raw", ["正文。", IND + "一、总则", "（一）基本情况", "1. 第一条", "——某某指出"])
def test_numbered_and_plain_lines_are_not_bulleted(raw: str) -> None:
    assert not is_bulleted(raw)


@pytest.mark.parametrize(
    "raw", ["“明天，他们就是主角”", IND + "“把饭碗端在自己手里”", "「好」", "‘单引号’", "“外“内”外”"]
)
def test_a_line_that_is_one_quotation(raw: str) -> None:
    assert is_quotation(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "“甲”和“乙”",  # two quotations
        "“引语”，他说。",  # a quote inside a sentence
        "“”",  # empty
        "《书名》",  # a title is not a quotation
        "“没有闭合",
        "他说：“好”",
    ],
)
def test_lines_that_are_not_one_quotation(raw: str) -> None:
    assert not is_quotation(raw)


# -- the headline block -----------------------------------------------------------------------


def test_the_headline_block_is_the_heading_lines_that_open_the_page() -> None:
    got = structure(
        ["全省春耕生产有序推进", "各地抢抓农时 确保粮食稳产", "省委书记深入田间调研", SEP, LEAD, SOW]
    )
    assert got.headline == {0, 1, 2}
    assert not got.front_matter and not got.highlights


def test_the_headline_block_is_at_most_four_lines() -> None:
    heads = ["引题一行", "主标题一行", "副标题一行", "再一行标题", "还是一行标题"]
    got = structure([*heads, LEAD, SOW])
    assert got.headline == {0, 1, 2, 3}


def test_the_headline_stops_at_a_bullet_an_indent_or_a_separator() -> None:
    bullet = "■\u00a0今年全省计划播种粮食作物三千二百万亩"
    assert structure(["春耕有序推进", bullet, SEP, LEAD, SOW]).headline == {0}
    # a deck indented unlike the title is not a title line
    assert structure(["春耕有序推进", IND + "各地抢抓农时", SEP, LEAD, SOW]).headline == {0}
    # the first separator closes the headline block
    assert structure(["春耕有序推进", SEP, "各地抢抓农时", LEAD, SOW]).headline == {0}


def test_an_empty_page_has_no_structure() -> None:
    assert page_structure([], 0, False) == Structure(frozenset(), frozenset())


# -- front matter and highlights --------------------------------------------------------------


def test_pull_quotes_closed_by_a_separator_before_the_lead_are_front_matter() -> None:
    pull_one = IND + "今年全省计划播种粮食作物三千二百万亩，比去年增加五十万亩"
    pull_two = IND + "各地加快高标准农田建设，新建灌溉渠道一千二百公里"
    got = structure(["", "春耕时节看湖南（一线观察）", "", pull_one, pull_two, SEP, LEAD, SOW, DITCH])
    assert got.headline == {0}
    assert got.front_matter == {1, 2}
    assert not got.highlights


def test_without_a_separator_before_the_lead_there_is_no_front_matter() -> None:
    # a page printed without such marks may open with a paragraph it repeats later: that is text
    opening = IND + "今年全省计划播种粮食作物三千二百万亩，比去年增加五十万亩"
    got = structure(["春耕时节看湖南", opening, LEAD, SOW])
    assert not got.front_matter


@pytest.mark.parametrize("raw", ["核心阅读", "2.5%", "13.95亿人次", IND + "数据来源"])
def test_a_short_line_without_a_clause_is_a_label(raw: str) -> None:
    assert is_label(raw)


@pytest.mark.parametrize("raw", ["我俩的结婚整整已经有了十年，", "场合：人民大会堂", LEAD])
def test_verse_a_line_of_facts_and_a_sentence_are_not_labels(raw: str) -> None:
    assert not is_label(raw)


def test_a_data_box_under_the_headline_closed_by_a_separator_is_front_matter() -> None:
    # the figure opens the box; its first caption is printed again in the body, the second is
    # abridged there (the body says more): the lead is the first line after the separator
    caption = IND + "全省计划播种粮食作物三千二百万亩"
    abridged = IND + "各地新建灌溉渠道一千二百公里，修复山塘水库八百余座。"
    page = ["春耕时节看湖南", IND + "3200万亩", caption + "。", IND + "1200公里", abridged, SEP]
    got = structure([*page, LEAD, IND + "今年" + caption[2:] + "，比去年增加五十万亩。", DITCH])
    assert got.headline == {0}
    assert got.front_matter == {1, 2, 3, 4}


def test_a_first_section_that_repeats_little_is_no_box() -> None:
    # a page of several short articles: the first opens with its school's name and ends at a
    # separator; one highlight repeated in its body does not make the section a box
    first = ["北京交通大学", IND + "关爱基金报销路费", IND + "■学长关爱基金报销车费", SOW, DITCH, MORE]
    second = [IND + "西安交通大学", IND + "春节年货带回家", LEAD]
    got = structure(["今年寒假怎么过", "", *first[:1], *first[1:], SEP, *second])
    assert got.front_matter == frozenset() or 3 not in got.front_matter


def test_verse_under_the_headline_is_no_box() -> None:
    # a letter in verse opens the page; the body quotes two of its lines: the verse is text
    verse = [
        IND + "我俩的结婚整整已经有了十年，",
        IND + "然而相聚的时间仅仅只有两个月。",
        IND + "不知流过了多少的伤心泪，",
        IND + "丝毫也不能摧毁我们的心愿。",
    ]
    body = IND + "信中写道：“我俩的结婚整整已经有了十年，然而相聚的时间仅仅只有两个月。”这封信保存至今。"
    got = structure(["从他们的幸福里看到美好", "", *verse, SEP, LEAD, body])
    assert not got.front_matter


def test_blank_line_pages_have_no_front_matter() -> None:
    pull = "今年全省计划播种粮食作物三千二百万亩，比去年增加五十万亩"
    got = structure(["春耕时节看湖南", "", pull, "", LEAD, "", SOW], separated=True)
    assert not got.front_matter


def test_highlights_are_bulleted_lines_above_the_lead_and_list_items_below_it_are_not() -> None:
    lines = [
        "全省春耕生产有序推进",
        IND + "■\u00a0今年全省计划播种粮食作物三千二百万亩，比去年增加五十万亩",
        IND + "■\u00a0各地加快高标准农田建设，新建灌溉渠道一千二百公里",
        SEP,
        LEAD,
        SOW,
        IND + "●\u3000种子供应充足；",
        IND + "●\u3000化肥价格平稳。",
        DITCH,
    ]
    got = structure(lines)
    assert got.highlights == {1, 2}
    assert got.front_matter == {1, 2}
    # ■ lines are highlights even when no separator closes them
    no_separator = [line for line in lines if line != SEP]
    assert structure(no_separator).highlights == {1, 2}


def test_the_lead_is_the_first_body_line_not_repeated_later() -> None:
    # a deck that is a whole body sentence (it ends in 。) is no lead: the body repeats it
    deck = SOW
    got = structure(["春耕时节看湖南", deck, SEP, LEAD, SOW, DITCH])
    assert got.front_matter == {1}


# -- through extraction: the Item fields ------------------------------------------------------


def items_of(text: str):  # type: ignore[no-untyped-def]
    return Extractor(Config())(0, Document("p", text)).items


def test_place_on_page_sets_the_item_fields() -> None:
    quoted = "“农民的心里踏实了”"
    text = "\r\n".join(
        [
            "",
            "全省春耕生产有序推进",
            "各地抢抓农时 确保粮食稳产",
            IND + "■\u00a0今年全省计划播种粮食作物三千二百万亩，比去年增加五十万亩",
            SEP,
            LEAD,
            SOW,
            IND + "●\u3000种子供应充足；",
            quoted,
            MORE,
        ]
    )
    items = items_of(text)
    assert [it.in_headline for it in items] == [True, True, False, False, False, False, False, False]
    assert [it.highlight for it in items] == [False, False, True, False, False, False, False, False]
    assert [it.front_matter for it in items] == [False, False, True, False, False, False, False, False]
    assert [it.quoted for it in items] == [False] * 6 + [True, False]
    # neighbours: the keys before and after, 0 at the page's edges; equal lines have equal hashes
    assert items[0].neighbours[0] == 0 and items[-1].neighbours[1] == 0
    assert items[1].neighbours[1] == items[3].neighbours[0]


def test_item_fields_in_lf_pages_with_nbsp_separators() -> None:
    text = "\n".join(
        [
            "春耕时节看湖南（一线观察）",
            "\u00a0",
            IND + "今年全省计划播种粮食作物三千二百万亩，比去年增加五十万亩",
            "\u00a0\u00a0",
            LEAD,
            SOW,
            DITCH,
        ]
    )
    items = items_of(text)
    assert [it.in_headline for it in items] == [True, False, False, False, False]
    assert [it.front_matter for it in items] == [False, True, False, False, False]


def test_a_deck_stitched_from_body_sentences_is_front_matter_not_the_lead() -> None:
    # each sentence of the deck stands in a body paragraph, but not next to each other: the
    # deck is no piece of one paragraph, yet it is no lead either
    deck = IND + "春耕生产有序推进。各地加快高标准农田建设"
    body = IND + "连日来，湖南各地抢抓农时，春耕生产有序推进。为保障灌溉，各地加快高标准农田建设。"
    page = structure(["湖南春耕忙", "", deck, SEP, body, SOW])
    assert page.front_matter == {1}
    assert structure(["湖南春耕忙", "", deck, SEP, body, SOW], asked=True) == page


def test_a_lead_whose_sentences_are_not_all_repeated_stays_the_lead() -> None:
    lead = IND + "春耕生产有序推进。今年全省新建灌溉渠道一千二百公里"
    body = IND + "连日来，湖南各地抢抓农时，春耕生产有序推进。种粮大户刘建军说，种子都已备足。"
    page = structure(["湖南春耕忙", "", lead, SEP, body, SOW])
    assert page.front_matter == set()
    assert structure(["湖南春耕忙", "", lead, SEP, body, SOW], asked=True) == page


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["body", "heading"]), st.booleans(), st.sampled_from(["", IND, "\u3000", "  "])
        ),
        max_size=12,
    )
)
def test_the_body_indent_is_the_one_most_body_lines_share(traits: list[tuple[str, bool, str]]) -> None:
    # the definition: the commonest indent of unbulleted body lines (of equals, the first seen),
    # when more than half of them share it
    from collections import Counter

    from dedup.text.page import _body_indent

    lines = [
        PageLine(n, f"k{n}", shape, bulleted, indent)  # type: ignore[arg-type]
        for n, (shape, bulleted, indent) in enumerate(traits)
    ]
    counts = Counter(indent for shape, bulleted, indent in traits if shape == "body" and not bulleted)
    expected = None
    if counts:
        indent, count = counts.most_common(1)[0]
        expected = indent if count * 2 > sum(counts.values()) else None
    assert _body_indent(lines) == expected


_SENTENCES = [
    "连日来湖南各地抢抓农时",
    "春耕生产有序推进",
    "记者在田间看到",
    "农机来回穿梭",
    "短句",
    "一派繁忙景象",
]


@given(st.lists(st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=4), min_size=1, max_size=6))
def test_a_paragraph_repeated_later_sentence_by_sentence_is_read_one_sentence_at_a_time(
    pages: list[list[str]],
) -> None:
    # its sentences folded as needed give what all of them folded at once (``sentence_keys``) give
    from dedup.text.page import LaterKeys, _repeated_later

    sources = ["。".join(sentences) + "。" for sentences in pages]
    lazy = [
        PageLine(n, fold(source), "body", False, IND, sentences=None, source=source)
        for n, source in enumerate(sources)
    ]
    eager = [
        PageLine(n, fold(source), "body", False, IND, sentences=sentence_keys(source), source=source)
        for n, source in enumerate(sources)
    ]
    later = LaterKeys(lazy)
    for position in range(len(sources)):
        assert _repeated_later(lazy, position, later) == _repeated_later(eager, position, later)
