"""features: one document alone -> paragraphs and their items, complete when made."""

from __future__ import annotations

from dataclasses import fields

from sample_articles import A, B, article

from dedup.config import Config
from dedup.matching.features import Extracted, Extractor
from dedup.matching.item import Item
from dedup.records import Document, Shingles


def test_items_are_complete_when_made() -> None:
    extracted = Extractor(Config())(3, Document("d", article("标题", A, B, A)))
    assert extracted.index == 3
    assert [p.doc for p in extracted.paragraphs] == [3, 3, 3, 3]
    title, a, _, again = extracted.items
    assert title.is_title and title.in_title_zone and not a.is_title
    # long enough to sign: signature and band keys are there from the start
    assert a.signature is not None and a.bands is not None
    assert title.signature is None and title.bands is None
    # the paragraphs of the document sharing a shingle, found during extraction
    assert 3 in extracted.local[1] and 1 in extracted.local[3]
    assert again.shingles is a.shingles  # one key, shingled once


def test_nothing_is_signed_when_documents_are_compared_only_with_themselves() -> None:
    extracted = Extractor(Config(scope="document"))(0, Document("d", article("标题", A, B)))
    assert all(it.signature is None and it.bands is None for it in extracted.items)


def test_known_shingles_are_taken_as_they_are() -> None:
    config = Config()
    document = Document("d", article("标题", A, B))
    plain = Extractor(config)(0, document)
    known = {plain.items[1].key.text: plain.items[1].shingles}
    asked: list[str] = []

    def lookup(key: str) -> Shingles | None:
        asked.append(key)
        return known.get(key)

    fed = Extractor(config, lookup)(0, document)
    assert asked == [it.key.text for it in plain.items]
    assert fed.items[1].shingles is plain.items[1].shingles
    assert fed.items[2].shingles is not plain.items[2].shingles  # computed: not known
    for mine, theirs in zip(fed.items, plain.items, strict=True):
        assert mine.shingles.hashes.tolist() == theirs.shingles.hashes.tolist()
        assert (mine.bands is None) == (theirs.bands is None)
        if mine.bands is not None and theirs.bands is not None:
            assert mine.bands.tolist() == theirs.bands.tolist()
    assert fed.local == plain.local


def test_recent_forgets_its_oldest_entries_beyond_its_size_and_pickles() -> None:
    import pickle

    from dedup.matching.recent import Recent

    recent: Recent[int, str] = Recent(3)
    for number in range(10):
        recent.remember(number, str(number))
    assert list(recent.items()) == [(7, "7"), (8, "8"), (9, "9")]
    again = pickle.loads(pickle.dumps(recent))
    again.remember(10, "10")
    assert list(again) == [8, 9, 10] and again.size == 3


def _facts(extracted: Extracted) -> tuple[object, ...]:
    """Everything extraction says about a document, arrays as lists."""
    items = [
        (
            {f.name: getattr(it, f.name) for f in fields(Item) if f.name not in _ARRAYS},
            [None if a is None else a.tolist() for a in (it.shingles.hashes, it.shingles.spans, it.distinct)],
            [None if a is None else a.tolist() for a in (it.signature, it.bands)],
        )
        for it in extracted.items
    ]
    return (extracted.index, extracted.layout, extracted.paragraphs, items, extracted.local)


_ARRAYS = {"shingles", "distinct", "signature", "bands", "table"}


def test_many_documents_at_once_are_extracted_as_one_at_a_time(case_texts: list[str]) -> None:
    numbered = [(number, Document(str(number), text)) for number, text in enumerate(case_texts * 2)]
    assert len(numbered) > 60
    alone = [_facts(Extractor(Config())(number, document)) for number, document in numbered]
    together = Extractor(Config())
    assert [_facts(e) for e in together.many(numbered[:30]) + together.many(numbered[30:])] == alone
