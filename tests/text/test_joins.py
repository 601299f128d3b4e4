"""joins: which paragraphs the page layout broke apart, and the cleaned copy re-joins.

These tests pin the decisions on clear cases only; the weights behind them are
being tuned, so no score or threshold is asserted.
"""

from __future__ import annotations

import pytest

import dedup
from dedup.text.joins import decide_join
from dedup.text.shape import shape_of


def join(head: str, tail: str, **kwargs: object) -> bool:
    return decide_join(head, tail, shape_of(head), shape_of(tail), **kwargs).join  # type: ignore[arg-type]


LIST_HEAD = (
    "《意见》提出七个方面要求,一要压实地方和单位疫情防控主体责任。"
    "落实员工个人防护要求,尽量减少人员聚集和集体活动。"
    "三要分区分级恢复生产秩序。及时取消与正常生产生活秩序不相适应的防控措施。四"
)
LIST_TAIL = (
    "要推动全产业链复工复产。及时帮助解决企业用工、资金、原材料供应和重大项目开工等问题。"
    "五要推动服务业复工复产。"
)
MIDWORD_HEAD = "希望桥社区“玉鑫花园”是一个有73户的“三无小区”,没有物业、没有保安、没有主"
MIDWORD_TAIL = (
    "管单位。为了做好小区疫情防控工作,辖区的党员志愿者刘双陆、谢丁、黄维等人主动站出来,"
    "共同为小区的疫情防控出力。"
)


def test_joins_a_dangling_list_numeral() -> None:
    verdict = decide_join(LIST_HEAD, LIST_TAIL, shape_of(LIST_HEAD), shape_of(LIST_TAIL))
    assert verdict.join
    assert verdict.evidence


def test_joins_a_word_broken_across_paragraphs() -> None:
    verdict = decide_join(MIDWORD_HEAD, MIDWORD_TAIL, shape_of(MIDWORD_HEAD), shape_of(MIDWORD_TAIL))
    assert verdict.join
    assert verdict.evidence


def test_joins_a_bare_list_numeral_to_its_item() -> None:
    assert join("三", "是支持个体私营经济发展。白莲乡努力开拓农民增收之路，抓典型示范，收效明显。")


def test_joins_inside_an_open_quote() -> None:
    head = "“激活党组织神经末梢,充分发挥小区党组织在疫情防控"
    tail = "工作中的政治引领和战斗堡垒作用。”温泉办事处党委书记余敏刚提出号召。"
    assert join("疫情防控战役打响时,由于宣传排查任务艰巨,社区人手严重不足。" + head, tail)


def test_joins_a_number_broken_across_paragraphs() -> None:
    assert join("截至4月2日，全县蔬菜春播面积14.8", "万亩。各乡镇有序组织菜农下田作业。")


@pytest.mark.parametrize(
    ("head", "tail"),
    [
        # a complete sentence, then the next one
        ("发展经济要实事求是、积极稳妥。", "财务支出要精打细算、真抓实管。"),
        ("他说：“我们一定要完成任务。”", "会议还决定成立领导小组。"),
        # a subheading, then its body text
        ("精准发力,建强战斗堡垒", "疫情防控战役打响时,由于宣传排查任务艰巨,社区人手严重不足。"),
        ("精准施策,增强服务意识", "随着疫情防控形势持续积极向好,疫情防控工作重点发生了转变。"),
    ],
)
def test_does_not_join_complete_paragraphs(head: str, tail: str) -> None:
    assert not join(head, tail)


@pytest.mark.parametrize(
    ("head", "tail"),
    [
        (
            "习近平回信勉励武汉东湖新城社区全体社区工作者 抓细抓实疫情防控各项工作 用心用情为群众服务",
            "新华社北京4月9日电 中共中央总书记、国家主席、中央军委主席习近平4月8日"
            "给武汉市东湖新城社区全体社区工作者回信。",
        ),
        ("支部建在小区上 服务沉到家门口 温泉办事处众志成城战疫情", "○ 通讯员 李婷婷 刘治乾 钱莉 周香玲 刘幸"),
        (
            "○ 通讯员 李婷婷 刘治乾 钱莉 周香玲 刘幸",
            "2个多月来,面对疫情“大考”,作为咸宁中心城区拥有15万人口的咸安区温泉街道办事处。",
        ),
    ],
)
def test_does_not_join_a_title_or_byline_to_what_follows(head: str, tail: str) -> None:
    assert not join(head, tail, in_title_zone=True)
    text = f"{head}\n\n{tail}\n"
    result = dedup.clean_text(text)
    assert result.joins == ()
    assert result.cleaned == text


def test_empty_sides_never_join() -> None:
    assert not join("", "管单位。")
    assert not join("没有主", "")


def test_pipeline_joins_broken_paragraphs_and_reports_the_joint() -> None:
    head = "疫情防控战役打响时,由于宣传排查任务艰巨,社区人手严重不足。" + MIDWORD_HEAD
    text = f"标题\n\n{head}\n\n{MIDWORD_TAIL}\n"
    result = dedup.clean_text(text)
    assert result.cleaned == f"标题\n\n{head}{MIDWORD_TAIL}\n"
    (joint,) = result.joins
    assert (joint.head, joint.tail) == (1, 2)
    assert text[joint.start : joint.end] == "\n\n"
    assert joint.evidence


def test_pipeline_does_not_join_when_disabled() -> None:
    head = "疫情防控战役打响时,由于宣传排查任务艰巨,社区人手严重不足。" + MIDWORD_HEAD
    text = f"标题\n\n{head}\n\n{MIDWORD_TAIL}\n"
    result = dedup.clean_text(text, dedup.Config(join_broken=False))
    assert result.joins == ()
    assert result.cleaned == text
