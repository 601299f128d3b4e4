"""Resolution in rounds: each document against the indexed earlier paragraphs it
reaches, repeated to the fixed point, gives the local engine's results.  The
pure-Python twin (``earlier.fixed_point``) runs without Spark."""

from __future__ import annotations

import random
from typing import Any

import pytest

import dedup
from dedup.config import Config
from dedup.files.jsonl import json_bytes
from dedup.files.report import result_to_json
from dedup.limits import MAX_POSTINGS
from dedup.matching.features import Extractor
from dedup.records import Document
from dedup.spark import clean_dataframe
from dedup.spark.earlier import (
    POSTING_CUT,
    Reach,
    Redone,
    first_offers,
    fixed_point,
    indexed,
    refreshed,
)

from .corpus import dev_like, fixture_texts


def _rounds(
    articles: list[tuple[str, str]], config: Config, parts: list[int] | None = None
) -> tuple[list[Any], list[int]]:
    extractor = Extractor(config)
    extracted = [extractor(n, Document(i, t)) for n, (i, t) in enumerate(articles)]
    order: dict[str, int] = {}
    for n, (i, _) in enumerate(articles):
        order.setdefault(i, n)
    resolutions, counts = fixed_point(extracted, config, order, parts=parts)
    return [result_to_json(r.result) for r in resolutions], counts


def _local(articles: list[tuple[str, str]], config: Config) -> list[Any]:
    return [result_to_json(r) for r in dedup.clean([Document(i, t) for i, t in articles], config)]


@pytest.mark.parametrize("seed", [12, 3, 5])
def test_rounds_in_python_give_the_local_engines_results(seed: int) -> None:
    articles = dev_like(60, seed=seed)
    got, counts = _rounds(articles, Config())
    assert got == _local(articles, Config())
    assert counts[0] == len(articles) and len(counts) >= 2  # some decision needed a second round


@pytest.mark.parametrize("seed", [12, 3])
def test_resolving_a_part_in_corpus_order_takes_fewer_resolutions_and_gives_the_same_results(
    seed: int,
) -> None:
    # Gauss-Seidel within a part: whatever the parts (all in one, none shared, at random),
    # the fixed point is the local engine's; a part's later documents see what its earlier
    # ones offer now, so one part needs fewer resolutions than parts of one document each
    articles = dev_like(60, seed=seed)
    local = _local(articles, Config())
    alone, jacobi = _rounds(articles, Config())
    together, one_part = _rounds(articles, Config(), parts=[0] * len(articles))
    mixed, _ = _rounds(articles, Config(), parts=[random.Random(seed + n).randrange(4) for n in range(60)])
    assert alone == together == mixed == local
    assert sum(one_part) < sum(jacobi) and len(one_part) <= len(jacobi)


def test_a_part_sees_what_its_earlier_documents_no_longer_offer_and_what_that_unshadows() -> None:
    extractor = Extractor(Config())
    a, b, k = "子丑寅卯辰巳午未申酉。" * 2, "天地玄黄宇宙洪荒日月。" * 2, "甲乙丙丁戊己庚辛壬癸。" * 3
    docs = [extractor(n, Document(str(n), t)) for n, t in enumerate([f"{a}\n{k}", f"{b}\n{k}", k])]
    offers = [first_offers(d) for d in docs]
    reach = Reach(indexed(offers))
    found = [(s, reach.index[s]) for s in reach.reached(docs[2])]
    # document 2's paragraph is a copy of document 0's: that copy alone (1's is not indexed)
    assert [s for s, _ in found] == [(0, 1)] and refreshed(docs[2], found, Redone()) == found
    # document 0 no longer offers it: gone from what 2 reaches
    redone = Redone()
    redone.add(0, offers[0][:1])
    assert refreshed(docs[2], found, redone) == []
    # and document 1, changed too, still does: its copy is the first now, and 2 reaches it
    redone.add(1, offers[1][1:])
    assert [s for s, _ in refreshed(docs[2], found, redone)] == [(1, 1)]


def test_every_fixture_in_rounds_and_with_drop() -> None:
    articles = fixture_texts()
    assert _rounds(articles, Config())[0] == _local(articles, Config())
    config = Config(duplicate_articles="drop", keep="first")
    articles = dev_like(30, seed=5)
    assert _rounds(articles, config)[0] == _local(articles, config)


def test_a_removed_first_copy_is_not_indexed_and_a_later_kept_one_is() -> None:
    extractor = Extractor(Config())
    texts = ["甲乙丙丁戊己庚辛壬癸。" * 3, "甲乙丙丁戊己庚辛壬癸。" * 3]
    docs = [extractor(n, Document(str(n), t)) for n, t in enumerate(texts)]
    key = docs[0].items[0].key.text
    offers = [first_offers(d) for d in docs]
    assert [s for s, o in indexed(offers).items() if o.item.key.text == key] == [(0, 0)]
    offers[0] = offers[0][1:]
    assert [s for s, o in indexed(offers).items() if o.item.key.text == key] == [(1, 0)]


def test_an_anchor_reaches_only_its_first_holders() -> None:
    # more documents share one sentence than an anchor posting list holds
    extractor = Extractor(Config())
    shared = "全国人民代表大会常务委员会今天在北京召开会议审议多项法律草案。"
    docs = [
        extractor(n, Document(str(n), f"第{n}号文件的开头不同。{shared}")) for n in range(POSTING_CUT + 5)
    ]
    reach = Reach(indexed([first_offers(d) for d in docs]))
    assert POSTING_CUT == MAX_POSTINGS + 1
    assert all(len(held) <= POSTING_CUT for held in reach.anchors.values())
    last = reach.reached(docs[-1])
    assert last and all(slot[0] < docs[-1].index for slot in last)


@pytest.mark.spark
def test_spark_rounds_and_groups_give_the_local_engines_results(spark: Any) -> None:
    articles = dev_like(50, seed=3)
    rows = [(n, i, t) for n, (i, t) in enumerate(articles)]
    frame = spark.createDataFrame(rows, "n long, id string, text string")
    local = [json_bytes(r).decode() for r in _local(articles, Config())]
    for resolution in ("rounds", "groups"):
        cleaned = clean_dataframe(frame, order_col="n", resolution=resolution, partitions=3)
        assert [r[0] for r in cleaned.orderBy("dedup.pos").select("dedup.report").collect()] == local


@pytest.mark.spark
def test_the_salted_cut_keeps_the_first_holders_of_each_key(spark: Any) -> None:
    from dedup.spark.rounds import first_holders

    rows = [(k, pos, para) for k in range(3) for pos in range(200 if k == 0 else 5) for para in (1, 0)]
    held = spark.createDataFrame(rows, "key long, pos long, seq int")
    got = sorted(tuple(r) for r in first_holders(held, 65, salts=7).collect())
    want = sorted(r for k in range(3) for r in sorted(x for x in rows if x[0] == k)[:65])
    assert got == want


@pytest.mark.spark
@pytest.mark.parametrize("full_reach_share", [0.0, 1.0])
def test_spark_rounds_resolve_as_many_documents_each_round_as_the_python_twin(
    spark: Any, full_reach_share: float
) -> None:
    # the cached partitions (seven documents each at most: six, not the three asked for)
    # change where the work is done, not what is resolved, and neither do the reached sets
    # computed for every document each round (share 0) or, after round 0, only for the
    # documents an offer that moved touched (share 1): the same counts and results as
    # earlier.fixed_point given the same parts (two documents a part at most, 20 parts)
    from dedup.spark import rounds
    from dedup.spark.keys import likeness
    from dedup.spark.resolve import RESULT_DDL

    articles = dev_like(40, seed=5)
    first: dict[str, int] = {}
    for n, (i, _) in enumerate(articles):
        first.setdefault(i, n)
    rows = [(n, i, None, first[i], t) for n, (i, t) in enumerate(articles)]
    documents = spark.createDataFrame(rows, "pos long, id string, path string, first long, text string")
    results, counts = rounds.resolve_in_rounds(
        documents,
        "text",
        Config(),
        RESULT_DDL,
        3,
        part_documents=2,
        partition_documents=7,
        full_reach_share=full_reach_share,
    )
    got = [r[0] for r in results.orderBy("pos").select("result.report").collect()]
    assert got == [json_bytes(r).decode() for r in _local(articles, Config())]
    extractor = Extractor(Config())
    alike = [(n, likeness(extractor(n, Document(i, t)))) for n, (i, t) in enumerate(articles)]
    placed = rounds.placed(spark.createDataFrame(alike, "pos long, likeness long"), 20, len(articles))
    parts = dict(tuple(r) for r in placed.collect())
    assert sorted(parts.values()) == [n // 2 for n in range(40)]
    assert counts == _rounds(articles, Config(), parts=[parts[n] for n in range(len(articles))])[1]


def test_near_copies_are_alike_and_strangers_are_not() -> None:
    from dedup.spark.keys import likeness

    extractor = Extractor(Config())
    articles = dev_like(12, seed=7)
    text = max((t for _, t in articles), key=len)
    paragraphs = text.split("\n")
    edited = "\n".join([*paragraphs[:-1], paragraphs[-1] + "记者补充了一句话。"])
    got = [likeness(extractor(n, Document(str(n), t))) for n, t in enumerate([text, edited])]
    assert got[0] is not None and got[0] == got[1]
    others = {likeness(extractor(n, Document(i, t))) for n, (i, t) in enumerate(articles) if t != text}
    assert got[0] not in others
    assert likeness(extractor(0, Document("empty", ""))) is None


@pytest.mark.spark
def test_parts_are_runs_of_the_corpus_order_with_alike_documents_moved_up(spark: Any) -> None:
    from dedup.spark.rounds import placed, ranked

    # sparse positions (as monotonically_increasing_id gives them), spread over five partitions
    positions = [n * 7 + (n % 3) * (1 << 33) for n in range(23)]
    frame = spark.createDataFrame([(p,) for p in positions], "pos long").repartition(5)
    ranks = {r["pos"]: r["rank"] for r in ranked(frame).collect()}
    assert [ranks[p] for p in sorted(positions)] == list(range(23))
    # documents 0-11 strangers (no likeness, or one each), 12-14 alike with document 2
    rows = [(n, None if n % 2 else 100 + n) for n in range(12)] + [(n, 102) for n in range(12, 15)]
    parts = {
        r["pos"]: r["part"]
        for r in placed(spark.createDataFrame(rows, "pos long, likeness long"), 3, 15).collect()
    }
    order = [0, 1, 2, 12, 13, 14, 3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert [parts[p] for p in order] == [n // 5 for n in range(15)]


@pytest.mark.spark
def test_a_paragraph_with_an_earlier_exact_copy_needs_only_its_exact_key(spark: Any) -> None:
    from dedup.spark.rounds import needed_keys

    # paragraphs (pos, xkey, xcheck, title, keys): key text 1 is offered by document 0 first
    paragraphs = spark.createDataFrame(
        [
            (0, 1, 10, False, [100, 101]),  # the first copy: nothing earlier
            (2, 1, 10, False, [100, 101]),  # a later copy: its exact key alone
            (3, 1, 10, True, [100, 101]),  # a title is never given a copy alone
            (4, 1, 99, False, [102]),  # the same exact key, another check: not a copy
            (5, 7, 70, False, [103]),  # its key text offered by no earlier document
        ],
        "pos long, xkey long, xcheck long, title boolean, keys array<long>",
    )
    offers = spark.createDataFrame(
        [(0, 1, 10), (2, 1, 10), (3, 1, 10), (4, 1, 99), (5, 7, 70), (6, 7, 70)],
        "pos long, xkey long, xcheck long",
    )
    got = sorted(tuple(r) for r in needed_keys(paragraphs, offers).collect())
    assert got == [
        (0, 1), (0, 100), (0, 101), (2, 1), (3, 1), (3, 100), (3, 101), (4, 1), (4, 102), (5, 7), (5, 103)
    ]  # fmt: skip
