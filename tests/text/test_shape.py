"""shape: titles, subheadings, bylines and datelines are headings; sentences are body;
a paragraph that stops without anything that could end it is open."""

from __future__ import annotations

import pytest

from dedup.text.shape import ends_open, shape_of


@pytest.mark.parametrize(
    "line",
    [
        "习近平回信勉励武汉东湖新城社区全体社区工作者 抓细抓实疫情防控各项工作 用心用情为群众服务",
        "中央应对新冠肺炎疫情工作领导小组印发《意见》 积极有序推进复工复产",
        "精准发力,建强战斗堡垒",
        "○ 通讯员 李婷婷 刘治乾 钱莉 周香玲 刘幸",
        "本报记者梅洪如",
        "（据新华社电）",
        "（作者为全国人大常委会副委员长、民进中央主席）",
        "新华社北京4月9日电",
        "１９９７年６月２０日",
        "告别弄堂--上海医药企业东迁浦东纪实",
    ],
)
def test_titles_bylines_and_datelines_are_headings(line: str) -> None:
    assert shape_of(line) == "heading"


@pytest.mark.parametrize(
    "text",
    [
        "社区是疫情防控的最前线。",
        "你好！",
        "他问：“为什么？”",
        "他说：“我们一定要完成任务。”",
        "截至4月2日，全县蔬菜春播面积14.8万亩；",
        "新华社北京4月9日电 中共中央总书记、国家主席、中央军委主席习近平4月8日"
        "给武汉市东湖新城社区全体社区工作者回信。",
        # longer than any heading, even without punctuation
        "这是一个很长的没有标点的句子" * 6,
    ],
)
def test_sentences_are_body(text: str) -> None:
    assert shape_of(text) == "body"


def test_shape_ignores_surrounding_whitespace() -> None:
    assert shape_of("  社区是疫情防控的最前线。 \n") == "body"
    assert shape_of("\u3000\u3000本报记者梅洪如\n") == "heading"


def test_ends_open() -> None:
    assert ends_open("发动党员群众发")
    assert ends_open("没有物业、没有保安、没有主")
    assert not ends_open("作出了重要贡献。")
    assert not ends_open("他说：“我们一定要完成任务。”")
    assert not ends_open("")
