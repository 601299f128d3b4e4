"""markers: continuation markers recognised by their structure, not from a list."""

from __future__ import annotations

import pytest

from dedup.text.markers import content_bounds, is_marker

BRACKETS = ["（）", "()", "〔〕", "［］", "[]", "【】", "〈〉", "<>", "《》", "「」", "『』"]


@pytest.mark.parametrize("brackets", BRACKETS)
def test_every_bracket_style(brackets: str) -> None:
    opening, closing = brackets
    assert is_marker(f"{opening}上接第一版{closing}")
    assert is_marker(f"{opening}下转第2版{closing}")


@pytest.mark.parametrize(
    "page",
    [
        "第一版",
        "第十二版",
        "第1版",
        "第12版",
        "第１版",
        "第１２版",
        "A3版",
        "A10版",
        "Ａ３版",
        "第二页",
        "第3页",
        "A3",
    ],
)
def test_every_numeral_style(page: str) -> None:
    assert is_marker(f"（下转{page}）")
    assert is_marker(f"(上接{page})")


@pytest.mark.parametrize(
    "verb", ["上接", "下转", "下接", "转", "接", "续", "见", "紧接", "承接", "转至", "接上"]
)
def test_every_jump_verb(verb: str) -> None:
    assert is_marker(f"（{verb}第一版）")


@pytest.mark.parametrize(
    "marker",
    [
        "（上接第一版）",
        "(下转第2版)",
        "【转A3版】",
        "（接A1版）",
        "(转A10版)",
        "（紧接第一版）",
        "（下转第十二版）",
        "〔续第１版〕",
        "（续上页）",
        "（接上版）",
        "（接上期）",
        "（本报上接第一版）",
        "（上接第一版，下转第三版）",
        "（下转第10版）（上接第1版）",
        "  （上接第一版）  ",
    ],
)
def test_markers_seen_in_scraped_pages(marker: str) -> None:
    assert is_marker(marker)
    assert content_bounds(marker)[0] == content_bounds(marker)[1]


@pytest.mark.parametrize("line", ["上接第一版", "——下转第2版", "—— 下转第2版 ——", "…接第3版"])
def test_bare_jump_lines_without_brackets(line: str) -> None:
    assert is_marker(line)


@pytest.mark.parametrize(
    "text",
    [
        "（黎秀芳发言见第五版）",
        "（完）",
        "（附图片1张）",
        "（附图片１张）",
        "（二○○○年十二月三十一日）",
        "（图片）",
        "（续）",
        "（转载）",
        "【转载】俄境内远东豹濒临灭绝",
        "（据新华社电）",
        "（本报记者）",
        "（见图）",
        "（转自人民日报）",
        "（第一版）",
        "第一版",
        "",
        "   ",
        "要推动全产业链复工复产。",
        "详见第五版的报道。",
    ],
)
def test_things_that_are_not_markers(text: str) -> None:
    assert not is_marker(text)


@pytest.mark.parametrize(
    "text",
    [
        "（黎秀芳发言见第五版）",
        "（完）",
        "（附图片1张）",
        "（二○○○年十二月三十一日）",
        "（作者为中国工程院院士）",
    ],
)
def test_bracketed_notes_are_content(text: str) -> None:
    assert content_bounds(text) == (0, len(text))


def _content(text: str) -> str:
    start, end = content_bounds(text)
    return text[start:end]


def test_content_bounds_marker_glued_to_the_start() -> None:
    assert _content("（上接第3版）科学技术进步无止境。") == "科学技术进步无止境。"
    assert _content("(上接第一版)据新华社北京１月９日电") == "据新华社北京１月９日电"


def test_content_bounds_marker_glued_to_the_end() -> None:
    assert _content("这是一起重大安全责任事故。（下转第10版）") == "这是一起重大安全责任事故。"


def test_content_bounds_markers_at_both_ends_with_spaces() -> None:
    assert _content("（上接第一版） 正文。 （下转第二版）") == "正文。"


def test_content_bounds_marker_on_its_own_line_at_the_top() -> None:
    text = "(上接第一版)\n为了帮助企业解决用工问题。"
    start, end = content_bounds(text)
    assert text[start:end] == "为了帮助企业解决用工问题。"
    assert start == text.index("为")


def test_content_bounds_marker_lines_at_the_bottom() -> None:
    text = "居间对民事纠纷双方作出行政决定。\n（下转第七版）\n（下转第八版）"
    assert _content(text) == "居间对民事纠纷双方作出行政决定。"


def test_content_bounds_marker_only_block() -> None:
    for text in ["（上接第一版）", "（下转第10版）\n（上接第1版）", "  (下转第七版)  "]:
        start, end = content_bounds(text)
        assert start == end


def test_content_bounds_keeps_text_without_markers() -> None:
    for text in ["正文第一行\n第二行。", "正文。", "（图片）说明文字。"]:
        assert content_bounds(text) == (0, len(text))


def test_content_bounds_leaves_a_marker_in_the_middle_alone() -> None:
    text = "正文第一行\n（上接第一版）第二行。"
    assert _content(text) == text


def test_content_bounds_strips_whitespace_around_content() -> None:
    text = "  （上接第一版）\n正文。\n（下转第二版）  "
    start, end = content_bounds(text)
    assert text[start:end] == "正文。"
    assert not text[start].isspace() and not text[end - 1].isspace()


def test_content_bounds_marker_line_followed_by_a_glued_marker() -> None:
    text = "（下转第七版）\n（上接第一版）居间对民事纠纷双方作出行政决定。"
    assert _content(text) == "居间对民事纠纷双方作出行政决定。"


@pytest.mark.parametrize("line", ["（未完待续）", "未完待续", "——待续——", "【未完待续】", "(待续)"])
def test_a_serial_to_be_continued_line_is_a_marker(line: str) -> None:
    assert is_marker(line)


def test_a_serial_marker_after_the_last_sentence_is_cut_off() -> None:
    text = "连载到此告一段落，下期再见。（未完待续）"
    assert content_bounds(text) == (0, text.index("（"))


def test_the_words_to_be_continued_inside_a_sentence_are_text() -> None:
    text = "他说：“未完待续的故事，总会有人接着讲。”"
    assert not is_marker(text)
    assert content_bounds(text) == (0, len(text))


@pytest.mark.parametrize("after", ["", " ", "\n", "\u3000", "\r\n", " \n\u3000"])
@pytest.mark.parametrize("brackets", BRACKETS)
def test_content_bounds_cuts_a_glued_marker_before_any_trailing_whitespace(brackets: str, after: str) -> None:
    text = f"正文的最后一句。{brackets[0]}下转第2版{brackets[1]}{after}"
    start, end = content_bounds(text)
    assert text[start:end] == "正文的最后一句。"
