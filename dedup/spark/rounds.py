"""Cross-article resolution in rounds: every document its own task, no giant group.

Real corpora form one giant connected component of "shares a key" (stock
phrases' anchors, boilerplate lines, chains of near copies), so resolving a
component in one task (``spark.components``) leaves one core doing all the work.
But a document needs far less than its component: only the *indexed* paragraphs
of earlier documents under its own keys (``spark.earlier``).  If those were
known, every document could be resolved alone.  They depend on the earlier
documents' decisions, so they are found by rounds (a Jacobi iteration across
parts, Gauss-Seidel within one):

* round 0 guesses that every paragraph is kept and none joined;
* each round, in Spark SQL: the indexed paragraphs under the current guess (the
  first, in indexing order, of each key text among what each document offers:
  ``run.corpus.offered``, its kept and its joined paragraphs); their keys
  (exact, band, and for anchors the first ``POSTING_CUT`` holders, found with a
  salted two-step top-N so that a stock phrase does not land in one task); the
  indexed earlier paragraphs each document reaches under the keys its lookups
  read (``needed_keys``), as references (after a round in which few documents
  changed their offers, only for the documents under a key of an offer that
  moved: ``touched``); then, in an Arrow UDF per part (``spark.parts``: a run of
  the corpus order, ``placed``; its cached features cogrouped with its work,
  each reached item once a part), every document whose reached set changed
  since the last round is resolved, in corpus order, against those paragraphs
  as refreshed by what the part's earlier documents offer now
  (``earlier.refreshed``), unless its candidates are the ones it was last
  resolved with; it offers anew;
* it stops when no document's offers change.

A round is six Spark actions, seven when it computes only the touched documents'
reached sets: the indexed offers (checkpointed: the next round compares them),
the documents to resolve (checkpointed), their resolutions (checkpointed), one
aggregate of the counts, and the new state and offers (the resolved documents'
rows replaced through a broadcast anti-join).

Why the result is the local engine's (Gauss-Seidel changes only how fast: a
document's stored reached set is what it was resolved against, and when no
document of its part changed its offers the refreshed set is the reached set
itself): a document's resolution depends on its
own features and on the indexed paragraphs it reaches, nothing else (the id
order is passed in).  At the stop every document was resolved against the
paragraphs indexed under the final offers, and those offers are what the
resolutions give: a fixed point.  The system is triangular (a document reaches
earlier documents only), so it has one fixed point: by induction over corpus
order, the first document reaches nothing and offers what the local engine's
does; if every document before *d* agrees, the same paragraphs are indexed before *d*,
*d* reaches the same ones and is resolved as the local engine resolves it.  And
the rounds always reach it: after round *k* every document whose chain of
earlier dependencies is shorter than *k* is final (on the dev set, the wild
month and the big set two or three rounds suffice).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, cast

from dedup.config import Config
from dedup.spark.checkpoint import checkpointed, on_disk
from dedup.spark.earlier import POSTING_CUT
from dedup.spark.parts import DOCUMENT_DDL, REACH_DDL, features_of, resolved_ddl, resolver_of

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

LOG = logging.getLogger(__name__)

#: salts of the anchor top-N: a stock phrase's holders are cut in this many tasks first
SALTS = 16
#: rounds before giving up (never reached: the dependency chains are short)
MAX_ROUNDS = 200
#: documents of a part at most (more parts than this many documents a part): what a
#: part's resolution holds at once is its documents' features and the offers they reach
PART_DOCUMENTS = 1000
#: documents of a cached Spark partition at most (more partitions than the cores on a large
#: corpus): 200,000 documents in 8 partitions made blocks of about 550 MB of features, and
#: reading one back overflowed a 4 GB driver heap in local mode (java.lang.OutOfMemoryError)
PARTITION_DOCUMENTS = 5000
#: a set of positions up to this size is broadcast to the joins that read it
BROADCAST_POSITIONS = 2_000_000
#: rows of an extraction batch (Spark's Arrow batch size while extracting)
EXTRACTION_BATCH = 500
ARROW_BATCH = "spark.sql.execution.arrow.maxRecordsPerBatch"
#: past this share of the documents changing their offers in a round, the next round
#: computes every document's reached set; below it, only the ``touched`` documents'
FULL_REACH_SHARE = 0.05


def indexed_offers(offers: DataFrame) -> DataFrame:
    """(pos, seq, ident, xkey, bands, anchors) of the offers (``OFFER_DDL``) the local
    engine indexes: the first of each key text in indexing order."""
    from pyspark.sql import functions as F

    first = offers.groupBy("keytext").agg(F.min(F.struct("pos", "seq")).alias("f"))
    indexed = offers.join(first.select("f.pos", "f.seq"), ["pos", "seq"])
    return indexed.select("pos", "seq", "ident", "xkey", "bands", "anchors")


def indexed_keys(indexed: DataFrame) -> DataFrame:
    """(key, pos, seq, ident) of the ``indexed_offers``: the exact key, every band key,
    and each anchor's first ``POSTING_CUT`` holders."""
    from pyspark.sql import functions as F

    exact = indexed.select(F.col("xkey").alias("key"), "pos", "seq", "ident")
    bands = indexed.select(F.explode("bands").alias("key"), "pos", "seq", "ident")
    held = indexed.select(F.explode("anchors").alias("key"), "pos", "seq", "ident")
    return exact.unionByName(bands).unionByName(first_holders(held, POSTING_CUT))


def touched(queries: DataFrame, indexed: DataFrame, before: DataFrame, count: int) -> DataFrame:
    """(pos) of the documents whose reached sets may differ between two rounds' indexed
    offers (``before``, ``indexed``): those querying a key of an offer that entered or
    left the index, or changed identity.  Under any other key the indexed rows are the
    same: an exact or band key's rows are the indexed offers holding it, an anchor's are
    the first of them, and neither set can change unless one of its offers does."""
    from pyspark.sql import functions as F

    same = ["pos", "seq", "ident"]
    moved = indexed.join(before.select(*same), same, "left_anti").unionByName(
        before.join(indexed.select(*same), same, "left_anti")
    )
    keys = moved.select(F.explode(F.concat(F.array("xkey"), "bands", "anchors")).alias("key")).distinct()
    return checkpointed(queries.join(_small(keys, count), "key").select("pos").distinct())


def needed_keys(paragraphs: DataFrame, offers: DataFrame) -> DataFrame:
    """(pos, key): the keys under which a document's candidate lookup can take an
    indexed paragraph, from its paragraphs (pos, ``PARAGRAPH_DDL``) and the offers.
    A paragraph with an exact copy offered by an earlier document is given that copy
    alone (``earlier_candidates``; not a title), and the indexed paragraph of its key
    text is that copy or an earlier one: its exact key is all it needs.  Any other
    paragraph needs its band keys and anchors too.  Leaving out only keys no lookup
    reads changes no candidate, and most paragraphs of a scraped corpus are copies:
    most of what a document reached came through the anchors and bands of its copied
    paragraphs.  Key texts are matched by their exact key and check (``keys.check_key``)."""
    from pyspark.sql import functions as F

    firsts = offers.groupBy("xkey", "xcheck").agg(F.min("pos").alias("twin"))
    found = paragraphs.join(firsts, ["xkey", "xcheck"], "left")
    alone = ~F.col("title") & F.coalesce(F.col("twin") < F.col("pos"), F.lit(False))
    keys = F.when(alone, F.array("xkey")).otherwise(F.concat(F.array("xkey"), "keys"))
    return found.select("pos", F.explode(keys).alias("key"))


def first_holders(held: DataFrame, n: int, salts: int = SALTS) -> DataFrame:
    """(key, pos, seq, …): the first ``n`` rows of each key by (pos, seq), in two
    steps: the first ``n`` of each (key, salt), then of each key among those, so
    a key held by millions is cut by ``salts`` tasks, not one."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    salted = held.withColumn("salt", F.pmod(F.xxhash64("pos", "seq"), F.lit(salts)))
    by_salt = Window.partitionBy("key", "salt").orderBy("pos", "seq")
    by_key = Window.partitionBy("key").orderBy("pos", "seq")
    cut = salted.withColumn("r", F.row_number().over(by_salt)).where(F.col("r") <= n)
    cut = cut.drop("r", "salt").withColumn("r", F.row_number().over(by_key)).where(F.col("r") <= n)
    return cut.drop("r")


def resolve_in_rounds(
    documents: DataFrame,
    text_col: str,
    config: Config,
    result_ddl: str,
    partitions: int,
    part_documents: int = PART_DOCUMENTS,
    partition_documents: int = PARTITION_DOCUMENTS,
    full_reach_share: float = FULL_REACH_SHARE,
) -> tuple[DataFrame, list[int]]:
    """(pos, result) for every document of ``documents`` (pos, id, path, first,
    ``text_col``: ``first`` is the first position of the document's id), and how
    many documents each round resolved.

    At least ``partitions`` Spark partitions hold the parts (more on a large corpus:
    ``partition_documents`` documents each at most); there are at least as many
    parts, and more on a large corpus: ``part_documents`` documents a part at
    most, so what one resolution holds stays bounded."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StructType

    features, queries, paragraphs, items, offers, state, part, count = _prepared(
        documents, text_col, config, partitions, part_documents, partition_documents
    )
    # the last round's indexed offers, and how many documents changed their offers in it
    before: DataFrame | None = None
    changes = count
    ddl = cast(StructType, StructType.fromDDL(resolved_ddl(result_ddl)))
    resolve = resolver_of(config, ddl)
    # each round's fresh results, numbered: a document's result is its last round's
    pieces: list[DataFrame] = []
    counts: list[int] = []
    try:
        for round_ in range(MAX_ROUNDS):
            started = time.perf_counter()
            indexed = checkpointed(indexed_offers(offers))
            if before is None or changes > count * full_reach_share:
                sets = _reached_sets(needed_keys(paragraphs, offers), indexed)
                docs = _todo(state, sets, part, everyone=round_ == 0)
            else:
                # few offers changed: only the documents under their keys can reach anew
                near = _small(touched(queries, indexed, before, count), count)
                sets = _reached_sets(needed_keys(paragraphs.join(near, "pos"), offers), indexed)
                docs = _todo(state.join(near, "pos"), sets, part, everyone=False)
            before = indexed
            t1 = time.perf_counter()
            work = docs.unionByName(_wanted(docs, offers, items), allowMissingColumns=True)
            resolved = features.groupBy("part").cogroup(work.groupBy("part")).applyInArrow(resolve, ddl)
            resolved = checkpointed(resolved)
            t2 = time.perf_counter()
            todo, done, changed = resolved.agg(
                F.count("*"), F.count("result"), F.sum(F.col("changed").cast("long"))
            ).first() or (0, 0, 0)
            changes = changed or 0
            counts.append(done)
            state = _replaced(state, resolved.select("pos", "reach", "given", "idents"), todo)
            t3 = time.perf_counter()
            fresh = resolved.where(F.col("result").isNotNull())
            offered = fresh.select(F.explode("offers").alias("o")).select("o.*")
            offers = _replaced(offers, offered, done, fresh)
            LOG.debug(
                "round %d: reach %.1f s, resolution %.1f s, state %.1f s, offers %.1f s",
                round_,
                t1 - started,
                t2 - t1,
                t3 - t2,
                time.perf_counter() - t3,
            )
            pieces.append(fresh.select("pos", F.lit(round_).alias("round"), "result"))
            LOG.info(
                "round %d: %d documents to resolve, %d resolved anew, %d changed their offers (%.1f s)",
                round_,
                todo,
                done,
                changes,
                time.perf_counter() - started,
            )
            if not changes:
                break
    finally:
        for cached in (features, queries, paragraphs, items):
            cached.unpersist()
    return _last_results(pieces), counts


def _last_results(pieces: list[DataFrame]) -> DataFrame:
    """(pos, result): each document's result from the last round that resolved it, by one
    union and one aggregate at the end (rather than an anti-join per round on a lazy union
    of the rounds' results)."""
    from functools import reduce

    from pyspark.sql import functions as F

    every = reduce(lambda a, b: a.unionByName(b), pieces)
    return every.groupBy("pos").agg(F.max_by("result", "round").alias("result"))


def _prepared(
    documents: DataFrame,
    text_col: str,
    config: Config,
    partitions: int,
    part_documents: int,
    partition_documents: int,
) -> tuple[DataFrame, DataFrame, DataFrame, DataFrame, DataFrame, DataFrame, DataFrame, int]:
    """Each document extracted once: its features (part, pos, first, features), keys
    (pos, key), paragraphs' keys (pos, ``PARAGRAPH_DDL``) and items (``ITEM_DDL``),
    cached where the rounds read them; round 0's offers (``OFFER_DDL``) and state
    (pos, reach, given, idents); the documents' parts (pos, part); and how many
    documents there are."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StructType

    schema = cast(StructType, StructType.fromDDL(DOCUMENT_DDL))
    extracted = documents.select("pos", "id", "path", "first", text_col)
    session = documents.sparkSession
    batch = session.conf.get(ARROW_BATCH, "10000")
    # an extraction batch is held as Python objects (features, offers, items): 10,000 rows
    # (Spark's default) grew a worker to 3-4 GB on the 200,000-article expansion
    session.conf.set(ARROW_BATCH, str(EXTRACTION_BATCH))
    try:
        extracted = checkpointed(extracted.mapInArrow(features_of(config, text_col, schema), schema))
        count = extracted.count()
    finally:
        session.conf.set(ARROW_BATCH, batch or "10000")
    parts = max(partitions, -(-count // part_documents))
    partitions = max(partitions, -(-count // partition_documents))
    part = placed(extracted, parts, count)
    # partitioned by part once and cached (a checkpoint would forget the partitioning):
    # every round's cogroup reads the features where they are, and the reach join the keys
    features = extracted.join(_small(part, count), "pos").select("part", "pos", "first", "features")
    features = features.repartition(partitions, "part").sortWithinPartitions("part").persist(on_disk())
    # (new column ids: state, queries and features all come from extracted)
    queries = extracted.select(F.col("pos").alias("pos"), F.explode("keys").alias("key"))
    # sorted too: every round's reach join reads them in key order without sorting them again
    queries = queries.repartition(partitions, "key").sortWithinPartitions("key").persist(on_disk())
    # materialized now: a cache not yet filled does not tell the planner its partitioning
    features.count()
    queries.count()
    paragraphs = extracted.select("pos", F.explode("paragraphs").alias("p")).select("pos", "p.*")
    paragraphs = paragraphs.repartition(partitions, "xkey", "xcheck").persist(on_disk())
    paragraphs.count()
    # the pickled paragraphs (most of the bytes) are kept once, not in each round's offers
    items = extracted.select(F.explode("items").alias("i")).select("i.*")
    items = items.repartition(partitions, "e", "s").sortWithinPartitions("e", "s").persist(on_disk())
    items.count()
    offers = checkpointed(extracted.select(F.explode("offers").alias("o")).select("o.*"))
    state = extracted.select(
        "pos",
        F.lit(None).cast(REACH_DDL).alias("reach"),
        F.lit(None).cast("binary").alias("given"),
        F.transform("offers", lambda o: o["ident"]).alias("idents"),
    )
    state = checkpointed(state)
    return features, queries, paragraphs, items, offers, state, _small(part, count), count


def placed(extracted: DataFrame, parts: int, count: int) -> DataFrame:
    """(pos, part) of every document (``extracted``: pos, likeness), checkpointed:
    the corpus cut into ``parts`` runs of consecutive documents (``count`` of them in
    all), in corpus order but with alike documents (of one ``keys.likeness``: near
    copies mostly share it) moved up behind the first of them.

    A part resolves its documents in corpus order, each seeing what the part's earlier
    documents offer now (Gauss-Seidel: ``earlier.refreshed``), so a chain of decisions
    inside a run settles in one round, where a chain across parts takes a round a
    link (a Spark round costs seconds however few documents it resolves).  Runs keep
    together the chains a corpus in crawl order makes (a story and its reprints, one
    after the other), and moving alike documents up keeps an article's near copies,
    wherever they are, with it.  Measured on the 30,000-article expansion (the first
    3,000 big-set articles, then nine edited copies of each: the copies of an article
    are 3,000 documents apart): alike documents hashed to parts, 19-20 rounds; runs of
    the corpus order, 19 rounds, the last twelve a chain of copies across parts; both, 11.
    Where a document is resolved never changes its result, only the work."""
    from pyspark.sql import functions as F

    alike = extracted.select("pos", F.coalesce("likeness", "pos").alias("likeness"))
    leads = alike.groupBy("likeness").agg(F.min("pos").alias("lead"))
    size = max(1, -(-count // parts))
    ranks = ranked(alike.join(leads, "likeness"), "lead", "pos")
    return checkpointed(ranks.select("pos", F.floor(F.col("rank") / size).alias("part")))


def ranked(table: DataFrame, *order: str) -> DataFrame:
    """(pos, rank): each row of ``table`` with its rank (0, 1, ...) in the ``order``
    (default: by pos; it must tell rows apart), without moving every row to one task:
    sorted by a range shuffle and numbered by ``monotonically_increasing_id`` (the
    sorted partition's index in its upper 31 bits, the row's in the lower 33), then
    shifted by the sizes of the partitions before."""
    from pyspark.sql import functions as F

    by = list(order or ("pos",))
    ordered = table.select("pos", *[c for c in by if c != "pos"]).orderBy(*by)
    ordered = checkpointed(ordered.withColumn("id", F.monotonically_increasing_id()))
    sizes = ordered.groupBy(F.shiftright("id", 33).alias("slice")).count().collect()
    start, offsets = 0, []
    for row in sorted(sizes):
        offsets += [F.lit(row["slice"]), F.lit(start)]
        start += row["count"]
    offset = F.create_map(*offsets)[F.shiftright("id", 33)] if offsets else F.lit(0)
    return ordered.select("pos", (offset + F.col("id").bitwiseAND(F.lit((1 << 33) - 1))).alias("rank"))


def _small(table: DataFrame, count: int) -> DataFrame:
    """``table`` (at most a row for each of the corpus's ``count`` documents, or a few
    keys of each of a few of them) broadcast to the joins that read it, unless the
    corpus is large."""
    from pyspark.sql import functions as F

    return F.broadcast(table) if count <= BROADCAST_POSITIONS else table


def _replaced(table: DataFrame, rows: DataFrame, count: int, by: DataFrame | None = None) -> DataFrame:
    """``table`` with the documents of ``by`` (default: of ``rows``; ``count`` of
    them) replaced by ``rows``, checkpointed."""
    positions = _small((rows if by is None else by).select("pos"), count)
    out = table.join(positions, "pos", "left_anti").unionByName(rows)
    return checkpointed(out)


def _reached_sets(queries: DataFrame, indexed: DataFrame) -> DataFrame:
    """(pos, reach, refs): the indexed offers of earlier documents under a key of
    document pos, by identity (``reach``, sorted: seq numbers change when a
    document's offers do) and by reference (``refs``: (e, s)); no row when none."""
    from pyspark.sql import functions as F

    q, i = queries.alias("q"), indexed_keys(indexed).alias("i")
    reach = q.join(i, "key").where(F.col("i.pos") < F.col("q.pos"))
    found = F.struct(F.col("i.pos").alias("e"), F.col("i.seq").alias("s"), F.col("i.ident").alias("ident"))
    sets = reach.groupBy(F.col("q.pos").alias("pos")).agg(F.collect_set(found).alias("found"))
    return sets.select(
        "pos",
        F.array_sort(
            F.transform("found", lambda r: F.struct(r["e"].alias("e"), r["ident"].alias("ident")))
        ).alias("reach"),
        F.transform("found", lambda r: F.struct(r["e"].alias("e"), r["s"].alias("s"))).alias("refs"),
    )


def _todo(state: DataFrame, sets: DataFrame, part: DataFrame, everyone: bool) -> DataFrame:
    """The documents to resolve (all of them, or those whose reached set changed),
    as work rows (``parts.WORK_DDL``) in their parts (``part``: pos, part), checkpointed."""
    from pyspark.sql import functions as F

    now = state.join(sets.withColumnRenamed("reach", "now"), "pos", "left")
    if not everyone:
        now = now.where(~F.col("now").eqNullSafe(F.col("reach")))
    docs = now.join(part, "pos").select("part", "pos", "refs", "given", "idents", F.col("now").alias("reach"))
    return checkpointed(docs)


def _wanted(docs: DataFrame, offers: DataFrame, items: DataFrame) -> DataFrame:
    """The work rows of the offers each part's documents reach: one per (part, offer),
    with its item: a joined paragraph's from its offer, a kept one's from ``items``."""
    from pyspark.sql import functions as F

    refs = docs.select("part", F.explode("refs").alias("r")).select("part", "r.e", "r.s").distinct()
    reached = offers.select(
        F.col("pos").alias("e"),
        F.col("seq").alias("s"),
        F.col("item").alias("joined"),
        "anchored",
        "first",
    )
    found = refs.join(reached, ["e", "s"]).join(items, ["e", "s"], "left")
    return found.select("part", "e", "s", F.coalesce("joined", "item").alias("item"), "anchored", "first")
