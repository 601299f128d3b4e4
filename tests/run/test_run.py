"""run and the public API: documents in order, cross-document redundancy, the report."""

from __future__ import annotations

from sample_articles import A, B, C, article

import dedup
from dedup import Config, Document

D = (
    "在十六潭社区，一场“流动红旗”争夺赛正式拉开了帷幕。"
    "每期支部主题党日当天，开展志愿服务活动，效果最好的三个小区党支部悬挂“流动红旗”。"
)
E = "企业授信。全市17家金融机构与1182家企业和项目签订信贷意向，授信总额401.64亿元，创该县历史之最。"
SOURCE = "（来源：人民日报）"


def assert_report_is_consistent(result: dedup.Result) -> None:
    text = result.text
    previous_end = 0
    for removal in sorted(result.removed, key=lambda r: (r.start, r.end)):
        assert 0 <= removal.start < removal.end <= len(text)
        assert removal.start >= previous_end, "removed spans overlap"
        previous_end = removal.end
        assert 0 <= removal.paragraph < result.paragraphs
    for join in result.joins:
        assert 0 <= join.start <= join.end <= len(text)
        assert join.head < join.tail


def test_clean_text_of_a_clean_article_changes_nothing() -> None:
    text = article("标题", A, B)
    result = dedup.clean_text(text)
    assert result.cleaned is text or result.cleaned == text
    assert not result.changed
    assert result.removed == () and result.joins == ()
    assert result.paragraphs == 3


def test_clean_streams_results_in_input_order_with_ids() -> None:
    results = list(dedup.clean(["一。\n\n" + A, Document(id="x", text=B, path="b.txt"), C]))
    assert [r.id for r in results] == ["0", "x", "2"]
    assert results[1].path == "b.txt"
    assert results[0].path is None


def test_later_document_loses_what_an_earlier_one_has() -> None:
    first = article("第一篇", A, B)
    second = article("第二篇", C, A, D)
    r1, r2 = dedup.clean([first, second])
    assert r1.cleaned == first
    assert r2.cleaned == article("第二篇", C, D)
    (removal,) = r2.removed
    assert removal.kind == "exact"
    (match,) = removal.matches
    assert match.id == "0"
    assert first[match.start : match.end] == A


def test_scope_document_keeps_cross_document_copies() -> None:
    first = article("第一篇", A, B)
    second = article("第二篇", C, A, D)
    _, r2 = dedup.clean([first, second], Config(scope="document"))
    assert r2.cleaned == second
    _, r2 = dedup.clean([first, second + "\n" + A + "\n"], Config(scope="document"))
    assert [r.kind for r in r2.removed] == ["exact"]


def test_boilerplate_line_goes_after_its_first_occurrence() -> None:
    first = article("第一篇", A, SOURCE)
    second = article("第二篇", C, D, SOURCE)
    r1, r2 = dedup.clean([first, second])
    assert r1.cleaned == first
    assert [(r.paragraph, r.kind) for r in r2.removed] == [(3, "boilerplate")]
    assert r2.cleaned == article("第二篇", C, D)


def test_titles_are_not_removed_across_documents() -> None:
    first = article("新年贺词", A, B)
    second = article("新年贺词", C, D)
    _, r2 = dedup.clean([first, second])
    assert r2.cleaned == second


def test_syndicated_copy_is_stripped_to_its_title() -> None:
    original = article("原标题", A, B, C)
    copy = article("【转载】原标题", A, B.replace("，", ","), C)
    r1, r2 = dedup.clean([original, copy])
    assert r1.cleaned == original
    assert r2.near_copy_of is not None
    assert r2.near_copy_of.id == "0"
    assert r2.near_copy_of.action == "strip"
    assert 0.6 <= r2.near_copy_of.similarity <= 1.0
    assert r2.cleaned == "【转载】原标题\n"


def test_syndicated_copy_dropped_or_kept_by_policy() -> None:
    original = article("原标题", A, B, C)
    copy = article("【转载】原标题", A, B, C)
    _, dropped = dedup.clean([original, copy], Config(duplicate_articles="drop"))
    assert dropped.cleaned == ""
    assert dropped.near_copy_of is not None and dropped.near_copy_of.action == "drop"
    assert_report_is_consistent(dropped)
    _, kept = dedup.clean([original, copy], Config(duplicate_articles="keep"))
    assert kept.cleaned == copy
    assert kept.near_copy_of is not None and kept.near_copy_of.action == "keep"


def test_dropped_copy_reports_non_overlapping_spans() -> None:
    original = article("原标题", A, B, C)
    copy = article("【转载】原标题", A, B, C, "（上接第一版）今年该县拟建设金刚藤优势品种标准化基地。")
    _, dropped = dedup.clean([original, copy], Config(duplicate_articles="drop"))
    assert dropped.near_copy_of is not None
    assert_report_is_consistent(dropped)


def test_markers_are_removed_and_reported() -> None:
    text = article("标题", A, "（下转第二版）", "（上接第一版）" + B)
    result = dedup.clean_text(text)
    assert result.cleaned == article("标题", A, B)
    markers = [r for r in result.removed if r.kind == "marker"]
    assert [text[r.start : r.end] for r in markers] == ["（下转第二版）", "（上接第一版）"]
    assert_report_is_consistent(result)


def test_markers_stay_when_asked() -> None:
    text = article("标题", A, "（下转第二版）", "（上接第一版）" + B)
    result = dedup.clean_text(text, Config(remove_markers=False))
    assert result.cleaned == text
    assert result.removed == ()


def test_orphans_are_kept_and_flagged() -> None:
    text = article("标题", A, "，为遏制疫情扩散蔓延、保障群众生活作出了新的贡献，受到群众好评。", B)
    result = dedup.clean_text(text)
    assert result.cleaned == text
    assert [f.kind for f in result.flags] == ["orphan"]
    assert text[result.flags[0].start : result.flags[0].end].startswith("，为遏制")


def test_find_duplicates_reports_with_the_fingerprint() -> None:
    config = Config()
    report = dedup.find_duplicates([article("标题", A, A)], config)
    assert report.fingerprint == config.fingerprint()
    assert report.duplicates_found
    assert len(report.results) == 1
    assert not dedup.find_duplicates([article("标题", A)]).duplicates_found


def test_seed_report_is_consistent(seed_article: str) -> None:
    assert_report_is_consistent(dedup.clean_text(seed_article))


def test_empty_and_blank_documents() -> None:
    for text in ["", "\n\n", "  \n"]:
        result = dedup.clean_text(text)
        assert result.cleaned == text
        assert result.paragraphs == 0


# a chain of short broken lines is re-joined in one pass, not one more per pass
def test_cleaning_twice_changes_nothing_more() -> None:
    letter = (
        "新华社北京4月9日电 中共中央总书记、国家主席、中央军委主席习近平4月8日"
        "给武汉市东湖新城社区全体社区工作者回信,再次肯定城乡广大社区工作者在疫情防控斗争中发挥的重要作用。"
    )
    text = article("标题", C, "离汉离鄂通道管控措施,", "社区仍然是外防输入、", letter)
    once = dedup.clean_text(text).cleaned
    assert dedup.clean_text(once).cleaned == once


def test_a_run_puts_the_interpreter_back_as_it_was() -> None:
    import gc
    import sys

    before = gc.get_threshold(), sys.getswitchinterval()
    results = dedup.clean([article("甲", A), article("乙", A, B)])
    next(results)
    # young and full collections are rare while the run lasts
    assert gc.get_threshold()[0] >= 50_000 and gc.get_threshold()[2] >= 1000
    # the switch interval stays: the threads feeding the workers must not wait long for the interpreter
    assert sys.getswitchinterval() == before[1]
    list(results)
    assert (gc.get_threshold(), sys.getswitchinterval()) == before


def test_without_offsets_the_same_removals_name_whole_source_paragraphs() -> None:
    import json
    from pathlib import Path

    # every case as one corpus: matches within and across documents
    cases = Path(__file__).resolve().parents[2] / "fixtures" / "cases"
    documents = [
        Document(id=case.parent.name, text=case.read_bytes().decode("utf-8"))
        for case in sorted(cases.glob("*/input.txt"))
    ]
    documents += [
        Document(id=f"corpus/{n}", text=json.loads(line)["text"])
        for case in sorted(cases.glob("*/input.jsonl"))
        for n, line in enumerate(case.read_text(encoding="utf-8").splitlines())
    ]
    exact = list(dedup.clean(documents))
    cheap = list(dedup.clean(documents, offsets=False))
    found = 0
    for a, b in zip(exact, cheap, strict=True):
        assert (a.cleaned, a.joins, a.flags, a.near_copy_of) == (b.cleaned, b.joins, b.flags, b.near_copy_of)
        assert len(a.removed) == len(b.removed)
        for ra, rb in zip(a.removed, b.removed, strict=True):
            assert (ra.paragraph, ra.start, ra.end, ra.kind, ra.score) == (
                rb.paragraph,
                rb.start,
                rb.end,
                rb.kind,
                rb.score,
            )
            assert [(m.id, m.paragraph) for m in ra.matches] == [(m.id, m.paragraph) for m in rb.matches]
            for ma, mb in zip(ra.matches, rb.matches, strict=True):
                found += 1
                assert mb.start <= ma.start < ma.end <= mb.end
    assert found > 10


def test_clean_text_names_an_argument_that_is_not_text() -> None:
    import pytest

    with pytest.raises(TypeError, match=r"^clean_text\(text\) must be a str, not NoneType$"):
        dedup.clean_text(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^clean_text\(text\) must be a str, not bytes \(decode bytes first"):
        dedup.clean_text(A.encode("utf-8"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^documents\[1\] must be a Document or a str, not int$"):
        list(dedup.clean([A, 3]))  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"^documents\[0\]\.text must be a str, not NoneType$"):
        list(dedup.clean([Document("x", None)]))  # type: ignore[arg-type]


def test_lone_surrogates_are_kept_and_matched() -> None:
    text = article("\ud800" + A, B, "\ud800" + A, "\udfff" + C)
    result = dedup.clean_text(text)
    assert [r.kind for r in result.removed] == ["exact"]
    assert result.cleaned.count("\ud800" + A) == 1
    assert B in result.cleaned and "\udfff" + C in result.cleaned


def test_lone_cr_line_ends_are_lines() -> None:
    """A text whose lines end in lone CRs is read as lines and keeps its CRs."""
    text = article(A, B, A, C)
    lf = dedup.clean_text(text)
    cr = dedup.clean_text(text.replace("\n", "\r"))
    assert lf.changed
    assert cr.text == text.replace("\n", "\r")
    assert cr.cleaned == lf.cleaned.replace("\n", "\r")
    assert cr.removed == lf.removed and cr.joins == lf.joins


# A page broke a paragraph (the rest on page 8); a later article repeats a stretch
# across that break.  Neither half holds it, the joined paragraph does: the first
# pass must find it, or the second pass (which sees the joined text) would.
def test_a_later_copy_across_a_page_break_goes_on_the_first_pass() -> None:
    head = (
        "历史上每当一两年丰收之后，往往脑袋发热，就放松农业，接着就是粮食紧张，"
        "这个历史教训是深刻的。他指出，我国粮食生产连年丰"
    )
    tail = "收，国家粮食储备已超过历史最高水平，这是国民经济持续快速健康发展的重要保证。"
    first = article("粮食工作会议在京召开", C, head, "（下转第8版）", "（上接第1版）" + tail, A)
    stretch = head[head.index("往往") :] + tail
    second = article("会议强调保护农民利益", B, stretch, "记者还了解到，会议部署了秋粮收购工作。")
    once = list(dedup.clean([Document("a", first), Document("b", second)]))
    assert head + tail in once[0].cleaned
    gone = [r for r in once[1].removed if r.kind == "fragment"]
    assert len(gone) == 1 and second[gone[0].start : gone[0].end].startswith("往往")
    match = gone[0].matches[0]
    assert (match.id, first[match.start : match.start + 6]) == ("a", "往往脑袋发热")
    assert first[match.end - 4 : match.end] == "重要保证"
    again = list(dedup.clean([Document("a", once[0].cleaned), Document("b", once[1].cleaned)]))
    assert [r.cleaned for r in again] == [r.cleaned for r in once]


def test_a_second_pass_over_a_cleaned_corpus_changes_nothing() -> None:
    import json
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "fixtures" / "review" / "dev_sample.jsonl"
    rows = [json.loads(line) for line in sample.read_text(encoding="utf-8").splitlines()]
    once = [r.cleaned for r in dedup.clean([Document(row["id"], row["text"]) for row in rows])]
    assert once != [row["text"] for row in rows]
    again = dedup.clean([Document(row["id"], text) for row, text in zip(rows, once, strict=True)])
    assert [r.cleaned for r in again] == once
