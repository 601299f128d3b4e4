"""``Item``: a paragraph with everything the matcher needs to know about it.

Every stage of matching reads items: candidate gathering (``candidates``),
verification (``verify``) and the decisions (``resolve``).  Extraction
(``features``) makes them, one per paragraph with content.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol, cast

import numpy as np

from dedup.config import compiled_extension
from dedup.matching.core import compiled_core
from dedup.matching.index import anchor_list
from dedup.matching.shingle import char_table, covered_bits
from dedup.records import Key, Paragraph, PickledByInit, Shingles

#: where a paragraph stands in the corpus: (document number, paragraph index)
Ref = tuple[int, int]


# Not frozen, for two reasons.  Three fields change after construction: ``table``
# is a cache, built when the paragraph is first compared and dropped by
# ``RecentTables``; ``signature`` and ``bands`` are dropped by the corpus once a
# kept paragraph is indexed (they were only needed to find its candidates, and a
# corpus keeps millions of paragraphs).  And from sources, a frozen dataclass's
# ``__init__`` costs four times as much (2.2 against 0.5 microseconds for this one),
# paid for every paragraph by the process that resolves the corpus in order.  Every
# other field is set once, at construction, and never changed (but for ``shingles``
# and ``distinct``, which the corpus swaps for copies of the same values when it
# keeps the paragraph: arrays of its own instead of views into a worker's chunk).
# The ``__init__`` is written out and the pickling is the records' (``records``):
# compiled, the class is a native one, made in C and read by loads.
@dataclass(slots=True, eq=False)
class Item(PickledByInit):
    """A paragraph with everything the matcher needs to know about it."""

    doc_id: str
    paragraph: Paragraph
    key: Key
    shingles: Shingles
    distinct: np.ndarray
    noise: int
    is_title: bool = False
    #: no body paragraph comes before it: where titles, subtitles and bylines stand
    in_title_zone: bool = False
    #: starts or ends where no sentence does (a piece cut out of a longer text)
    ragged: int = 0
    #: clauses separated by commas or colons
    clauses: int = 1
    #: a line of text without any punctuation, digits or Latin letters (a name, a byline)
    plain: bool = False
    #: ends with a comma or a word that cannot end a sentence: the rest is missing
    dangling: bool = False
    #: a list numeral standing alone (一, 二, 第三), waiting for its item
    is_bare_numeral: bool = False
    #: in the headline block (kicker, title lines, subtitle): never a piece of the body
    in_headline: bool = False
    #: between the headline and the lead: decks, pull quotes, boxes that repeat the body
    front_matter: bool = False
    #: a bulleted line above the lead (■ …): a highlight that repeats the body
    highlight: bool = False
    #: the whole line is one quotation: a quoted title or subheading
    quoted: bool = False
    #: key hashes of the paragraphs before and after it on its page (0: none)
    neighbours: tuple[int, int] = (0, 0)
    #: MinHash signature (uint32 row) and its LSH band keys, for paragraphs long enough to sign
    signature: np.ndarray | None = None
    bands: np.ndarray | None = None
    #: shingle hash -> characters it covers (``char_table``), built when first
    #: compared (a corpus run keeps those of recently compared paragraphs)
    table: dict[int, int] | None = field(default=None, repr=False)
    #: ``anchor_points``, remembered from the candidate lookup until the corpus indexes the paragraph
    anchors: list[int] | None = field(default=None, repr=False)
    #: characters in the key (asked millions of times in a corpus run)
    size: int = field(init=False, repr=False)

    # written out, not left to ``dataclass``: compiled, it is C (``records`` says why)
    def __init__(
        self,
        doc_id: str,
        paragraph: Paragraph,
        key: Key,
        shingles: Shingles,
        distinct: np.ndarray,
        noise: int,
        is_title: bool = False,
        in_title_zone: bool = False,
        ragged: int = 0,
        clauses: int = 1,
        plain: bool = False,
        dangling: bool = False,
        is_bare_numeral: bool = False,
        in_headline: bool = False,
        front_matter: bool = False,
        highlight: bool = False,
        quoted: bool = False,
        neighbours: tuple[int, int] = (0, 0),
        signature: np.ndarray | None = None,
        bands: np.ndarray | None = None,
        table: dict[int, int] | None = None,
        anchors: list[int] | None = None,
    ) -> None:
        self.doc_id = doc_id
        self.paragraph = paragraph
        self.key = key
        self.shingles = shingles
        self.distinct = distinct
        self.noise = noise
        self.is_title = is_title
        self.in_title_zone = in_title_zone
        self.ragged = ragged
        self.clauses = clauses
        self.plain = plain
        self.dangling = dangling
        self.is_bare_numeral = is_bare_numeral
        self.in_headline = in_headline
        self.front_matter = front_matter
        self.highlight = highlight
        self.quoted = quoted
        self.neighbours = neighbours
        self.signature = signature
        self.bands = bands
        self.table = table
        self.anchors = anchors
        self.size = len(key.text)

    @property
    def ref(self) -> Ref:
        return (self.paragraph.doc, self.paragraph.index)

    def characters(self) -> dict[int, int]:
        table = self.table
        if table is None:
            table = self.table = char_table(self.shingles)
        return table

    def anchor_points(self) -> list[int]:
        """``index.anchor_list(self.distinct)``: asked when the paragraph's candidates are looked
        up, and again when the corpus keeps it (computed once)."""
        found = self.anchors
        if found is None:
            found = self.anchors = anchor_list(self.distinct)
        return found

    def covered_by(self, found: np.ndarray) -> int:
        """The characters of this paragraph covered by its shingles whose hash is
        in ``found`` (sorted, distinct: another paragraph's ``distinct``), as a bit
        set: computed by the compiled core, or through the comparison table."""
        core = compiled_core()
        if core is None:
            return covered_bits(self.characters(), found.tolist())
        sh = self.shingles
        return core.covered_mask(sh.hashes, sh.spans, found, self.size)

    def covered_by_each(self, founds: list[np.ndarray]) -> list[int]:
        """``covered_by`` of each of several ``found`` arrays (one compiled call)."""
        core = compiled_core()
        if core is None:
            table = self.characters()
            return [covered_bits(table, found.tolist()) for found in founds]
        sh = self.shingles
        return core.covered_masks(sh.hashes, sh.spans, founds, self.size)

    def overlap(self) -> Overlap:
        """This paragraph's shingles ready to be compared with many candidates: the compiled
        ``Overlap`` where it is built, else ``PureOverlap`` (the definition)."""
        core = compiled_verify()
        if core is None:
            return PureOverlap(self)
        sh = self.shingles
        return core.Overlap(self.distinct, sh.hashes, sh.spans, self.size)


class Overlap(Protocol):
    """A paragraph ``p`` compared with many others (``PureOverlap`` is the definition)."""

    def shared(self, items: list[Item], /) -> list[int]: ...

    def sharing(
        self, items: list[Item], doc_id: str, may_count: Callable[[Item], bool], /
    ) -> tuple[list[Item], list[int]]: ...

    def masks(self, items: list[Item], /) -> list[int]: ...

    def back(self, item: Item, /) -> int: ...


class PureOverlap:
    """What verification asks of a paragraph ``p`` and its candidates, in numpy and Python: the
    definition of the compiled ``compiled_verify.Overlap`` (tests compare them)."""

    def __init__(self, p: Item) -> None:
        self._p = p

    def shared(self, items: list[Item]) -> list[int]:
        """How many distinct shingles ``p`` shares with each item (one pass over all of them:
        most candidates of a big corpus share few)."""
        found = self._p.distinct
        if not len(found) or not items:
            return [0] * len(items)
        sizes = np.array([len(q.distinct) for q in items])
        hashes = np.concatenate([q.distinct for q in items])
        at = np.searchsorted(found, hashes)
        hits = np.concatenate(([0], np.cumsum(found[np.minimum(at, len(found) - 1)] == hashes)))
        ends = np.cumsum(sizes)
        counts: list[int] = (hits[ends] - hits[ends - sizes]).tolist()
        return counts

    def sharing(
        self, items: list[Item], doc_id: str, may_count: Callable[[Item], bool]
    ) -> tuple[list[Item], list[int]]:
        """The items that share any shingle with ``p``, and how many each shares (``shared``),
        those of ``p``'s own document ``doc_id`` only where ``may_count`` says they may count:
        verification's first sift, in one call."""
        sharing = [
            (q, n)
            for q, n in zip(items, self.shared(items), strict=True)
            if n and (q.doc_id != doc_id or may_count(q))
        ]
        return [q for q, _ in sharing], [n for _, n in sharing]

    def masks(self, items: list[Item]) -> list[int]:
        """The characters of ``p`` covered by shingles of each item (``p.covered_by`` of each)."""
        table = self._p.characters()
        return [covered_bits(table, q.distinct.tolist()) for q in items]

    def back(self, item: Item) -> int:
        """The characters of ``item`` covered by shingles of ``p`` (``item.covered_by``)."""
        return covered_bits(item.characters(), self._p.distinct.tolist())


class VerifyCore(Protocol):
    """What the compiled verification module provides (``compiled_verify.pyi``)."""

    def Overlap(  # the class
        self, distinct: np.ndarray, hashes: np.ndarray, spans: np.ndarray, size: int, /
    ) -> Overlap: ...

    def trigram_hits(self, sentence: str, pieces: list[str], /) -> tuple[int, list[int]] | None: ...

    def same_key(self, text: str, items: list[Item], start: int, /) -> int: ...


@cache
def compiled_verify() -> VerifyCore | None:
    """The compiled verification module (``compiled_verify``), or ``None`` where the core does not
    run (or that extension was not built): each caller's pure twin then."""
    if compiled_core() is None:
        return None
    return cast("VerifyCore | None", compiled_extension("dedup.matching.compiled_verify"))


class RecentTables:
    """Keeps the comparison tables of the paragraphs compared most recently and
    drops older ones: kept paragraphs stay in a corpus index for the whole run,
    their tables need not (a few KB each), but a paragraph that is a candidate
    again and again (a wire story's paragraph) is not tabled afresh each time."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._recent: OrderedDict[int, Item] = OrderedDict()

    def used(self, items: Iterable[Item]) -> None:
        recent = self._recent
        for it in items:
            if it.table is not None:
                recent[id(it)] = it
                recent.move_to_end(id(it))
        while len(recent) > self.size:
            _, oldest = recent.popitem(last=False)
            oldest.table = None
