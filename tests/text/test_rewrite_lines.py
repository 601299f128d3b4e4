"""rewrite_lines / rewrite_page: the cleaned copy of a page laid out one paragraph per line keeps the
page's bytes outside what changed: CRLF or LF, indents, separator lines; a removed line takes its own
line ending; a removed block between an empty/separator line and a separator line takes the closing
separator along; a joined break loses its line ending and the continuation's indent.  Pages invented.
"""

from __future__ import annotations

import pytest

from dedup.text.layout import choose_layout
from dedup.text.rewrite import rewrite_lines, rewrite_page
from dedup.text.segment import split_paragraphs

IND = "\u3000\u3000"


def rewrite(
    text: str,
    removed: set[int] = frozenset(),  # type: ignore[assignment]
    joins: set[tuple[int, int]] = frozenset(),  # type: ignore[assignment]
    layout: str = "lines",
) -> str:
    return rewrite_lines(text, split_paragraphs(text, 0, layout), removed, joins)  # type: ignore[arg-type]


def page(lines: list[str], newline: str, final: bool = True) -> str:
    return newline.join(lines) + (newline if final else "")


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_nothing_to_change_returns_the_text_itself(newline: str) -> None:
    text = page(["", "标题", IND + "\u00a0", IND + "甲。", IND + "乙。"], newline)
    assert rewrite(text) is text


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
@pytest.mark.parametrize("indent", [IND, "    ", "\u00a0\u00a0", ""])
def test_a_removed_line_takes_its_line_ending_and_nothing_else(newline: str, indent: str) -> None:
    lines = ["城南新貌", indent + "第一段。", indent + "第二段。", indent + "第三段。"]
    text = page(lines, newline)
    assert rewrite(text, {2}) == page(["城南新貌", indent + "第一段。", indent + "第三段。"], newline)
    assert rewrite(text, {1}) == page(["城南新貌", indent + "第二段。", indent + "第三段。"], newline)


def test_trailing_spaces_and_odd_spacing_of_kept_lines_stay() -> None:
    text = page(["标题 ", IND + "甲\u00a0 乙。\u3000", IND + "丙。", IND + "丁 。  "], "\r\n")
    assert rewrite(text, {2}) == page(["标题 ", IND + "甲\u00a0 乙。\u3000", IND + "丁 。  "], "\r\n")


def test_the_last_line_without_a_line_ending() -> None:
    text = page(["标题", IND + "甲。", IND + "乙。"], "\r\n", final=False)
    assert rewrite(text, {1}) == page(["标题", IND + "乙。"], "\r\n", final=False)
    # the last line goes: the line ending before it is the kept line's own
    assert rewrite(text, {2}) == page(["标题", IND + "甲。"], "\r\n")


@pytest.mark.parametrize("separator", [IND, "\u00a0", IND + IND + "\u00a0", "\u3000 "])
def test_a_block_directly_under_the_headline_keeps_its_separator(separator: str) -> None:
    # headline, ■ highlights, separator, body: the highlights go, the separator stays
    text = page(
        [
            "春耕忙",
            IND + "■\u00a0甲要点",
            IND + "■\u00a0乙要点",
            separator,
            IND + "甲要点在此。",
            IND + "乙要点在此。",
        ],
        "\r\n",
    )
    assert rewrite(text, {1, 2}) == page(
        ["春耕忙", separator, IND + "甲要点在此。", IND + "乙要点在此。"], "\r\n"
    )


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_a_block_between_an_empty_line_and_a_separator_takes_the_closing_separator(newline: str) -> None:
    # the 核心阅读 box: empty line after the headline, label, summary, separator, body
    text = page(
        [
            "",
            "春耕忙（一线调研）",
            "",
            IND + "核心阅读",
            IND + "甲要点。",
            IND + IND + "\u00a0",
            IND + "甲要点。",
        ],
        newline,
    )
    assert rewrite(text, {1, 2}) == page(["", "春耕忙（一线调研）", "", IND + "甲要点。"], newline)


def test_a_block_between_two_separators_in_the_body_takes_one_of_them() -> None:
    text = page(["标题", "\u00a0", IND + "框。", "\u00a0", IND + "乙。", "\u00a0", IND + "丙。"], "\n")
    assert rewrite(text, {1}) == page(["标题", "\u00a0", IND + "乙。", "\u00a0", IND + "丙。"], "\n")
    assert rewrite(text, {2}) == page(["标题", "\u00a0", IND + "框。", "\u00a0", IND + "丙。"], "\n")


def test_removing_a_line_without_separators_leaves_separators_alone() -> None:
    text = page(["标题", IND, IND + "甲。", IND + "乙。", IND, IND + "丙。"], "\r\n")
    assert rewrite(text, {1}) == page(["标题", IND, IND + "乙。", IND, IND + "丙。"], "\r\n")
    assert rewrite(text, {2}) == page(["标题", IND, IND + "甲。", IND, IND + "丙。"], "\r\n")


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_a_join_drops_the_line_ending_and_the_indent_of_the_continuation(newline: str) -> None:
    text = page([IND + "据《城市道路 ", IND + "照明设计标准》规定。", IND + "丙。"], newline)
    assert rewrite(text, joins={(0, 1)}) == page(
        [IND + "据《城市道路 照明设计标准》规定。", IND + "丙。"], newline
    )
    # no space at the break: nothing is inserted between Chinese characters
    text = page(["本报记者", "刘小明", "", IND + "正文。"], newline)
    assert rewrite(text, joins={(0, 1)}) == page(["本报记者刘小明", "", IND + "正文。"], newline)


def test_a_join_of_latin_words_inserts_one_space() -> None:
    text = page([IND + "项目采用了open", IND + "source方案。"], "\r\n")
    assert rewrite(text, joins={(0, 1)}) == page([IND + "项目采用了open source方案。"], "\r\n")


def test_two_joins_in_a_row_make_one_line() -> None:
    text = page([IND + "标准《家用电器 ", "儿童保护要求 ", "第2部分：电热毯》等12项。", IND + "其他。"], "\n")
    assert rewrite(text, joins={(0, 1), (1, 2)}) == page(
        [IND + "标准《家用电器 儿童保护要求 第2部分：电热毯》等12项。", IND + "其他。"], "\n"
    )


def test_a_removal_and_a_join_on_one_page() -> None:
    text = page(
        ["", "标题", IND + "■\u3000要点", IND, IND + "新华社记者 ", IND + "周立新", IND + "正文。"], "\r\n"
    )
    assert rewrite(text, {1}, {(2, 3)}) == page(
        ["", "标题", IND, IND + "新华社记者 周立新", IND + "正文。"], "\r\n"
    )


def test_removing_everything_leaves_nothing() -> None:
    text = page(["甲。", "乙。"], "\r\n")
    assert rewrite(text, {0, 1}) == ""


def test_wrapped_paragraphs_are_removed_with_all_their_lines() -> None:
    text = (
        "\u3000\u3000春天来了，山坡上的桃花一片一片地开了，远远望去像一片粉红色的云霞，\n"
        "村里的孩子们成群结队地跑到山上去看花，一直玩到太阳落山才肯回家。大\n"
        "人们则忙着翻地播种，准备迎接新一年的好收成。\n"
        "\u3000\u3000夏天的时候，河里的水涨了起来，孩子们又跑到河边去游泳捉鱼，整个村\n"
        "子都充满了欢声笑语，连老人们也搬着竹椅坐到树荫下乘凉聊天，说起当年\n"
        "的往事。\n"
        "\u3000\u3000秋天到了。\n"
    )
    assert choose_layout(text) == "wrapped"
    paragraphs = split_paragraphs(text, 0, "wrapped")
    kept = rewrite_page(text, paragraphs, {1}, set(), "wrapped")
    lines = text.split("\n")
    assert kept == "\n".join([*lines[:3], lines[6], ""])


def test_rewrite_page_keeps_blank_line_separators_in_the_blank_lines_layout() -> None:
    text = "标题\r\n\r\n甲。\r\n\r\n乙。\r\n\r\n丙。\r\n"
    paragraphs = split_paragraphs(text, 0, "blank-lines")
    assert rewrite_page(text, paragraphs, {2}, set(), "blank-lines") == "标题\r\n\r\n甲。\r\n\r\n丙。\r\n"
