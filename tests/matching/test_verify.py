"""verify and resolve: which paragraphs are redundant, what they repeat, and of what kind.

Driven through ``dedup.clean_text`` on small Chinese articles, so the tests pin
the decisions and the report, not the matcher's internals (being tuned).
"""

from __future__ import annotations

from sample_articles import A, B, C, article

import dedup
from dedup.text.normalize import fold

TITLE = "习近平回信勉励武汉东湖新城社区全体社区工作者"


def removals(result: dedup.Result) -> dict[int, str]:
    return {r.paragraph: r.kind for r in result.removed}


def test_exact_copy_is_removed_and_points_at_its_original() -> None:
    text = article(TITLE, A, B, A)
    result = dedup.clean_text(text)
    assert removals(result) == {3: "exact"}
    assert result.cleaned == article(TITLE, A, B)
    (removal,) = result.removed
    assert text[removal.start : removal.end] == A
    (match,) = removal.matches
    assert match.paragraph == 1
    assert match.id == result.id
    assert text[match.start : match.end] == A


def test_exact_after_folding_is_exact() -> None:
    degraded = A.replace("，", ",").replace("。", ". ")
    result = dedup.clean_text(article(TITLE, A, B, degraded))
    assert list(removals(result).values()) == ["exact"]
    assert fold(result.cleaned).count(fold(A)) == 1


def test_near_copy_is_removed_and_one_copy_survives() -> None:
    edited = A.replace("，", ",").replace("400", "４００").replace("最前线", "最前钱")
    result = dedup.clean_text(article(TITLE, A, B, edited))
    assert sorted(removals(result).values()) == ["near"]
    (removal,) = result.removed
    assert removal.paragraph in (1, 3)
    assert fold(B) in fold(result.cleaned)
    kept = fold(result.cleaned)
    assert (fold(A) in kept) != (fold(edited) in kept)


def test_near_copy_with_an_inserted_phrase() -> None:
    edited = A.replace("为遏制", "据悉，为遏制")
    result = dedup.clean_text(article(TITLE, A, B, edited))
    assert sorted(removals(result).values()) == ["near"]


def test_prefix_fragment_is_removed_and_the_whole_survives() -> None:
    fragment = A[:55]
    result = dedup.clean_text(article(TITLE, fragment, A, B))
    assert removals(result) == {1: "fragment"}
    assert result.cleaned == article(TITLE, A, B)
    (match,) = result.removed[0].matches
    assert match.paragraph == 2


def test_suffix_fragment_is_removed() -> None:
    fragment = A[-60:]
    result = dedup.clean_text(article(TITLE, A, B, fragment))
    assert removals(result) == {3: "fragment"}
    assert result.cleaned == article(TITLE, A, B)


def test_match_region_is_the_repeated_part_of_the_source() -> None:
    fragment = A[-60:]
    text = article(TITLE, A, B, fragment)
    (removal,) = dedup.clean_text(text).removed
    (match,) = removal.matches
    region = fold(text[match.start : match.end])
    assert region in fold(A)
    assert len(region) >= 0.8 * len(fold(fragment))


def test_splice_of_two_paragraphs_is_removed() -> None:
    splice = A[-50:] + B[:40]
    result = dedup.clean_text(article(TITLE, A, B, C, splice))
    assert removals(result) == {4: "splice"}
    assert {m.paragraph for m in result.removed[0].matches} == {1, 2}
    assert result.cleaned == article(TITLE, A, B, C)


def test_unique_text_keeps_a_paragraph_that_repeats_another() -> None:
    extended = A + "截至4月2日，全县蔬菜春播面积14.8万亩，各乡镇有序组织菜农下田作业。"
    result = dedup.clean_text(article(TITLE, extended, B, A))
    assert fold(extended) in fold(result.cleaned)


def test_repeated_title_is_removed_as_an_exact_copy() -> None:
    result = dedup.clean_text(article(TITLE, TITLE, A, B))
    assert removals(result) == {1: "exact"}
    assert result.cleaned == article(TITLE, A, B)


def test_heading_that_is_a_piece_of_body_text_is_kept() -> None:
    # a title whose words recur in the body, and a subheading that is a sentence of it
    title = "社区是疫情防控的最前线"
    text = article(title, A, B, "新冠肺炎疫情发生以来")
    result = dedup.clean_text(text)
    assert result.removed == ()
    assert result.cleaned == text


def test_short_lines_are_matched_exactly_only() -> None:
    text = article(TITLE, A, "会议已结束。", B, "会议结束了。")
    assert dedup.clean_text(text).removed == ()
    text = article(TITLE, A, "谢谢大家。", B, "谢谢大家。")
    assert removals(dedup.clean_text(text)) == {4: "exact"}


def test_distinct_paragraphs_with_shared_vocabulary_are_kept() -> None:
    first = (
        "卡斯特罗首先请傅全有转达他对江泽民主席的亲切问候和良好祝愿，并对傅全有一行的来访表示热烈欢迎。"
        "他说，古巴党和政府十分重视发展古中友好合作关系。"
    )
    second = (
        "傅全有转达了江泽民主席对卡斯特罗主席的亲切问候和良好祝愿。他表示，中古有着十分良好的关系。"
        "我们愿为双边友好关系的进一步发展作出积极贡献。"
    )
    text = article("卡斯特罗会见傅全有", first, second)
    assert dedup.clean_text(text).cleaned == text


def test_list_items_sharing_a_template_are_kept() -> None:
    items = [
        "一要压实地方和单位疫情防控主体责任。落实员工个人防护要求，尽量减少人员聚集和集体活动。",
        "二要常态化防控与应急处置相结合。保留发热门诊和预检、分诊等制度，规范疫情应急处置流程。",
        "三要分区分级恢复生产秩序。及时取消与正常生产生活秩序不相适应的防控措施。",
        "四要推动全产业链复工复产。及时帮助解决企业用工、资金、原材料供应和重大项目开工等问题。",
        "五要推动服务业复工复产。低风险地区由经营者自主决定复工复产时间。",
    ]
    text = article("《意见》提出七个方面要求", *items)
    assert dedup.clean_text(text).cleaned == text


def test_of_two_copies_one_always_survives() -> None:
    for copies in (2, 3, 4):
        result = dedup.clean_text(article(TITLE, *([A] * copies), B))
        assert fold(result.cleaned).count(fold(A)) == 1
        assert len(result.removed) == copies - 1


def test_keep_first_keeps_the_first_copy() -> None:
    noisy = A.replace("400", "４００").replace("65", "６５")
    result = dedup.clean_text(article(TITLE, noisy, B, A), dedup.Config(keep="first"))
    assert removals(result) == {3: "exact"}
    assert result.cleaned == article(TITLE, noisy, B)


def test_fragment_goes_before_the_paragraph_that_contains_it() -> None:
    for keep in ("complete", "first"):
        result = dedup.clean_text(article(TITLE, A[:60], A, B), dedup.Config(keep=keep))  # type: ignore[arg-type]
        assert fold(A) in fold(result.cleaned), keep
        assert 1 in removals(result), keep


# Content loss: a complete paragraph removed in favour of a piece of itself.  In each
# case the piece lacks a few characters of the paragraph (its first word, or a head
# that other paragraphs happen to cover with stock phrases); the matcher tolerates up
# to ``max_gap`` uncovered characters and its priority removes the larger of two
# paragraphs that cover each other, so the complete one goes and its head is lost.

XI = (
    "习近平指出,在这场前所未有的疫情防控斗争中,城乡广大社区工作者同参与社区防控的各方面人员一道,"
    "不惧风险、团结奋战,特别是社区广大党员、干部以身作则、冲锋在前,形成了联防联控、群防群控的强大力量,"
    "充分彰显了打赢疫情防控人民战争的伟力。"
)
PATROL = (
    "有了小区党支部的引领,党员志愿者们亮身份、践初心、比作为,参与24小时小区值守、搬运救灾物资、转运病人、"
    "出入管理、体温测量、入户登记资料、隐患排查、代购生活物资、小区消杀等各项疫情防控工作,夜以继日奋战在疫情一线,"
    "成为小区疫情防控和事务管理的主力军。"
)
VOLUNTEERS = (
    "为了做好小区疫情防控工作,辖区的党员志愿者刘双陆、谢丁、黄维等人主动站出来,共同为小区的疫情防控出力。"
)
LETTER = (
    "新华社北京4月9日电 中共中央总书记、国家主席、中央军委主席习近平4月8日"
    "给武汉市东湖新城社区全体社区工作者回信,再次肯定城乡广大社区工作者在疫情防控斗争中发挥的重要作用,向他们致以诚挚的慰问。"
)
GUIDANCE = (
    "新华社北京4月9日电 日前,中央应对新冠肺炎疫情工作领导小组印发"
    "《关于在有效防控疫情的同时积极有序推进复工复产的指导意见》。"
)


def test_a_copy_missing_its_first_character_does_not_replace_the_whole() -> None:
    result = dedup.clean_text(article(TITLE, XI[1:], C, XI))
    assert fold(XI) in fold(result.cleaned)


def test_a_suffix_fragment_does_not_replace_its_source() -> None:
    result = dedup.clean_text(article(TITLE, PATROL, VOLUNTEERS[10:], VOLUNTEERS))
    assert fold(VOLUNTEERS) in fold(result.cleaned)


def test_a_piece_without_the_dateline_does_not_replace_the_whole() -> None:
    result = dedup.clean_text(article(TITLE, GUIDANCE, LETTER[11:], LETTER))
    assert fold(LETTER) in fold(result.cleaned)


APPEAL = (
    "组织需要,随时听从领导的召唤,以尽自己的微薄之力,为党为民效劳!”疫情面前,党员们纷纷主动请缨,"
    "并附上电话号码,接受工作安排。"
)


def test_a_prefix_fragment_below_a_body_paragraph_is_removed() -> None:
    text = article(TITLE, A, APPEAL[:26], APPEAL)
    result = dedup.clean_text(text)
    assert removals(result) == {2: "fragment"}
    assert result.cleaned == article(TITLE, A, APPEAL)


def test_a_prefix_fragment_right_after_the_title_is_removed() -> None:
    text = article(TITLE, APPEAL[:26], APPEAL)
    assert dedup.clean_text(text).cleaned == article(TITLE, APPEAL)


def _page(*lines: str) -> str:
    return "\r\n".join(lines) + "\r\n"


def test_a_highlight_found_word_for_word_after_an_earlier_occurrence_of_its_first_words_goes() -> None:
    # the body paragraph says 江西 just before the sentence the highlight repeats: the alignment
    # must not pair the highlight's first word with that earlier occurrence
    ind = "\u3000\u3000"
    quote = "“江西的农民对种粮充满信心，每一年种粮的农户数量都在增长，"
    quote += "粮食生产必将更加稳定，这个趋势不可阻挡。”"
    highlight = ind + "■" + quote
    body = (
        ind
        + "走访之后，记者对江西的情况有了了解。“江西的农民对种粮充满信心，每一年种粮的农户数量都在增长，"
        + "粮食生产必将更加稳定，这个趋势不可阻挡。”"
        + "省农业农村厅负责人说，今年全省计划播种粮食作物三千二百万亩。"
    )
    other = ind + "种粮大户刘建军说，今年的种子和化肥都已备足，就等天气转好下田。"
    result = dedup.clean_text(_page("江西种粮忙", "", highlight, ind, body, other))
    assert [r.kind for r in result.removed] == ["fragment"]
    assert "■" not in result.cleaned and "刘建军" in result.cleaned


def _innovation_page(deck: str) -> str:
    """A page whose body paragraph holds the sentences ``deck`` may repeat."""
    ind = "\u3000\u3000"
    body = (
        ind
        + "科技创新是发展的第一动力。去年，全市研发投入增长百分之十二，新增高新技术企业四百家。"
        + "创新型企业正在成为增长的主力，贡献了全市三成的税收。"
    )
    other = ind + "市科技局负责人表示，今年将继续加大对中小企业研发的支持力度。"
    return _page("创新驱动发展", "", ind + deck, ind, body, other)


def test_a_deck_stitched_from_two_sentences_of_one_body_paragraph_goes() -> None:
    result = dedup.clean_text(_innovation_page("科技创新是发展的第一动力。创新型企业正在成为增长的主力"))
    assert [r.paragraph for r in result.removed] == [1]
    assert "四百家" in result.cleaned and "中小企业" in result.cleaned


def test_a_deck_with_a_sentence_of_its_own_stays() -> None:
    result = dedup.clean_text(_innovation_page("科技创新是发展的第一动力。全市今年新增独角兽企业三家"))
    assert result.removed == ()
