"""The Arrow UDFs of resolution in rounds (``spark.rounds``): extraction, and a round's resolutions by part.

A document's part (``rounds.placed``: a run of the corpus order) says where its
features live for the whole run: they are extracted once, partitioned by part and
cached, never shuffled again.  Each round, a part is given (``groupBy("part").cogroup``)
its features, a row for each of its documents to resolve (the references of the
indexed offers it reaches, and what it was last resolved with) and one row for
each offer any of them reaches, however many of them reach it: an item travels
once per part, not once per document, and is unpickled once per part.  A part's
documents are resolved in corpus order, each seeing what the earlier ones offer now
(``earlier.refreshed``).
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from dedup.config import Config
from dedup.matching.features import Extracted, Extractor
from dedup.matching.index import anchors
from dedup.matching.item import Item
from dedup.records import Document
from dedup.run.document import clean_document
from dedup.spark.earlier import (
    JOINED,
    Offer,
    Redone,
    Slot,
    candidate_refs,
    candidates_against,
    first_offers,
    mark,
    offers_of,
    refreshed,
    seqs,
)
from dedup.spark.keys import ANCHOR_TAG, check_key, exact_key, likeness, lookup_keys

if TYPE_CHECKING:
    import pyarrow as pa

#: a paragraph a document offers the indexes (``earlier.Offer``): ``seq`` orders a
#: document's offers (kept paragraphs by index, then joined ones after ``JOINED``),
#: ``ident`` tells offers apart across rounds (``earlier.mark``); ``anchors`` is empty
#: when not ``anchored`` (and for a paragraph too short for anchors); ``item`` is the
#: pickled paragraph of a joined one, null for a kept paragraph (as extracted, in the
#: run's table of items: ``ITEM_DDL``); ``first`` is the first position of the document's id
OFFER_DDL = (
    "pos long, seq int, ident string, keytext string, xkey long, xcheck long, bands array<long>, "
    "anchors array<long>, anchored boolean, item binary, first long"
)
#: a paragraph as extracted, pickled: the item of a kept paragraph's offer, whatever the round
ITEM_DDL = "e long, s int, item binary"
#: a paragraph's keys as its candidate lookup reads them (``rounds.needed_keys``): its exact
#: key and check (``keys.check_key``), whether it is a title, its band keys and anchors
PARAGRAPH_DDL = "xkey long, xcheck long, title boolean, keys array<long>"
#: what extraction gives: the features, the round-0 offers (every paragraph kept), the
#: items of its paragraphs, the distinct keys of a document, its paragraphs' keys and its
#: likeness (``keys.likeness``)
DOCUMENT_DDL = (
    f"pos long, first long, features binary, offers array<struct<{OFFER_DDL}>>, "
    f"items array<struct<{ITEM_DDL}>>, keys array<long>, paragraphs array<struct<{PARAGRAPH_DDL}>>, "
    "likeness long"
)
#: what a document reached, by identity (seq numbers change when a document's offers do)
REACH_DDL = "array<struct<e:long, ident:string>>"
#: the rows a part is given besides its features: a document to resolve (pos set: the
#: references of what it reaches, its candidates and offers' identities as last
#: resolved, what it reaches now), or an offer reached (e set)
WORK_DDL = (
    f"part long, pos long, refs array<struct<e:long, s:int>>, given binary, idents array<string>, "
    f"reach {REACH_DDL}, e long, s int, item binary, anchored boolean, first long"
)


def resolved_ddl(result_ddl: str) -> str:
    """The rows of a round's resolutions: a document's new offers (null when not
    resolved again), candidates, offers' identities, reached set, result, and
    whether its offers changed."""
    return (
        f"pos long, offers array<struct<{OFFER_DDL}>>, given binary, idents array<string>, "
        f"reach {REACH_DDL}, result struct<{result_ddl}>, changed boolean"
    )


def _lean(it: Item) -> Item:
    """The item as shipped: without its signature, comparison table and the anchor list its
    candidate lookup remembered (``Item.anchor_points`` computes it again where it is needed)."""
    return replace(it, signature=None, table=None, anchors=None)


def offer_rows(position: int, first: int, offers: Sequence[Offer]) -> list[dict[str, Any]]:
    """A document's offers as rows of ``OFFER_DDL``."""
    rows: list[dict[str, Any]] = []
    for seq, offer in zip(seqs(offers), offers, strict=True):
        it = offer.item
        bands = [] if it.bands is None else it.bands.astype(np.uint64).view(np.int64).tolist()
        tagged = (anchors(it.distinct).astype(np.uint64) | ANCHOR_TAG).view(np.int64).tolist()
        rows.append(
            {
                "pos": position,
                "seq": seq,
                "ident": mark(offer),
                "keytext": it.key.text,
                "xkey": exact_key(it.key.text),
                "xcheck": check_key(it.key.text),
                "bands": bands,
                "anchors": sorted(set(tagged)) if offer.anchored else [],
                "anchored": offer.anchored,
                # a kept paragraph's item never changes: it travels from the table of items
                "item": pickle.dumps(_lean(it), protocol=5) if seq >= JOINED else None,
                "first": first,
            }
        )
    return rows


def features_of(config: Config, text_col: str, schema: Any) -> Any:
    """The Arrow UDF of extraction: (pos, id, path, first, text) -> ``DOCUMENT_DDL`` rows."""

    def extract(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa
        from pyspark.sql.pandas.types import to_arrow_schema

        arrow = to_arrow_schema(schema)
        extractor = Extractor(config)
        for batch in batches:
            out: list[dict[str, Any]] = []
            for row in batch.to_pylist():
                pos, first = row["pos"], row["first"]
                got = extractor(pos, Document(row["id"], row[text_col] or "", row["path"]))
                lean = replace(got, items=[replace(it, signature=None) for it in got.items])
                # each paragraph's keys once: the document's distinct keys are made of them
                looked = [lookup_keys(it) for it in got.items]
                paragraphs = [
                    {
                        "xkey": exact_key(it.key.text),
                        "xcheck": check_key(it.key.text),
                        "title": it.is_title,
                        "keys": keys.tolist(),
                    }
                    for it, keys in zip(got.items, looked, strict=True)
                ]
                out.append(
                    {
                        "pos": pos,
                        "first": first,
                        "features": pickle.dumps(lean, protocol=5),
                        "offers": offer_rows(pos, first, first_offers(got)),
                        "items": [
                            {"e": pos, "s": it.paragraph.index, "item": pickle.dumps(_lean(it), protocol=5)}
                            for it in got.items
                        ],
                        "keys": np.unique(np.concatenate([[p["xkey"]] for p in paragraphs] + looked)).tolist()
                        if paragraphs
                        else [],
                        "paragraphs": paragraphs,
                        "likeness": likeness(got),
                    }
                )
            yield pa.RecordBatch.from_pylist(out, schema=arrow)

    return extract


def resolver_of(config: Config, schema: Any) -> Any:
    """The Arrow UDF of a round (``cogroup(...).applyInArrow``): a part's features
    (part, pos, first, features) and work (``WORK_DDL``) -> rows of
    ``resolved_ddl``.  The part's documents are resolved in corpus order, each
    against what it reaches as ``earlier.refreshed`` by the documents before it in
    the part that this call resolved anew (Gauss–Seidel within a part); the
    ``reach`` of a row is what it was resolved against.  A document whose
    candidates (``candidate_refs``) are the ones it was last resolved with is not
    resolved again (``clean_document`` would be given the same): its offers and
    result are null."""

    def resolve(features: pa.Table, work: pa.Table) -> pa.Table:
        import pyarrow as pa
        import pyarrow.compute as pc
        from pyspark.sql.pandas.types import to_arrow_schema

        docs = work.filter(pc.is_valid(work["pos"]))
        reached = _reached(work.filter(pc.is_valid(work["e"])))
        todo = features.filter(pc.is_in(features["pos"], value_set=docs["pos"])).sort_by("pos")
        rows = {r["pos"]: r for r in docs.select(["pos", "refs", "given", "idents"]).to_pylist()}
        if not extractors:
            extractors.append(Extractor(config))
        listed = todo.to_pylist()
        firsts = {doc["pos"]: doc["first"] for doc in listed}
        redone = Redone()
        extractor = extractors[0]
        out = [_resolved(config, extractor, doc, rows[doc["pos"]], reached, redone, firsts) for doc in listed]
        return pa.Table.from_pylist(out, schema=to_arrow_schema(schema))

    extractors: list[Extractor] = []
    return resolve


def _reached(items: pa.Table) -> dict[Slot, tuple[Offer, int]]:
    """The offers reached in a part, by reference (e, s), with their document's first position."""
    return {
        (r["e"], r["s"]): (Offer(pickle.loads(r["item"]), bool(r["anchored"])), r["first"])
        for r in items.select(["e", "s", "item", "anchored", "first"]).to_pylist()
    }


def _resolved(
    config: Config,
    extractor: Extractor,
    doc: dict[str, Any],
    row: dict[str, Any],
    reached: dict[Slot, tuple[Offer, int]],
    redone: Redone,
    firsts: dict[int, int],
) -> dict[str, Any]:
    """One document's row of ``resolved_ddl``; a document whose offers changed joins
    ``redone`` (``firsts``: the first position of the id of each of the part's documents)."""
    from dedup.spark.resolve import result_row

    pos = doc["pos"]
    extracted: Extracted = pickle.loads(doc["features"])
    refs = sorted((r["e"], r["s"]) for r in row["refs"] or ())
    earlier = refreshed(extracted, [(ref, reached[ref][0]) for ref in refs], redone)
    first = {extracted.document.id: doc["first"]}
    for ref, offer in earlier:
        first.setdefault(offer.item.doc_id, reached[ref][1] if ref in reached else firsts[ref[0]])
    used = [offer for _, offer in earlier]
    reach = sorted(({"e": ref[0], "ident": mark(offer)} for ref, offer in earlier), key=_by_ident) or None
    external = candidates_against(extracted, used, config)
    given = json.dumps(candidate_refs(external), separators=(",", ":")).encode()
    if given == row["given"]:
        same = {"offers": None, "idents": row["idents"], "result": None, "changed": False}
        return {"pos": pos, "given": given, "reach": reach, **same}
    got = clean_document(extracted, external, config, partial(_place, first))
    offers = offers_of(extracted, got, config, extractor)
    idents = [mark(o) for o in offers]
    if idents != row["idents"]:
        redone.add(pos, offers)
    return {
        "pos": pos,
        "offers": offer_rows(pos, doc["first"], offers),
        "given": given,
        "idents": idents,
        "reach": reach,
        "result": result_row(pos, got.result),
        "changed": idents != row["idents"],
    }


def _by_ident(found: dict[str, Any]) -> tuple[int, str]:
    return found["e"], found["ident"]


def _place(first: dict[str, int], doc_id: str) -> int:
    return first.get(doc_id, 0)
