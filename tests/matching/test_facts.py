"""facts: the guard on every removal.  A paragraph may go only when every fact of it survives in the
copies that cover it: digits and numerals, words of two or more characters in place of others (a name,
a place, an office), proper nouns inserted (jieba's tagger), and longer insertions are facts; a single
character slip (OCR) and a short lead-in (会议强调，目前) are not.  All sentences are invented.
"""

from __future__ import annotations

import pytest
from rapidfuzz.distance import LCSseq

from dedup.matching.facts import matching_blocks, own_content, states_nothing_new
from dedup.text.normalize import normalize, pauses

AMBASSADOR = "任命{}为中华人民共和国驻{}特命全权大使。"
DISMISS = "免去{}的中华人民共和国驻{}特命全权大使职务。"
DUTY = "要压紧压实各级防汛责任，加强雨情水情监测预警，提前转移危险区域群众。"


# -- the same sentence: nothing of its own ------------------------------------------------------


def test_an_equal_copy_states_nothing_new() -> None:
    assert own_content(DUTY, [DUTY]) == []
    assert states_nothing_new(DUTY, [DUTY])


def test_punctuation_spaces_and_bullets_are_layout() -> None:
    deck = "■\u00a0要压紧压实各级防汛责任\u3000加强雨情水情监测预警，提前转移危险区域群众"
    assert own_content(deck, [DUTY]) == []
    assert own_content("\u3000\u3000" + DUTY.replace("，", ","), [DUTY]) == []


def test_a_piece_of_a_longer_paragraph_states_nothing_new() -> None:
    body = "会议指出，" + DUTY + "各级领导干部要坚守岗位、靠前指挥，确保关键时刻拉得出、冲得上。"
    assert own_content(DUTY, [body]) == []
    assert own_content(DUTY[:20], [body]) == []


@pytest.mark.parametrize("lead_in", ["会议强调，", "会议指出，", "目前，", "同时，", "据悉，", "此外，"])
def test_a_short_lead_in_the_copy_lacks_is_no_fact(lead_in: str) -> None:
    # either way round: the body adds the lead-in, or the deck has it and the body not
    assert own_content(lead_in + DUTY, [DUTY]) == []
    assert own_content(DUTY, [lead_in + DUTY]) == []


def test_a_single_character_slip_is_no_fact() -> None:
    slipped = "要坚持稳中求进工作总基调，推动经济高质最发展，持续改善人民生活。"
    assert own_content(slipped, ["要坚持稳中求进工作总基调，推动经济高质量发展，持续改善人民生活。"]) == []


def test_a_short_filler_word_is_no_fact() -> None:
    assert (
        own_content(
            "要坚持稳中求进工作总基调，大力推动经济高质量发展。",
            ["要坚持稳中求进工作总基调，推动经济高质量发展。"],
        )
        == []
    )


def test_a_paragraph_covered_by_two_sources_together_states_nothing_new() -> None:
    first = "全县新建农村公路二百公里，实现了村村通硬化路。"
    second = "农民人均可支配收入增长了百分之八。"
    assert own_content(first + second, [first, second]) == []


# -- facts ---------------------------------------------------------------------------------------


def test_formulaic_appointments_differing_only_in_the_name_are_different() -> None:
    one = AMBASSADOR.format("林海峰", "秘鲁共和国")
    other = AMBASSADOR.format("许国栋", "秘鲁共和国")
    assert own_content(one, [other]) == ["林海峰"]
    assert own_content(other, [one]) == ["许国栋"]


def test_formulaic_appointments_differing_only_in_the_country_are_different() -> None:
    one = AMBASSADOR.format("林海峰", "秘鲁共和国")
    assert own_content(one, [AMBASSADOR.format("林海峰", "智利共和国")]) == ["秘鲁"]


def test_an_appointment_is_not_a_piece_of_the_predecessor_s_dismissal() -> None:
    # the gap holding the new name is content, however short
    appointed = AMBASSADOR.format("林海峰", "秘鲁共和国")
    dismissed = DISMISS.format("周文涛", "秘鲁共和国")
    assert own_content(appointed, [dismissed])
    assert not states_nothing_new(appointed, [dismissed])
    # and with the two lines run together as one source
    assert not states_nothing_new(appointed, [dismissed + appointed.replace("林海峰", "何志远")])


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("第九条 管理单位应当建立健全安全生产责任制度。", "第十条 管理单位应当建立健全安全生产责任制度。"),
        ("全市去年新增就业岗位3.2万个。", "全市去年新增就业岗位4.5万个。"),
        ("会议于3月12日在江州召开。", "会议于3月15日在江州召开。"),
        ("全县共有贫困人口二百三十户。", "全县共有贫困人口一百三十户。"),
        ("第一，要加强组织领导。", "第二，要加强组织领导。"),
    ],
)
def test_sentences_differing_in_a_number_a_date_or_an_ordinal_are_different(one: str, other: str) -> None:
    assert own_content(one, [other])
    assert own_content(other, [one])


def test_a_number_the_copy_lacks_is_a_fact() -> None:
    assert own_content("会议听取了12个部门的汇报。", ["会议听取了各部门的汇报。"])


@pytest.mark.parametrize(
    "name",
    ["陈立华", "廖俊峰", "周立新", "李明", "江州市", "崇义县", "联合国"],
)
def test_a_proper_noun_the_copy_lacks_is_a_fact(name: str) -> None:
    copy = "副省长出席会议并讲话，对下一步防汛工作作出具体部署。"
    own = copy.replace("副省长", "副省长" + name)
    assert name in own_content(own, [copy])


def test_a_name_added_to_a_list_is_a_fact() -> None:
    assert own_content("出席会议的有李红梅、王小川。", ["出席会议的有李红梅。"]) == ["王小川"]


def test_a_swapped_place_is_a_fact() -> None:
    assert own_content("委员们前往云南考察。", ["委员们前往贵州考察。"]) == ["云南"]


def test_a_longer_insertion_is_text_of_its_own() -> None:
    longer = "要坚持稳中求进工作总基调，在全面建成小康社会的新起点上推动经济高质量发展。"
    assert own_content(longer, ["要坚持稳中求进工作总基调，推动经济高质量发展。"]) == [
        "在全面建成小康社会的新起点上"
    ]


def test_many_single_character_differences_are_no_longer_slips() -> None:
    one = "今年全县新修水渠八条，改造农田五千亩，种植油茶三万株。"
    other = "今年全县新挖水塘八个，改良农地五千块，种上油桐三万棵。"
    assert own_content(one, [other])


def test_no_sources_leaves_everything_of_its_own() -> None:
    assert own_content(DUTY, [])
    assert own_content("", [DUTY]) == []


@pytest.mark.xfail(
    strict=True,
    reason="a personal name jieba's tagger reads as common words (许文静: 许 + 文静 adj.; 方圆) is not "
    "tagged as a proper noun, so own_content lets it go; the sentence check of verify still keeps "
    "such a paragraph (its sentence loses a fifth of its 3-grams)",
)
@pytest.mark.parametrize("name", ["许文静", "方圆"])
def test_a_name_read_as_common_words_is_still_a_fact(name: str) -> None:
    copy = "副省长出席会议并讲话，对下一步防汛工作作出具体部署。"
    own = copy.replace("副省长", "副省长" + name)
    assert own_content(own, [copy])


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("第十条 管理单位应当建立健全安全生产责任制度。", "第十一条 管理单位应当建立健全安全生产责任制度。"),
        ("会议于3月1日召开，研究部署春季森林防火工作。", "会议于3月12日召开，研究部署春季森林防火工作。"),
        ("全市去年新增就业岗位5万个，同比增长了两成。", "全市去年新增就业岗位15万个，同比增长了两成。"),
    ],
)
def test_a_number_that_is_part_of_the_copy_s_number_is_still_a_fact(one: str, other: str) -> None:
    assert own_content(one, [other])


# -- one character that changes what is said ---------------------------------------------------


def test_a_well_known_place_in_place_of_another_is_a_fact() -> None:
    # a series' subtitles on two days: one character apart, two provinces
    jiangxi = "——江西落实习近平总书记全国两会重要讲话精神纪实"
    guangxi = "——广西落实习近平总书记全国两会重要讲话精神纪实"
    assert own_content(jiangxi, [guangxi]) == ["江"]


def test_a_misspelling_the_dictionary_happens_to_list_is_still_a_slip() -> None:
    # jieba lists 欧州 as a place (4 times, against 9,256 for 欧洲): a typo, not another place
    slipped = "俄罗斯希望吸引欧州在俄美反导争端中发挥更加积极的作用。"
    assert own_content(slipped, [slipped.replace("欧州", "欧洲")]) == []


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("——记二〇一八年最美城乡社区工作者群体（下）", "——记二〇一八年最美城乡社区工作者群体（上）"),
        (
            "今年一季度全省进口总额明显增长，外贸形势稳中向好。",
            "今年一季度全省出口总额明显增长，外贸形势稳中向好。",
        ),
        (
            "受寒潮影响，本周全市气温将持续下降，市民注意防寒保暖。",
            "受寒潮影响，本周全市气温将持续上升，市民注意防寒保暖。",
        ),
    ],
)
def test_an_opposite_in_place_of_a_character_is_a_fact(one: str, other: str) -> None:
    assert own_content(one, [other])


# -- a word added in front of a noun -------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other", "added"),
    [
        (
            "国务院任命张三为外交部副部长，任期五年，自即日起生效。",
            "国务院任命张三为外交部部长，任期五年，自即日起生效。",
            "副",
        ),
        (
            "会议由市委原书记李明主持，全体市委委员出席了会议。",
            "会议由市委书记李明主持，全体市委委员出席了会议。",
            "原",
        ),
        (
            "（作者为中国社会科学院习近平新时代中国特色社会主义思想研究中心特约研究员）",
            "（作者为中国社会科学院学部委员、习近平新时代中国特色社会主义思想研究中心研究员）",
            "特约",
        ),
    ],
)
def test_a_word_that_says_which_office_is_a_fact(one: str, other: str, added: str) -> None:
    assert own_content(one, [other]) == [added]


def test_a_particle_before_a_noun_is_grammar_not_a_fact() -> None:
    one = "历史剧创作要正确妥善处理两者的关系，做到于史有据、虚构有度。"
    assert own_content(one, [one.replace("两者的关系", "两者关系")]) == []


def test_a_lead_in_before_a_noun_is_no_fact_where_the_text_pauses() -> None:
    # the matcher compares keys, which have lost their punctuation: the pause comes from the key
    raw = "目前，记者从有关部门获悉，今年全省粮食生产形势总体向好。"
    copy = normalize("记者从有关部门获悉，今年全省粮食生产形势总体向好。").text
    key = normalize(raw)
    assert own_content(key.text, [copy])  # without the pause, 目前 reads as said of 记者
    assert states_nothing_new(key.text, [copy], 0, pauses(key))


# -- a word the copy adds inside the paragraph ----------------------------------------------------


@pytest.mark.parametrize(
    ("one", "copy", "fact"),
    [
        # the copy says which office, or turns the statement round: its own is in no copy
        (
            "国务院任命张三为外交部部长，任期五年，自即日起生效。",
            "国务院任命张三为外交部副部长，任期五年，自即日起生效。",
            "部长",
        ),
        (
            "会议由市委书记李明主持，全体市委委员出席了会议。",
            "会议由市委原书记李明主持，全体市委委员出席了会议。",
            "书记",
        ),
        ("今天上午，市长王刚出席开幕仪式并致辞。", "今天上午，代市长王刚出席开幕仪式并致辞。", "市长"),
        ("市人大常委会会议审议通过了该项决议草案。", "市人大常委会会议审议未通过了该项决议草案。", "通过"),
    ],
)
def test_a_copy_that_says_which_one_or_the_opposite_does_not_hold_the_paragraph(
    one: str, copy: str, fact: str
) -> None:
    assert own_content(one, [copy]) == [fact]
    # and the other way round, as before: the paragraph adds the word
    assert own_content(copy, [one])


@pytest.mark.parametrize(
    ("one", "copy"),
    [
        # a lead-in, a name of a list, a clause: beside the paragraph's words, at a pause
        ("会议指出，我国经济运行总体平稳，稳中向好。", "会议指出，目前，我国经济运行总体平稳，稳中向好。"),
        ("张三出席了今天上午的开幕仪式并讲话。", "张三、李四出席了今天上午的开幕仪式并讲话。"),
        ("全省粮食生产形势总体向好，夏粮再获丰收。", "全省粮食生产形势总体向好，据统计，夏粮再获丰收。"),
        # a lead-in of its own, at a pause (其后不久 holds 不, and negates nothing)
        (
            "1979年1月中美两国正式建交。邓小平访问美国，实现了新中国领导人对美国的首次访问。",
            "1979年1月中美两国正式建交。其后不久，邓小平访问美国，实现了新中国领导人对美国的首次访问。",
        ),
        # an adverb before a verb (都), even where the tagger reads the verb as a name (令人: nrt)
        (
            "《流浪地球》展现出来的综合实力，令人充满自豪，对未来充满希望。",
            "《流浪地球》展现出来的综合实力，都令人充满自豪，对未来充满希望。",
        ),
        # the end of the word before (青海省 for 青海), not a word about what follows
        (
            "青海人口较少民族聚居的379个行政村全部实现村道硬化。",
            "目前，青海省人口较少民族聚居的379个行政村全部实现村道硬化。",
        ),
        # a clause that starts with the word the paragraph's next words start with: the same
        # characters, read a little earlier, are the clause (家庭|的规模变小，家庭|成员)
        (
            "随着城市的发展，家庭成员的观念也在发生变化。",
            "随着城市的发展，家庭的规模变小，家庭成员的观念也在发生变化。",
        ),
        # at an edge: the rest of the text the paragraph was cut from
        (
            "记者从有关部门获悉，今年全省粮食生产形势总体向好。",
            "目前，副省长张三称：记者从有关部门获悉，今年全省粮食生产形势总体向好。",
        ),
    ],
)
def test_what_a_copy_adds_beside_the_paragraph_s_words_is_not_a_change(one: str, copy: str) -> None:
    assert own_content(one, [copy]) == []


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("国务院副总理出席会议并讲话", "国务院总理出席了会议并讲话"),
        ("全国400多万名社区工作者坚守一线", "全国四百多万名社区工作者坚守在一线"),
        ("abc", "xyz"),
        ("", "会议"),
    ],
)
def test_matching_blocks_are_rapidfuzzs_non_empty_ones(a: str, b: str) -> None:
    """The remembered blocks (shared by the alignment of an edited copy and the fact guard) are
    those rapidfuzz gives, asked twice or once."""
    direct = [(m.a, m.b, m.size) for m in LCSseq.opcodes(a, b).as_matching_blocks() if m.size]
    for _ in range(2):
        assert [(m.a, m.b, m.size) for m in matching_blocks(a, b)] == direct
