"""Would resolving documents ahead of their turn pay? The share of documents whose candidates do
not change while the ``k`` documents before them are still unresolved.

Resolution is sequential: each document is resolved against what the documents before it keep. A
process resolving document ``d`` while ``d - k .. d - 1`` are resolved elsewhere sees the corpus as
it stood before them; ``clean_document`` depends on its arguments alone, so where ``d``'s
candidates from earlier documents come out the same, the early result is the true one
(docs/speed.md, "The next step"). This replays a run in corpus order and, for each document,
compares its candidates as they stood ``k`` documents earlier with its true ones.

    python bench/speculation.py CACHE [--low] [--limit 5000] [--lags 1,2,8,32,128]

CACHE: the documents extracted and pickled as ``bench/resolution.py`` makes them (made here if
missing, from the same source).
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

from resolution import cached_corpus_parser, ensure_cache

from dedup.config import Config
from dedup.matching.candidates import earlier_candidates
from dedup.matching.features import Extracted
from dedup.run.corpus import Corpus

#: a candidate as the same paragraph in any process: its document, its index, its key
Ref = tuple[str, int, str]


def candidate_refs(corpus: Corpus, extracted: Extracted) -> dict[int, list[Ref]]:
    """A document's candidates from earlier documents, as the corpus stands now."""
    items = extracted.items
    copies, bands, anchored, _ = corpus._lookups(items)
    found = earlier_candidates(items, copies, bands, anchored, corpus.config)
    return {i: [(q.doc_id, q.paragraph.index, q.key.text) for q in qs] for i, qs in found.items()}


def unchanged_share(cache: Path, lag: int) -> tuple[int, int]:
    """(documents whose candidates ``lag`` documents early are their true ones, documents compared)."""
    documents: list[Extracted] = pickle.loads(cache.read_bytes())  # (resolution mutates items)
    early: dict[int, dict[int, list[Ref]]] = {}
    same = compared = 0
    with Corpus(Config(), offsets=False) as corpus:
        for position, extracted in enumerate(documents):
            if position in early:
                compared += 1
                same += candidate_refs(corpus, extracted) == early.pop(position)
            corpus.clean(extracted)
            # what the document ``lag`` places on would be resolved against now
            ahead = position + lag + 1
            if ahead < len(documents):
                early[ahead] = candidate_refs(corpus, documents[ahead])
    return same, compared


def main() -> int:
    parser = cached_corpus_parser(__doc__.splitlines()[0])
    parser.add_argument("--lags", default="1,2,8,32,128")
    args = parser.parse_args()
    ensure_cache(args)
    for lag in (int(k) for k in args.lags.split(",")):
        same, compared = unchanged_share(args.cache, lag)
        share = same / compared
        print(f"{lag:4d} in flight: {same:,} of {compared:,} documents' candidates unchanged ({share:.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
