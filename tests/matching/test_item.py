"""item: a paragraph's coverage by others' shingles, one at a time or several in one call."""

from __future__ import annotations

import pickle
import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from compiled_parts import built

from dedup.config import Config
from dedup.matching.core import compiled_core
from dedup.matching.features import Extractor
from dedup.matching.index import anchors
from dedup.matching.item import Item, PureOverlap, compiled_verify
from dedup.matching.shingle import char_table, covered_bits, distinct, jaccard, shingle_arrays
from dedup.records import Document, Key, Paragraph, Shingles

ALPHABET = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你说年"


def _item(rng: random.Random, pool: list[int]) -> Item:
    words = [
        "".join(rng.choice(ALPHABET) for _ in range(rng.choice((1, 2, 3))))
        for _ in range(rng.choice((1, 4, 40)))
    ]
    hashes, spans = shingle_arrays(words, 3)
    hashes = np.array(
        [rng.choice(pool) if rng.random() < 0.5 else h for h in hashes.tolist()], dtype=np.uint32
    )
    shingled = Shingles(hashes, spans, len(words), distinct(hashes))
    text = "".join(words)
    paragraph = Paragraph(0, 0, len(text), len(text), 0, len(text), "body")
    return Item("d", paragraph, Key(text, text, 0), shingled, shingled.distinct, 0)


def test_covered_by_each_is_covered_by_of_each() -> None:
    rng = random.Random(4)
    pool = [rng.getrandbits(32) for _ in range(30)]
    items = [_item(rng, pool) for _ in range(40)]
    core = compiled_core()
    for p in items:
        founds = [q.distinct for q in items]
        expected = [covered_bits(char_table(p.shingles), found.tolist()) for found in founds]
        assert p.covered_by_each(founds) == expected
        assert [p.covered_by(found) for found in founds] == expected
        if core is not None:
            sh = p.shingles
            assert core.covered_masks(sh.hashes, sh.spans, founds, p.size) == expected


def test_anchor_points_are_the_anchors_of_distinct() -> None:
    """Remembered on the item (the candidate lookup, then the corpus index, ask for them): the
    same values as ``index.anchors``, the definition, asked once or twice."""
    rng = random.Random(5)
    pool = [rng.getrandbits(32) for _ in range(30)]
    for it in (_item(rng, pool) for _ in range(40)):
        expected = anchors(it.distinct).tolist()
        assert it.anchors is None
        assert it.anchor_points() == expected
        assert it.anchors == expected
        assert it.anchor_points() == expected


def _shared_by_sets(p: Item, q: Item) -> int:
    return len(set(p.distinct.tolist()) & set(q.distinct.tolist()))


def test_pure_overlap_is_the_shared_count_and_the_coverage_of_each() -> None:
    """``PureOverlap``, the definition of the compiled one: the shingles shared (as
    ``shingle.jaccard`` counts them), ``covered_by`` each, and each ``covered_by`` the paragraph."""
    rng = random.Random(6)
    pool = [rng.getrandbits(32) for _ in range(30)]
    items = [_item(rng, pool) for _ in range(40)]
    for it in items[::3]:
        it.doc_id = "e"
    for p in items:
        overlap = PureOverlap(p)
        counts = overlap.shared(items)
        assert counts == [_shared_by_sets(p, q) for q in items]
        for q, n in zip(items, counts, strict=True):
            assert n / (len(p.distinct) + len(q.distinct) - n) == jaccard(p.distinct, q.distinct)
        assert overlap.masks(items) == [p.covered_by(q.distinct) for q in items]
        assert [overlap.back(q) for q in items] == [q.covered_by(p.distinct) for q in items]
        # the sift: those sharing any, of p's own document only those the check lets count
        kept, shared = overlap.sharing(items, p.doc_id, _even)
        expected = [
            (q, n) for q, n in zip(items, counts, strict=True) if n and (q.doc_id != p.doc_id or _even(q))
        ]
        assert list(zip(kept, shared, strict=True)) == expected
    assert any(q.doc_id == items[0].doc_id for q in items) and any(q.doc_id != items[0].doc_id for q in items)
    assert PureOverlap(items[0]).shared([]) == PureOverlap(items[0]).masks([]) == []
    assert PureOverlap(items[0]).sharing([], "d", _even) == ([], [])


def _even(q: Item) -> bool:
    """A stand-in for ``roles.may_be_copy_of``: whether a paragraph of the same document counts."""
    return len(q.key.text) % 2 == 0


def _fixture_items() -> list[Item]:
    """The paragraphs of every fixture case's input (and the seed article), extracted."""
    root = Path(__file__).resolve().parents[2] / "fixtures"
    extract = Extractor(Config())
    found: list[Item] = []
    for number, path in enumerate([*sorted(root.glob("*/*/input.txt")), root / "seed" / "article.txt"]):
        found += extract(number, Document(str(number), path.read_text(encoding="utf-8"))).items
    return found


@pytest.mark.parametrize("source", ["random", "fixtures"])
def test_compiled_overlap_is_the_pure_one(source: str) -> None:
    make = built(compiled_verify(), "compiled_verify").Overlap
    rng = random.Random(7)
    pool = [rng.getrandbits(32) for _ in range(30)]
    items = [_item(rng, pool) for _ in range(60)] if source == "random" else _fixture_items()
    for it in items[::4]:
        it.doc_id = "other"
    for p in items:
        sh = p.shingles
        compiled, pure = make(p.distinct, sh.hashes, sh.spans, p.size), PureOverlap(p)
        # asked in both orders: the lookup table is built when first needed
        assert compiled.shared(items) == pure.shared(items)
        assert [compiled.back(q) for q in items] == [pure.back(q) for q in items]
        assert compiled.masks(items) == pure.masks(items)
        assert compiled.shared(items) == pure.shared(items)
        compiled_kept, compiled_counts = compiled.sharing(items, p.doc_id, _even)
        pure_kept, pure_counts = pure.sharing(items, p.doc_id, _even)
        assert compiled_counts == pure_counts
        assert [id(q) for q in compiled_kept] == [id(q) for q in pure_kept]


def test_compiled_overlap_takes_empty_paragraphs_and_refuses_bad_arrays() -> None:
    make = built(compiled_verify(), "compiled_verify").Overlap
    rng = random.Random(8)
    items = [_item(rng, [1, 2, 3]) for _ in range(5)]
    empty, no_spans = np.zeros(0, dtype=np.uint32), np.zeros((0, 2), dtype=np.int32)
    nothing = make(empty, empty, no_spans, 0)
    assert nothing.shared(items) == [0] * 5
    assert nothing.masks(items) == [0] * 5
    assert [nothing.back(q) for q in items] == [0] * 5
    assert nothing.shared([]) == nothing.masks([]) == []
    assert nothing.sharing(items, "d", _even) == ([], [])
    hashes = np.array([5, 9], dtype=np.uint32)
    with pytest.raises(ValueError):
        make(hashes.astype(np.uint64), hashes, np.array([[0, 2], [1, 4]], dtype=np.int32), 4)
    with pytest.raises(ValueError):
        make(hashes, hashes, np.array([[0, 2]], dtype=np.int32), 4).masks(items)
    with pytest.raises(ValueError):  # a span past the paragraph's end
        make(hashes, hashes, np.array([[0, 2], [1, 9]], dtype=np.int32), 4).masks(items)


def test_compiled_same_key_is_the_pure_one() -> None:
    """``verify.same_key`` (the definition) and its compiled twin find the same next equal key."""
    from dedup.matching.verify import same_key

    core = built(compiled_verify(), "compiled_verify")
    rng = random.Random(10)
    items = [_item(rng, [1, 2, 3]) for _ in range(30)]
    items += items[::3]
    for p in items:
        text = p.key.text
        for start in (0, 5, len(items) - 1, len(items), len(items) + 3):
            assert core.same_key(text, items, start) == same_key(text, items, start)
        assert core.same_key("不在其中", items, 0) == same_key("不在其中", items, 0) == -1


def test_compiled_overlap_reads_any_contiguous_uint32_array_and_refuses_the_rest() -> None:
    """Plain arrays are read from numpy's struct, anything else through the buffer protocol: a
    view, a little-endian dtype spelt out, a read-only array and an unpickled one (a dtype object
    equal to numpy's, not it: what a worker sends) give the same counts, masks and back; a
    big-endian or strided array is refused rather than misread."""
    core = built(compiled_verify(), "compiled_verify")
    rng = random.Random(12)
    pool = [rng.getrandbits(32) for _ in range(30)]
    items = [_item(rng, pool) for _ in range(20)]
    p = items[0]
    sh = p.shingles
    overlap = core.Overlap(p.distinct, sh.hashes, sh.spans, p.size)
    expected = (overlap.shared(items), overlap.masks(items))
    backs = [overlap.back(q) for q in items]
    assert pickle.loads(pickle.dumps(sh.spans, 5)).dtype is not np.dtype(np.int32)
    for remake in (
        lambda d: np.concatenate([d, d])[: len(d)],
        lambda d: d.astype("<u4"),
        lambda d: np.frombuffer(d.tobytes(), dtype=d.dtype),
        lambda d: pickle.loads(pickle.dumps(d, pickle.HIGHEST_PROTOCOL)),
    ):
        others = [_with_distinct(q, remake(q.distinct)) for q in items]
        again = core.Overlap(remake(p.distinct), remake(sh.hashes), remake(sh.spans), p.size)
        assert (again.shared(others), again.masks(others)) == expected
        assert (overlap.shared(others), overlap.masks(others)) == expected
        remade = [
            Item(q.doc_id, q.paragraph, q.key, _remade(q.shingles, remake), q.distinct, q.noise)
            for q in items
        ]
        assert [again.back(q) for q in remade] == [overlap.back(q) for q in remade] == backs
    for bad in (lambda d: d.astype(">u4"), lambda d: np.repeat(d, 2)[::2]):
        odd = [_with_distinct(q, bad(q.distinct)) for q in items if len(q.distinct) > 1]
        with pytest.raises((ValueError, BufferError)):
            overlap.shared(odd)
        with pytest.raises((ValueError, BufferError)):
            overlap.masks(odd)


def _remade(sh: Shingles, remake: Callable[[np.ndarray], np.ndarray]) -> Shingles:
    return Shingles(remake(sh.hashes), remake(sh.spans), sh.tokens, remake(sh.distinct))


def _with_distinct(q: Item, values: np.ndarray) -> Item:
    return Item(q.doc_id, q.paragraph, q.key, q.shingles, values, q.noise)
