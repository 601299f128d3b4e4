"""``Corpus(config, order=...)``: the order of document ids an engine resolving a
part of a corpus passes in (``dedup.spark`` resolves groups of documents apart)."""

from __future__ import annotations

from sample_articles import article

from dedup.config import Config
from dedup.matching.features import Extractor
from dedup.records import Document
from dedup.run.corpus import Corpus

from .test_run import D, E

# two paragraphs of the same length: an article of both repeats two earlier articles equally
P1 = "社区是疫情防控的最前线。全国四百多万名社区工作者坚守一线，从事疫情监测和出入管理。"
P2 = "嘉鱼县全力建设蔬菜大县。该县开辟绿色通道组建专班二十四小时现场办公，负责调运保供。"


def _source_of_the_near_copy(corpus: Corpus, config: Config) -> str | None:
    extractor = Extractor(config)
    documents = [
        Document("x", article("第一篇的标题", P1, D)),
        Document("y", article("第二篇的标题", P2, E)),
        Document("z", article("第三篇的标题", P1, P2)),
    ]
    results = [corpus.clean(extractor(n, d)) for n, d in enumerate(documents)]
    copy = results[-1].near_copy_of
    return None if copy is None else copy.id


def test_of_two_equal_sources_the_first_in_input_order_is_named_by_default() -> None:
    config = Config(near_copy_threshold=0.4)
    assert _source_of_the_near_copy(Corpus(config), config) == "x"


def test_a_given_order_of_ids_decides_instead() -> None:
    config = Config(near_copy_threshold=0.4)
    order = {"y": 0, "x": 1, "z": 2}
    assert _source_of_the_near_copy(Corpus(config, order=order.__getitem__), config) == "y"
