"""rewrite: the cleaned copy keeps everything it does not remove, byte for byte."""

from __future__ import annotations

from dedup.text.rewrite import glue, rewrite
from dedup.text.segment import split_paragraphs


def clean(text: str, removed: set[int] = frozenset(), joins: set[tuple[int, int]] = frozenset()) -> str:  # type: ignore[assignment]
    return rewrite(text, split_paragraphs(text), removed, joins)


def test_unchanged_text_is_returned_verbatim() -> None:
    for text in [
        "\n\n标题\n\n正文。\n\n\n",
        "\u3000\u3000正文。\r\n\r\n\u3000\u3000又一段。",
        "一行。\n二行。",
        "",
    ]:
        assert clean(text) is text


def test_separators_between_kept_paragraphs_are_kept() -> None:
    text = "甲。\n\n\n乙。\n\n丙。\n \n丁。"
    assert clean(text, {1}) == "甲。\n\n\n丙。\n \n丁。"
    # either separator around a removed paragraph may stay, but only one, unchanged
    assert clean(text, {2}) in ("甲。\n\n\n乙。\n\n丁。", "甲。\n\n\n乙。\n \n丁。")


def test_indentation_is_kept() -> None:
    text = "\u3000\u3000甲。\n\n\u3000\u3000乙。\n\n    丙。"
    assert clean(text, {1}) == "\u3000\u3000甲。\n\n    丙。"
    assert clean(text, {0}) == "\u3000\u3000乙。\n\n    丙。"


def test_crlf_line_endings_are_kept() -> None:
    text = "甲。\r\n\r\n乙。\r\n\r\n丙。\r\n"
    assert clean(text, {1}) == "甲。\r\n\r\n丙。\r\n"


def test_one_per_line_documents_keep_their_line_breaks() -> None:
    assert clean("甲。\n乙。\n丙。\n", {1}) == "甲。\n丙。\n"
    assert clean("甲。\r\n乙。\r\n丙。", {0}) == "乙。\r\n丙。"


def test_blank_lines_at_the_edges_go_when_something_changes() -> None:
    text = "\n\n甲。\n\n乙。\n\n丙。\n\n\n"
    assert clean(text, {1}) == "甲。\n\n丙。\n"
    assert clean("甲。\n\n乙。", {1}) == "甲。"


def test_removing_everything_leaves_nothing() -> None:
    assert clean("甲。\n\n乙。\n", {0, 1}) == ""


def test_join_replaces_what_lies_between_the_halves() -> None:
    text = "没有物业、没有主\n\n管单位。\n\n下一段。\n"
    assert clean(text, joins={(0, 1)}) == "没有物业、没有主管单位。\n\n下一段。\n"


def test_join_over_a_removed_marker_paragraph() -> None:
    text = "她同父亲一起发动党员群众发\n\n（下转第10版）\n\n挥模范带头作用。\n"
    assert clean(text, {1}, {(0, 2)}) == "她同父亲一起发动党员群众发挥模范带头作用。\n"


def test_markers_at_the_edges_of_kept_paragraphs_are_cut() -> None:
    text = "标题\n\n(上接第一版)\n为了帮助企业解决用工问题。\n\n正文。（下转第二版）\n"
    assert clean(text) == "标题\n\n为了帮助企业解决用工问题。\n\n正文。\n"


def test_marker_only_paragraphs_are_dropped_with_their_separator() -> None:
    text = "甲。\n\n（下转第十二版）\n\n乙。"
    assert clean(text, {1}) == "甲。\n\n乙。"


def test_glue_between_halves() -> None:
    assert glue("没有主", "管单位") == ""
    assert glue("version 2", "3 released") == " "
    assert glue("面积14.8", "万亩") == ""
    assert glue("Windows", "系统") == ""
