"""layout: how a text lays out its paragraphs, read from the text's own evidence.

Every page here is invented (other titles, other templates), in the forms scraped pages take:
one paragraph per line with CRLF or LF, indents of U+3000 / ASCII spaces / NBSP, separator lines
of ideographic or no-break spaces; blank-line blocks as in the dev set; hard-wrapped text.
"""

from __future__ import annotations

import pytest

from dedup.text.layout import choose_layout, lines_of, paragraph_spans

IDEO = "\u3000\u3000"
NBSP = "\u00a0"

BODY = [
    "记者近日走访了城南的几所小学，看到新建的操场和图书馆已经投入使用。",
    "校长李明说，学校今年招收了两百多名新生，比去年多了三成。",
    "区教育局表示，明年还将新建两所九年一贯制学校，缓解入学压力。",
    "家长们对此普遍表示欢迎。",
]

#: a hard-wrapped text: fixed-width lines, each paragraph opening with an indent
WRAPPED = (
    "\u3000\u3000春天来了，山坡上的桃花一片一片地开了，远远望去像一片粉红色的云霞，\n"
    "村里的孩子们成群结队地跑到山上去看花，一直玩到太阳落山才肯回家。大\n"
    "人们则忙着翻地播种，准备迎接新一年的好收成。\n"
    "\u3000\u3000夏天的时候，河里的水涨了起来，孩子们又跑到河边去游泳捉鱼，整个村\n"
    "子都充满了欢声笑语，连老人们也搬着竹椅坐到树荫下乘凉聊天，说起当年\n"
    "的往事。\n"
    "\u3000\u3000秋天到了。\n"
)


def page(lines: list[str], newline: str = "\r\n", final: bool = True) -> str:
    return newline.join(lines) + (newline if final else "")


def spans(text: str, layout: str) -> list[str]:
    return [text[a:b] for a, b in paragraph_spans(text, layout)]  # type: ignore[arg-type]


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
@pytest.mark.parametrize("separator", [IDEO, NBSP, IDEO + IDEO + NBSP, "", " \u3000"])
@pytest.mark.parametrize("indent", [IDEO, "    ", NBSP * 2, ""])
def test_one_paragraph_per_line_with_separator_lines(newline: str, separator: str, indent: str) -> None:
    # a separator line (or one empty line after the title) does not switch the page to blocks
    text = page(
        ["城南新建两所小学", separator, *(indent + s for s in BODY), separator, indent + "完。"], newline
    )
    assert choose_layout(text) == "lines"
    assert spans(text, "lines") == ["城南新建两所小学", *(indent + s for s in BODY), indent + "完。"]


def test_a_page_opening_with_an_empty_line_and_a_crlf_title_block_is_lines() -> None:
    text = page(["", "城南新建两所小学", "区教育局：明年再建两所", IDEO, *(IDEO + s for s in BODY)])
    assert choose_layout(text) == "lines"


def test_blank_line_blocks_of_one_line_each_are_blank_lines() -> None:
    # the dev set's form: every block is one paragraph
    for newline in ("\n", "\r\n"):
        text = newline.join(["城南新建两所小学", "", *(x for s in BODY for x in (s, ""))]).rstrip() + newline
        assert choose_layout(text) == "blank-lines"
        assert spans(text, "blank-lines") == ["城南新建两所小学", *BODY]


def test_a_marker_line_on_top_of_its_paragraph_keeps_blank_lines() -> None:
    text = "标题\n\n（上接第三版）\n正文接着上一版说下去。\n\n另一段。\n"
    assert choose_layout(text) == "blank-lines"
    assert spans(text, "blank-lines")[1] == "（上接第三版）\n正文接着上一版说下去。"


def test_hard_wrapped_text_with_indented_paragraph_starts_is_wrapped() -> None:
    assert choose_layout(WRAPPED) == "wrapped"
    got = spans(WRAPPED, "wrapped")
    assert len(got) == 3
    assert got[0].startswith("\u3000\u3000春天") and got[0].endswith("好收成。")
    assert got[1].count("\n") == 2 and got[2] == "\u3000\u3000秋天到了。"


def test_hard_wrapped_text_in_blank_line_blocks_is_blank_lines() -> None:
    text = WRAPPED.replace("\n\u3000\u3000", "\n\n")
    assert choose_layout(text) == "blank-lines"
    assert len(spans(text, "blank-lines")) == 3


def test_hard_wrapped_crlf_text_is_wrapped() -> None:
    assert choose_layout(WRAPPED.replace("\n", "\r\n")) == "wrapped"


def test_texts_without_line_breaks() -> None:
    assert choose_layout("") == "lines"
    assert choose_layout("只有一行。") == "lines"
    assert choose_layout("一行。\n二行。") == "lines"


def test_verse_lines_ending_in_commas_are_lines_not_wraps() -> None:
    # short lines that run on with commas are not a fixed-width wrap
    verse = ["山高路远，", "不忘来时，", "风雨兼程，", "初心如故。", "甲子年春"]
    text = page(["诗一首", IDEO, *(IDEO + v for v in verse), IDEO, *(IDEO + s for s in BODY)])
    assert choose_layout(text) == "lines"
    assert len(spans(text, "lines")) == 1 + len(verse) + len(BODY)


def test_lines_of_drops_line_endings_but_keeps_positions() -> None:
    text = "甲\r\n\u3000\u3000\r\n乙\n"
    lines = lines_of(text)
    assert [line.text for line in lines] == ["甲", "\u3000\u3000", "乙"]
    assert [text[line.start : line.end] for line in lines] == ["甲", "\u3000\u3000", "乙"]
    assert [line.blank for line in lines] == [False, True, False]
    # a final line ending opens no new line; a missing one loses nothing
    assert [line.text for line in lines_of("甲\n乙")] == ["甲", "乙"]
    assert [line.text for line in lines_of("甲\n\n")] == ["甲", ""]


def test_lines_of_the_same_text_asked_again_are_the_same_and_a_list_of_their_own() -> None:
    text = "甲\n\n乙\r\n丙"
    first = lines_of(text)
    first.pop()
    assert lines_of(text) == lines_of("甲\n\n乙\r\n" + "丙") == [*first, lines_of(text)[-1]]
    assert [line.text for line in lines_of(text)] == ["甲", "", "乙", "丙"]
    assert [line.text for line in lines_of("丁")] == ["丁"]


def test_separator_lines_of_ideographic_and_no_break_spaces_are_blank() -> None:
    for filler in ("\u3000", "\u00a0", "\u3000\u3000\u00a0", " \t"):
        (line,) = lines_of(filler)
        assert line.blank
    (line,) = lines_of("\u3000\u3000正文。")
    assert not line.blank and line.indented


def test_paragraph_spans_end_before_their_line_ending_in_every_layout() -> None:
    text = page([IDEO + s for s in BODY])
    for layout in ("lines", "blank-lines", "wrapped"):
        assert all(not piece.endswith(("\r", "\n")) for piece in spans(text, layout))
    # one block without blank lines: blank-lines reads it as one paragraph, lines as four
    assert len(spans(text, "blank-lines")) == 1
    assert len(spans(text, "lines")) == 4
    # every line is indented: wrapped reads each as its own paragraph
    assert len(spans(text, "wrapped")) == 4


def test_a_short_lines_page_with_one_break_is_lines() -> None:
    text = "\r\n".join(
        ["", "城南新建两所小学", IDEO, IDEO + "正文第一句说了一件事。", IDEO + "正文第二句又说了一件事。", ""]
    )
    assert choose_layout(text) == "lines"
