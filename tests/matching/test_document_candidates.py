"""One compiled call per document (``index.document_candidates``, ``index.index_document``)
answers and indexes exactly as the definition, a paragraph at a time
(``candidates.pure_earlier_candidates``, ``BandIndex.add``, ``ShingleIndex.add``).

The corpus order of a kept paragraph is (document, paragraph index), not the order it was
indexed in: a document's joined paragraphs are indexed after its kept ones and stand where
their first piece stands (the same place), so the compiled call sorts by that order and,
for paragraphs in the same place, keeps the order they were found in."""

from __future__ import annotations

import pickle
import random

import numpy as np
from compiled_parts import built
from corpora import fixture_documents, generated_corpus

from dedup.config import Config, compiled_extension
from dedup.limits import ANCHOR_EVERY, MAX_CANDIDATES, MAX_POSTINGS
from dedup.matching.candidates import earlier_candidates, pure_earlier_candidates
from dedup.matching.core import compiled_postings
from dedup.matching.index import (
    BandIndex,
    ShingleIndex,
    anchor_list,
    document_candidates,
    index_document,
    paired,
)
from dedup.matching.item import Item
from dedup.records import Key, Paragraph, Shingles
from dedup.run.corpus import Corpus
from dedup.run.parallel import extract_all


def _built() -> None:
    """The one-call path is built wherever the tables are (else the test is skipped)."""
    built(compiled_extension("dedup.matching.compiled_earlier"), "compiled_earlier")
    assert compiled_postings() is not None


def _item(doc: int, index: int, distinct: list[int], bands: list[int] | None, title: bool = False) -> Item:
    values = np.array(sorted(set(distinct)), dtype=np.uint32)
    key = Key(f"k{doc}.{index}.{random.random()}", "", 0)
    shingled = Shingles(values, np.zeros((len(values), 2), dtype=np.int32), len(values), values)
    paragraph = Paragraph(doc, index, 0, 1, 0, 1, "body")
    keys = None if bands is None else np.array(bands, dtype=np.uint64)
    return Item(str(doc), paragraph, key, shingled, values, 0, is_title=title, bands=keys)


def _random_item(rng: random.Random, doc: int, index: int) -> Item:
    # few anchors (multiples of ANCHOR_EVERY) and band keys, so that lists share refs, rank
    # them with ties at the cut, and some pass MAX_POSTINGS
    anchors = [ANCHOR_EVERY * rng.randrange(40) for _ in range(rng.choice((0, 1, 3, 8, 20)))]
    others = [ANCHOR_EVERY * rng.randrange(10**6) + 1 for _ in range(rng.randrange(5))]
    bands = None if rng.random() < 0.3 else [rng.randrange(60) * 2**40 for _ in range(rng.choice((1, 4)))]
    return _item(doc, index, anchors + others, bands, title=rng.random() < 0.1)


def test_a_document_at_once_answers_as_a_paragraph_at_a_time_on_random_corpora() -> None:
    _built()
    for seed in range(12):
        rng = random.Random(seed)
        near, contain = paired()
        exact: dict[str, Item] = {}
        # indexed out of corpus order, some in the same place (a joined paragraph and its piece)
        kept = [_random_item(rng, rng.randrange(30), rng.randrange(6)) for _ in range(400)]
        for it in kept:
            exact.setdefault(it.key.text, it)
        index_document(near, contain, kept, [it.bands for it in kept], [rng.random() < 0.9 for _ in kept])
        asked = [_random_item(rng, 99, i) for i in range(60)]
        for it in asked[::7]:  # copies of kept keys: a title's gets more than the copy
            it.key = kept[rng.randrange(len(kept))].key
        batched = document_candidates(asked, exact, near, contain, MAX_CANDIDATES)
        assert batched is not None
        assert batched == pure_earlier_candidates(asked, exact, near, contain)
        assert earlier_candidates(asked, exact, near, contain, Config()) == batched


def test_a_tie_at_the_cut_is_broken_as_the_query_breaks_it() -> None:
    # 40 paragraphs in two groups, each sharing its own anchors with the paragraph asked:
    # which 16 of the equally shared make the cut depends on the order the query visits
    # its anchors (Python's set), then in corpus order
    _built()
    for first, second in [(4, 8), (8, 4), (4 * 977, 4 * 13), (4 * 13, 4 * 977)]:
        near, contain = paired()
        kept = [_item(d, 0, [first if d % 2 else second], None) for d in range(40)]
        index_document(near, contain, kept, [None] * len(kept), [True] * len(kept))
        asked = [_item(50, 0, [first, second], None)]
        batched = document_candidates(asked, {}, near, contain, MAX_CANDIDATES)
        assert batched == pure_earlier_candidates(asked, {}, near, contain)
        assert batched is not None and len(batched[0]) == MAX_CANDIDATES


def test_paragraphs_in_the_same_place_keep_the_order_they_were_found_in() -> None:
    _built()
    near, contain = paired()
    # indexed: a later document's paragraph, then a piece and the paragraph joined from it
    # (the same place), found by a band and by anchors
    later, piece, joined = _item(2, 0, [4], [7]), _item(1, 3, [], [7]), _item(1, 3, [4, 8], None)
    index_document(
        near, contain, [later, piece, joined], [later.bands, piece.bands, None], [True, False, True]
    )
    asked = [_item(5, 0, [4, 8], [7])]
    expected = {0: [piece, joined, later]}
    assert pure_earlier_candidates(asked, {}, near, contain) == expected
    assert document_candidates(asked, {}, near, contain, MAX_CANDIDATES) == expected


def test_indexing_a_document_at_once_fills_the_indexes_as_one_at_a_time() -> None:
    rng = random.Random(5)
    items = [_random_item(rng, d, 0) for d in range(300)]
    flags = [rng.random() < 0.8 for _ in items]
    near, contain = paired()
    held = index_document(near, contain, items, [it.bands for it in items], flags)
    one_near: BandIndex[Item] = BandIndex()
    one_contain: ShingleIndex[Item] = ShingleIndex()
    for it, anchored in zip(items, flags, strict=True):
        if it.bands is not None:
            one_near.add(it, it.bands)
        if anchored:
            one_contain.add(it, anchor_list(it.distinct))
    assert held == sum(len(anchor_list(it.distinct)) for it in items)
    assert list(near.entries()) == list(one_near.entries())
    assert dict(contain.entries()) == dict(one_contain.entries())
    assert max(len(refs) for _, refs in contain.entries()) <= MAX_POSTINGS + 1


def test_a_corpus_run_gets_from_one_call_what_each_paragraph_would_get() -> None:
    # the real thing: documents resolved in order, joined paragraphs indexed after kept ones
    _built()
    config = Config()
    documents = [*fixture_documents(), *generated_corpus(60)]
    with Corpus(config, offsets=False) as corpus:
        for extracted in extract_all(iter(documents), config, 1):
            items = extracted.items
            batched = document_candidates(items, corpus.exact, corpus.near, corpus.contain, MAX_CANDIDATES)
            assert batched is not None
            assert batched == pure_earlier_candidates(items, corpus.exact, corpus.near, corpus.contain)
            corpus.clean(extracted)


def test_arrays_read_through_buffers_answer_as_arrays_read_in_place() -> None:
    # arrays whose dtype object is not numpy's own (unpickled), signed or strided band keys:
    # read through the buffer protocol, with the same values
    core = built(compiled_extension("dedup.matching.compiled_earlier"), "compiled_earlier")
    assert core.reads_arrays_in_place()  # numpy's array head as the module expects it
    rng = random.Random(8)
    near, contain = paired()
    kept = [_random_item(rng, d, 0) for d in range(200)]
    index_document(near, contain, kept, [it.bands for it in kept], [True] * len(kept))
    asked = [_random_item(rng, 300, i) for i in range(40)]
    expected = pure_earlier_candidates(asked, {}, near, contain)
    for it in asked:
        it.distinct = pickle.loads(pickle.dumps(it.distinct))
        if it.bands is not None:
            it.bands = (
                np.repeat(it.bands.view(np.int64), 2)[::2] if len(it.bands) % 2 else it.bands.view(np.int64)
            )
    assert document_candidates(asked, {}, near, contain, MAX_CANDIDATES) == expected
