"""The giant component and the rounds that replace it: `python bench/giant.py [big|wild|dev] [LIMIT]`.

1. Which keys make the one giant connected component of "shares a key" (exact keys, band keys,
   anchors; with hub keys capped).
2. The rounds of ``spark.earlier.fixed_point`` (each document resolved against the indexed
   paragraphs it reaches): how many, how many documents each resolves, the largest reached set;
   and that the results equal the local engine's, document by document.
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

from dedup.config import Config
from dedup.files.report import result_to_json
from dedup.matching.features import Extractor
from dedup.matching.index import anchors
from dedup.records import Document
from dedup.run.corpus import Corpus
from dedup.spark.components import union_find
from dedup.spark.earlier import Reach, fixed_point, indexed, offers_of
from dedup.spark.keys import exact_key

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
SOURCES = {
    "big": SHARED / "big" / "input.jsonl.gz",
    "wild": SHARED / "wild" / "pages.jsonl.gz",
    "dev": SHARED / "public" / "input.jsonl",
}


def read(name: str, limit: int) -> list[Document]:
    source = SOURCES[name]
    opener = gzip.open if source.suffix == ".gz" else open
    out: list[Document] = []
    with opener(source, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number >= limit:
                break
            row = json.loads(line)
            out.append(Document(str(row.get("id", number)), row["text"]))
    return out


def largest(pairs_by_kind: dict[str, list[tuple[int, int]]], kinds: tuple[str, ...], n: int) -> int:
    labels = union_find([p for k in kinds for p in pairs_by_kind[k]])
    return max(Counter(labels.get(d, d) for d in range(n)).values())


def component_sources(extracted: list, n: int) -> None:
    holders: dict[tuple[str, int], list[int]] = {}
    for ex in extracted:
        keys: set[tuple[str, int]] = set()
        for it in ex.items:
            keys.add(("exact", exact_key(it.key.text)))
            if it.bands is not None:
                keys.update(("band", int(b)) for b in it.bands.tolist())
            keys.update(("anchor", int(a)) for a in anchors(it.distinct).tolist())
        for key in keys:
            holders.setdefault(key, []).append(ex.index)
    for cap in (None, 64, 16, 4):
        pairs: dict[str, list[tuple[int, int]]] = {"exact": [], "band": [], "anchor": []}
        for (kind, _), docs in holders.items():
            if len(docs) > 1 and (cap is None or len(docs) <= cap):
                pairs[kind].extend((d, docs[0]) for d in docs[1:])
        sizes = {
            "+".join(kinds): largest(pairs, kinds, n)
            for kinds in (("exact",), ("band",), ("anchor",), ("exact", "band"), ("exact", "band", "anchor"))
        }
        print(f"  keys held by <= {cap or 'any'} docs: largest component {sizes}", flush=True)


def main() -> int:
    name = sys.argv[1] if len(sys.argv) > 1 else "big"
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    config = Config()
    documents = read(name, limit)
    extractor = Extractor(config)
    extracted = [extractor(n, d) for n, d in enumerate(documents)]
    print(f"{name}: {len(documents)} documents", flush=True)
    if "--components" in sys.argv:
        component_sources(extracted, len(documents))
    order: dict[str, int] = {}
    for n, d in enumerate(documents):
        order.setdefault(d.id, n)
    started = time.perf_counter()
    with Corpus(config, order=lambda i: order.get(i, 0)) as corpus:
        local = [result_to_json(corpus.clean(extractor(n, d))) for n, d in enumerate(documents)]
    print(f"  local engine, in order: {time.perf_counter() - started:.1f} s", flush=True)
    fresh = [extractor(n, d) for n, d in enumerate(documents)]
    started = time.perf_counter()
    resolutions, counts = fixed_point(fresh, config, order)
    spent = time.perf_counter() - started
    rounds = [result_to_json(r.result) for r in resolutions]
    same = sum(a == b for a, b in zip(local, rounds, strict=True))
    again = Extractor(config)
    final = Reach(indexed([offers_of(x, r, config, again) for x, r in zip(fresh, resolutions, strict=True)]))
    sizes = sorted(len(final.reached(ex)) for ex in fresh)
    print(f"  rounds: {len(counts)}, documents resolved per round {counts}, {spent:.1f} s in all")
    print(f"  reached items per document: median {sizes[len(sizes) // 2]}, max {sizes[-1]}")
    print(f"  identical results: {same} of {len(local)}")
    return 0 if same == len(local) else 1


if __name__ == "__main__":
    sys.exit(main())
