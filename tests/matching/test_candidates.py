"""candidates: what a paragraph is compared with, from its own and from earlier documents."""

from __future__ import annotations

from compiled_parts import built
from sample_articles import A, B, C, article

from dedup.config import Config
from dedup.matching.candidates import earlier_candidates, local_candidates
from dedup.matching.features import Extractor
from dedup.matching.index import BandIndex, ShingleIndex, anchors
from dedup.matching.item import Item
from dedup.records import Document


def _items(number: int, text: str, config: Config) -> list[Item]:
    return Extractor(config)(number, Document(str(number), text)).items


class _Kept:
    """Earlier paragraphs indexed as a run's corpus indexes them."""

    def __init__(self, items: list[Item]) -> None:
        self.copies = {it.key.text: it for it in items}
        self.near: BandIndex[Item] = BandIndex()
        self.contain: ShingleIndex[Item] = ShingleIndex()
        for it in items:
            if it.bands is not None:
                self.near.add(it, it.bands)
            self.contain.add(it, anchors(it.distinct).tolist())


def test_an_exact_copy_is_the_only_candidate_except_for_a_title() -> None:
    config = Config()
    earlier = _items(0, article("标题", A, B), config)
    kept = _Kept(earlier)
    later = _items(1, article("标题", A), config)
    found = earlier_candidates(later, kept.copies, kept.near, kept.contain, config)
    assert found[1] == [earlier[1]]
    # a title is never removed for another article's: it gets the copy and more
    assert earlier[0] in found[0]


def test_candidates_come_in_corpus_order() -> None:
    config = Config()
    earlier = _items(0, article("标题", A, C, B), config)
    kept = _Kept(earlier)
    (title, spliced) = _items(1, article("标题", A + B), config)
    found = earlier_candidates([title, spliced], kept.copies, kept.near, kept.contain, config)
    assert found[1] == [earlier[1], earlier[3]]
    backwards = earlier_candidates(
        [spliced], kept.copies, kept.near, kept.contain, config, order=lambda q: -q.paragraph.index
    )
    assert backwards[1] == [earlier[3], earlier[1]]


def test_no_earlier_candidates_when_documents_are_compared_only_with_themselves() -> None:
    config = Config(scope="document")
    earlier = _items(0, article("标题", A, B), config)
    kept = _Kept(earlier)
    later = _items(1, article("标题", A), config)
    assert earlier_candidates(later, kept.copies, kept.near, kept.contain, config) == {}


def test_local_candidates_share_a_shingle() -> None:
    items = _items(0, article("标题", A, C, A), Config())
    local = local_candidates(items)
    assert [q.paragraph.index for q in local[1]] == [3]
    assert [q.paragraph.index for q in local[3]] == [1]
    assert local[2] == []


def test_a_paragraph_printed_many_times_finds_its_first_copies_and_no_more() -> None:
    from dedup.limits import MAX_LOCAL_CANDIDATES

    copies = 3 * MAX_LOCAL_CANDIDATES
    items = _items(0, article("标题", *([A] * copies), C), Config())
    local = local_candidates(items)
    first = [it.paragraph.index for it in items[1 : MAX_LOCAL_CANDIDATES + 2]]
    # every copy: at most the limit, the first copies (they share most, then document order)
    assert [q.paragraph.index for q in local[1]] == first[1:]
    assert [q.paragraph.index for q in local[copies]] == first[:-1]
    assert all(len(found) <= MAX_LOCAL_CANDIDATES for found in local.values())
    assert local[copies + 1] == []


def test_a_stock_phrase_in_very_many_paragraphs_is_not_followed() -> None:
    from dedup.limits import MAX_POSTINGS

    # the same words in every paragraph, each paragraph its own number: no two share all
    text = article("标题", *(f"第{i}条规定的事项由本单位负责办理和解释。" for i in range(MAX_POSTINGS + 10)))
    items = _items(0, text, Config())
    assert all(found == [] for found in local_candidates(items).values())


def test_shared_holders_lists_each_hash_held_by_several_arrays_with_its_holders() -> None:
    import random

    import numpy as np

    from dedup.matching.candidates import shared_holders

    rng = random.Random(15)
    for _ in range(200):
        arrays = [
            np.array(sorted(rng.sample(range(40), rng.randint(0, 12))), dtype=np.uint32)
            for _ in range(rng.randint(0, 8))
        ]
        holders: dict[int, list[int]] = {}
        for position, array in enumerate(arrays):
            for h in array.tolist():
                holders.setdefault(h, []).append(position)
        expected = [tuple(holders[h]) for h in sorted(holders) if len(holders[h]) > 1]
        assert shared_holders(arrays) == expected


def test_postings_share_what_a_joined_text_holds_the_most_shared_first() -> None:
    from dedup.matching.candidates import DocumentPostings

    items = _items(0, article("标题", A, C, B, A), Config())
    postings = DocumentPostings(items)
    every = postings.groups.__getitem__
    joined = _items(1, article("标题", A + B), Config())[1]
    found = postings.sharing(joined.distinct, every)
    assert [items[q].paragraph.index for q in found] == [1, 3, 4]
    assert [items[q].paragraph.index for q in postings.sharing(joined.distinct, every, exclude={1})] == [3, 4]


def _shared_by_definition(
    items: list[Item], distinct: list[int], members: list[list[int]], exclude: set[int]
) -> list[int]:
    """``DocumentPostings.sharing`` by its definition: postings as a dict of lists."""
    from collections import Counter

    from dedup.limits import MAX_LOCAL_CANDIDATES, MAX_POSTINGS

    first: dict[str, int] = {}
    postings: dict[int, list[int]] = {}
    for it in items:
        if it.key.text not in first:
            first[it.key.text] = len(first)
            for h in it.distinct.tolist():
                postings.setdefault(h, []).append(first[it.key.text])
    counts: Counter[int] = Counter()
    for h in distinct:
        if len(postings.get(h, ())) <= MAX_POSTINGS:
            counts.update(postings.get(h, ()))
    found: list[int] = []
    for group in sorted(counts, key=lambda g: (-counts[g], g)):
        found.extend(q for q in members[group] if q not in exclude)
        if len(found) >= MAX_LOCAL_CANDIDATES:
            break
    return sorted(found[:MAX_LOCAL_CANDIDATES])


def test_postings_share_as_their_dict_of_lists_definition() -> None:
    # many keys (past MAX_POSTINGS holding one shingle), repeated keys, few or many hashes
    import random
    from dataclasses import replace

    import numpy as np

    from dedup.matching.candidates import DocumentPostings

    template = _items(0, article("标题", A), Config())[1]
    rng = random.Random(15)
    for _ in range(300):
        universe = rng.choice((5, 40, 3000))
        arrays: dict[int, np.ndarray] = {}
        items = []
        # now and then about MAX_POSTINGS keys, nearly all holding shingle 0
        keys = rng.choice((rng.randint(1, 150), 63, 64, 65, 66))
        order = [*range(keys), *(rng.randrange(keys) for _ in range(rng.randint(0, keys)))]
        rng.shuffle(order)
        for k in order:
            if k not in arrays:
                common = {0} if rng.random() < 0.9 else set()  # (some keys hold no shingle)
                hashes = {*common, *rng.sample(range(universe), rng.randint(0, min(universe, 30)))}
                arrays[k] = np.array(sorted(hashes), dtype=np.uint32)
            items.append(replace(template, key=replace(template.key, text=str(k)), distinct=arrays[k]))
        postings = DocumentPostings(items)
        asked = sorted({0, *rng.sample(range(universe), rng.randint(0, min(universe, 60)))})
        exclude = set(rng.sample(range(len(items)), min(len(items), 3)))
        found = postings.sharing(np.array(asked, dtype=np.uint32), postings.groups.__getitem__, exclude)
        assert found == _shared_by_definition(items, asked, postings.groups, exclude)


def test_local_in_c_is_the_pure_definition() -> None:
    # random documents: repeated keys (past MAX_LOCAL_CANDIDATES copies now and then), shingles held
    # by about MAX_POSTINGS keys, keys without shingles, one key alone
    import random
    from dataclasses import replace

    import numpy as np

    from dedup.matching.candidates import DocumentPostings
    from dedup.matching.core import compiled_local

    built(compiled_local(), "compiled_local")  # the compiled path is the one compared
    template = _items(0, article("标题", A), Config())[1]
    rng = random.Random(16)
    for _ in range(400):
        universe = rng.choice((3, 20, 200, 3000))
        keys = rng.choice((1, 2, rng.randint(1, 150), 63, 64, 65, 66))
        copies = rng.choice((0, 3, keys, 70))
        order = [*range(keys), *(rng.randrange(keys) for _ in range(copies))]
        rng.shuffle(order)
        arrays: dict[int, np.ndarray] = {}
        items = []
        for k in order:
            if k not in arrays:
                common = {0, 1} if rng.random() < 0.8 else set()
                hashes = {*common, *rng.sample(range(universe), rng.randint(0, min(universe, 40)))}
                arrays[k] = np.array(sorted(hashes), dtype=np.uint32)
            items.append(replace(template, key=replace(template.key, text=str(k)), distinct=arrays[k]))
        postings = DocumentPostings(items)
        assert postings.local() == postings.pure_local()
