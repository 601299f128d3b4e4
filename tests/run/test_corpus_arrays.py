"""Corpus: the paragraphs a worker sends are views into their chunk's flat arrays.  Those a corpus
keeps keep their views while their chunk's kept paragraphs use at least half of those arrays, and
get arrays of their own otherwise (one kept paragraph would hold a whole chunk's arrays)."""

from __future__ import annotations

import pickle

from sample_articles import A, B, C, article

from dedup.config import Config
from dedup.matching.features import Extracted, Extractor
from dedup.matching.item import Item
from dedup.records import Document
from dedup.run import parallel
from dedup.run.corpus import Corpus


class _Worker:
    """A worker's side (its extractor and the keys it sent) and the resolving process's side of it."""

    def __init__(self, config: Config) -> None:
        self.extractor = Extractor(config)
        self.sent = parallel.Sent(parallel.CACHED_KEYS)
        self.received = parallel.Received(parallel.CACHED_KEYS)

    def chunk(self, start: int, documents: list[Document]) -> list[Extracted]:
        chunk = list(enumerate(documents, start))
        packed = pickle.loads(pickle.dumps(parallel.pack(self.extractor.many(chunk), self.sent)))
        return parallel.unpack(packed, chunk, self.received)


def _kept(corpus: Corpus, extracted: list[Extracted]) -> list[Item]:
    """The paragraphs of ``extracted`` the corpus kept (not those its joins made of them)."""
    sent = {id(it) for e in extracted for it in e.items}
    return [it for it in corpus.exact.values() if id(it) in sent]


def _views(it: Item) -> bool:
    return it.shingles.hashes.base is not None and it.distinct.base is not None


def test_a_chunk_mostly_kept_keeps_its_views_and_one_mostly_removed_gets_arrays_of_its_own(
    case_texts: list[str],
) -> None:
    config = Config()
    first, second = _Worker(config), _Worker(config)
    originals = [Document(f"a{n}", text) for n, text in enumerate(case_texts[:6])]
    # the same articles from another worker (their keys new to it: in its chunk's arrays, but
    # kept already), and one new article
    copies = [Document(f"b{n}", text) for n, text in enumerate(case_texts[:6])]
    new = Document("new", article("一篇新的文章", A, B))
    later = Document("later", article("又一篇文章", C))
    with Corpus(config, offsets=False) as corpus:
        chunks = [
            first.chunk(0, originals),
            second.chunk(len(originals), [*copies, new]),
            first.chunk(len(originals) + len(copies) + 1, [later]),
        ]
        for chunk in chunks:
            for extracted in chunk:
                corpus.clean(extracted)
        kept_first, kept_second = _kept(corpus, chunks[0]), _kept(corpus, chunks[1])
        assert kept_first and all(map(_views, kept_first))
        assert {it.doc_id for it in kept_second} == {"new"}
        assert not any(map(_views, kept_second))
