"""segment: the one definition of "paragraph" and its character spans."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.text.segment import split_paragraphs


def scorer_paragraphs(text: str) -> list[str]:
    """The dev set's convention (eval/README.md)."""
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def spans(text: str) -> list[str]:
    return [text[p.start : p.end] for p in split_paragraphs(text)]


def contents(text: str) -> list[str]:
    return [text[p.content_start : p.content_end] for p in split_paragraphs(text)]


def test_blank_lines_separate_paragraphs() -> None:
    text = "标题\n\n第一段。\n\n\n第二段。\n"
    assert spans(text) == ["标题", "第一段。", "第二段。"]


def test_lines_inside_a_block_stay_together() -> None:
    text = "硬换行的第一行\n第二行。\n\n另一段。"
    assert spans(text) == ["硬换行的第一行\n第二行。", "另一段。"]


def test_one_paragraph_per_line_without_blank_lines() -> None:
    text = "第一行。\n第二行。\n第三行。"
    assert spans(text) == ["第一行。", "第二行。", "第三行。"]


def test_one_per_line_with_crlf() -> None:
    text = "第一行。\r\n第二行。\r\n第三行。\r\n"
    assert spans(text) == ["第一行。", "第二行。", "第三行。"]


def test_blank_lines_of_spaces_and_ideographic_spaces_count_as_blank() -> None:
    text = "甲段。\n \u3000\t\n乙段。\r\n\r\n丙段。"
    assert spans(text) == ["甲段。", "乙段。", "丙段。"]


def test_spans_exclude_surrounding_whitespace_and_indentation() -> None:
    text = "\n\n\u3000\u3000缩进的段落。  \n\n  另一段。\n"
    paragraphs = split_paragraphs(text)
    assert [text[p.start : p.end] for p in paragraphs] == ["缩进的段落。", "另一段。"]
    assert text[paragraphs[0].start - 2 : paragraphs[0].start] == "\u3000\u3000"


def test_indices_and_doc_number() -> None:
    paragraphs = split_paragraphs("一。\n\n二。\n\n三。", doc=7)
    assert [p.index for p in paragraphs] == [0, 1, 2]
    assert {p.doc for p in paragraphs} == {7}


def test_empty_and_blank_documents_have_no_paragraphs() -> None:
    assert split_paragraphs("") == []
    assert split_paragraphs("\n\n  \n\u3000\n") == []


def test_seed_follows_the_scorer_convention(seed_article: str) -> None:
    assert spans(seed_article) == scorer_paragraphs(seed_article)
    assert len(split_paragraphs(seed_article)) == 43


def test_marker_line_on_top_of_its_block() -> None:
    text = "标题\n\n(上接第一版)\n为了帮助企业解决用工问题，各地相继组织“线上春风行动”。\n\n下一段。"
    paragraphs = split_paragraphs(text)
    assert len(paragraphs) == 3
    block = paragraphs[1]
    assert text[block.start : block.end].startswith("(上接第一版)\n")
    assert (
        text[block.content_start : block.content_end]
        == "为了帮助企业解决用工问题，各地相继组织“线上春风行动”。"
    )
    assert not block.is_marker
    assert block.has_content


def test_marker_line_at_the_bottom_of_its_block() -> None:
    text = "受伤的学生被送往医院。\n（下转第10版）\n\n下一段。"
    first = split_paragraphs(text)[0]
    assert text[first.content_start : first.content_end] == "受伤的学生被送往医院。"
    assert first.end == text.index("\n\n")


def test_marker_only_paragraph_has_no_content() -> None:
    text = "正文。\n\n（下转第十二版）\n\n（紧接第一版）\n\n正文续。"
    paragraphs = split_paragraphs(text)
    assert [p.is_marker for p in paragraphs] == [False, True, True, False]
    assert [p.has_content for p in paragraphs] == [True, False, False, True]
    assert all(p.content_start == p.content_end for p in paragraphs if p.is_marker)


def test_content_span_lies_inside_the_paragraph_span() -> None:
    text = "(上接第一版)居间对民事纠纷双方作出行政决定。\n\n正文。（下转第二版）"
    for p in split_paragraphs(text):
        assert p.start <= p.content_start <= p.content_end <= p.end
    assert contents(text) == ["居间对民事纠纷双方作出行政决定。", "正文。"]


def test_shapes_of_title_and_body() -> None:
    text = "习近平回信勉励武汉东湖新城社区全体社区工作者\n\n社区是疫情防控的最前线。"
    assert [p.shape for p in split_paragraphs(text)] == ["heading", "body"]


_pieces = st.sampled_from(
    ["甲", "乙。", "（上接第一版）", " ", "\u3000", "\t", "\n", "\n\n", "\r\n", "\n \n"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_pieces, max_size=30).map("".join))
def test_blank_line_documents_match_the_scorer_convention(text: str) -> None:
    paragraphs = split_paragraphs(text, layout="blank-lines")
    assert [text[p.start : p.end] for p in paragraphs] == scorer_paragraphs(text)
    by_line = split_paragraphs(text, layout="lines")
    assert [text[p.start : p.end] for p in by_line] == [s.strip() for s in text.split("\n") if s.strip()]
    if all("\n" not in text[p.start : p.end] for p in paragraphs):
        # one line per block: both readings agree, whichever the text shows
        assert split_paragraphs(text) == paragraphs == by_line
    for p in paragraphs:
        assert p.start <= p.content_start <= p.content_end <= p.end
        assert text[p.start : p.end] == text[p.start : p.end].strip()
