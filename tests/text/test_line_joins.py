"""joins in the lines layout: a line break is undone only on direct evidence that it falls inside a
unit (``decide_line_join``, ``join_lines``).

Positives: an open quote, bracket or 《 closed on a following line; a dangling last word (的, 和); a
next line that cannot open a sentence; a byline or credit whose names go on; a number cut in two.
Negatives: never after punctuation (verse, lists, attribution lines), never a title forward, never a
heading forward, never across a blank or separator line.  All examples are invented.
"""

from __future__ import annotations

from itertools import pairwise

import pytest

import dedup
from dedup.text.joins import decide_line_join, join_lines
from dedup.text.segment import split_paragraphs

IND = "\u3000\u3000"


def joins(text: str, removed: set[int] = frozenset()) -> list[tuple[int, int]]:  # type: ignore[assignment]
    paragraphs = split_paragraphs(text, 0, "lines")
    return [(j.head, j.tail) for j in join_lines(text, paragraphs, removed)]


# -- positives ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "tail"),
    [
        ("据《城市道路 ", "照明设计标准》规定，路灯应当每年检修一次。"),  # a standard's title
        ("关于印发《城市更新", "行动方案》的通知"),
        ("各地把“建设美丽 ", "乡村示范区”列为今年的重点工作。"),  # a quoted target
        ("（记者王小川 ", "李冬梅 赵一凡）"),  # a closing credit
        ("他在发言中引用了「知行", "合一」这句话。"),
    ],
)
def test_a_bracket_opened_in_head_and_closed_in_tail_is_joined(head: str, tail: str) -> None:
    verdict = decide_line_join(head, tail)
    assert verdict.join
    assert "a quote or bracket opened in head closes in tail" in verdict.evidence


@pytest.mark.parametrize(
    ("head", "tail"),
    [
        ("培育新型农业经营主体的", "综合服务平台"),
        ("全县的茶叶和", "毛竹产业都有了新发展。"),
        ("新建的学校将在九月", "的开学季投入使用。"),  # the tail opens with 的
        ("他说", "，明年还要继续干。"),  # the tail opens with a comma
        ("全年共完成投资1", "200亿元"),  # a number cut in two
        ("增长了3", "5%"),
    ],
)
def test_a_cut_inside_a_phrase_word_or_number_is_joined(head: str, tail: str) -> None:
    assert decide_line_join(head, tail).join


@pytest.mark.parametrize(
    ("head", "tail"),
    [
        ("本报记者 ", "王晓明"),
        ("新华社记者 周立新 邓雅琴 ", "吴晓梅"),
        ("记者\u00a0李华\u00a0", "赵刚\u00a0孙强"),
    ],
)
def test_a_byline_whose_names_go_on_is_joined(head: str, tail: str) -> None:
    verdict = decide_line_join(head, tail)
    assert verdict.join
    assert "a byline or credit goes on with more names" in verdict.evidence


def test_a_book_title_broken_twice_is_joined_twice() -> None:
    text = "\n".join(
        [
            IND + "本次发布的国家标准包括《家用电器 ",
            "儿童保护要求 ",
            "第2部分：电热毯》等12项。",
            IND + "新标准将于明年起实施。",
        ]
    )
    assert joins(text) == [(0, 1), (1, 2)]


def test_a_join_reports_its_span_score_and_evidence() -> None:
    text = "新书发布\r\n" + IND + "书名叫《远山的\r\n" + IND + "回声》，共收入散文四十篇。\r\n"
    paragraphs = split_paragraphs(text, 0, "lines")
    (join,) = join_lines(text, paragraphs, set())
    assert (join.head, join.tail) == (1, 2)
    assert (join.start, join.end) == (paragraphs[1].content_end, paragraphs[2].content_start)
    assert join.score >= 2.0 and join.evidence


def test_through_clean_text_a_crlf_page_joins_its_broken_credit() -> None:
    text = "\r\n".join(
        [
            "山城新貌",
            IND + "近年来，山城新建了三座跨江大桥，市民出行更加方便。",
            IND + "（本报记者 王小川 ",
            IND + "李冬梅）",
        ]
    )
    result = dedup.clean_text(text)
    assert result.layout == "lines"
    assert result.cleaned == "\r\n".join(
        [
            "山城新貌",
            IND + "近年来，山城新建了三座跨江大桥，市民出行更加方便。",
            IND + "（本报记者 王小川 李冬梅）",
        ]
    )


# -- negatives -----------------------------------------------------------------------------------


VERSE = ["我走过山间的小路，", "我走过春天的田野，", "风吹过我的肩头，", "一切都是那样美好。"]


def test_verse_lines_ending_in_commas_are_never_joined() -> None:
    for head, tail in pairwise(VERSE):
        assert not decide_line_join(head, tail).join
    text = "\r\n".join(
        [
            "小诗一首",
            "\u3000\u3000",
            *(IND + v for v in VERSE),
            "\u3000\u3000",
            IND + "这首诗写于一九八二年。",
        ]
    )
    assert joins(text) == []
    assert dedup.clean_text(text).cleaned == text


@pytest.mark.parametrize("end", ["。", "，", "、", "；", "：", "！", "？", "”", "）", "》", "…"])
def test_never_after_punctuation(end: str) -> None:
    # even when the next line cannot open a sentence or a bracket is still open
    assert not decide_line_join("《远方" + "的路" + end, "，以及其他").join


def test_identical_attribution_lines_are_not_joined_to_the_next_quote() -> None:
    text = "\r\n".join(
        [
            "语录",
            IND + "“人民是历史的创造者。”",
            IND + "——摘自某某在城南调研时的讲话",
            IND + "“发展是第一要务。”",
            IND + "——摘自某某在城南调研时的讲话",
            IND + "城南区近年来的变化，正是这些话的生动注脚。",
        ]
    )
    assert joins(text) == []


@pytest.mark.parametrize(
    ("head", "tail"),
    [
        ("第一章 总则", "第一条 为了规范城市道路管理，制定本办法。"),
        ("坚守实体经济 ", "在加快建设现代化产业体系上下功夫"),  # a paired heading
        ("用心守护一方水土——", "记某县护林员张大山"),  # a kicker ending in a dash
        ("一、坚持人民至上", IND + "人民是我们党执政的最大底气。"),
        ("“春天的故事”", IND + "四十年前，这里还是一片滩涂。"),
        ("乡村振兴看今朝", "——记某县驻村第一书记"),
        ("编者按", IND + "今年是某县撤县设市十周年。"),
    ],
)
def test_a_heading_is_never_joined_forward(head: str, tail: str) -> None:
    assert not decide_line_join(head, tail).join


def test_a_title_is_never_joined_forward_on_a_dangling_word() -> None:
    assert decide_line_join("我和我的", "家乡").join  # as a body line it would be
    assert not decide_line_join("我和我的", "家乡", is_title=True).join
    text = "我和我的\r\n" + IND + "家乡这些年变化很大。\r\n"
    assert joins(text) == []


def test_a_title_broken_inside_its_book_title_marks_is_joined() -> None:
    # "never a title forward" yields to a 《…》 left open: the break is inside the title
    assert decide_line_join("解读《城市更新", "条例》", is_title=True).join


def test_never_across_a_blank_or_separator_line() -> None:
    for separator in ("", "\u3000\u3000", "\u00a0", "\u3000\u3000\u00a0"):
        text = "\r\n".join(["标题", IND + "正文说到了城市发展中的", separator, IND + "许多新问题。"])
        assert joins(text) == []


def test_a_removed_line_between_two_kept_lines_does_not_block_their_join() -> None:
    # what remains is read as it will stand: cleaning the cleaned text joins nothing more
    text = "\r\n".join(["标题", IND + "全年共完成投资1", IND + "一行将被删掉的话。", IND + "200亿元。"])
    assert joins(text) == []
    assert joins(text, {2}) == [(1, 3)]


def test_unbroken_body_lines_are_not_joined() -> None:
    text = "\n".join(
        [
            "城南新建两所小学",
            IND + "记者近日走访了城南的几所小学",  # no final punctuation, but nothing is cut
            IND + "新建的操场和图书馆已经投入使用。",
            IND + "今年3",  # a figure label over its caption: the caption opens with a word
            IND + "所新学校开学",
        ]
    )
    assert (1, 2) not in joins(text)


# -- known false joins (found in ../shared/eval/wild, re-made with invented names) ------------


@pytest.mark.parametrize(
    "head",
    [
        "科技创新大有作为",
        "第一节\u3000打造人才高地",
        "社会力量齐参与",
        "树立练兵备战鲜明导向",
        "守护好脚下这片土地",
    ],
)
def test_a_heading_ending_in_a_word_like_zuowei_is_not_joined(head: str) -> None:
    assert not decide_line_join(head, IND + "近年来，全县新建学校十二所，招聘教师三百余名。").join


@pytest.mark.parametrize(
    ("head", "tail"),
    [
        ("时间：上午9点", "地点：城南小学操场"),
        ("核心阅读", "过去，游客来江州旅游，常常找不到停车位。"),
        ("（三）改进城市管理方式", "着眼于群众关切，推动管理重心下移。"),
    ],
)
def test_a_line_opening_with_a_word_starting_with_di_or_guo_is_not_a_continuation(
    head: str, tail: str
) -> None:
    assert not decide_line_join(head, tail).join


@pytest.mark.parametrize(
    ("head", "tail"),
    [
        ("本报记者\u00a0韩立新", IND + "边关到了。"),
        ("本报记者 王小川 李冬梅", IND + "近日，记者来到城南。"),
        ("记者手记", IND + "多走访\u00a0办实事"),
    ],
)
def test_a_complete_byline_is_not_joined_to_the_body(head: str, tail: str) -> None:
    assert not decide_line_join(head, tail).join


@pytest.mark.parametrize(
    ("head", "tail"),
    [
        ("318", "2019年以来，全市共查处违规案件318起。"),
        ("——媒体融合发展系列评论④", "日新月异的技术正在改变传播格局。"),
    ],
)
def test_a_figure_label_is_not_joined_to_its_caption(head: str, tail: str) -> None:
    assert not decide_line_join(head, tail).join
