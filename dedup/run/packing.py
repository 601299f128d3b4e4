"""A chunk of extracted documents packed into flat rows and arrays in a worker (``pack_chunk``), and
made into records again in the resolving process (``unpack_paragraphs``, ``unpack_items``); and a
chunk's results packed into rows there (``pack_results``), made into records again in the main
process (``unpack_results``).

Compiled with the typed core (``typed_core.MODULES``): a worker reads every paragraph's item here,
and the resolving process makes a ``Paragraph``, a ``Key`` and an ``Item`` for every paragraph of
the corpus, on a run's critical path.  Compiled, each record's fields are read and each packed row
is read as a C tuple, and each record made, by direct calls.  Rows of plain values, not records,
travel: the pickler writes a tuple of ints and strings in C, and a record through its
``__reduce__`` (two thirds of a CPU second for the results of 5,000 big-set articles, both ways).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal, cast

import numpy as np

from dedup.limits import SHAPE_CODES
from dedup.matching.features import Extracted, Features
from dedup.matching.item import Item
from dedup.records import (
    Document,
    Flag,
    Join,
    Key,
    Match,
    NearCopy,
    Paragraph,
    Removal,
    RemovalKind,
    Result,
    Shingles,
)

#: a packed paragraph: (position of its document in the chunk, start, end, content start, content
#: end, shape (its place in ``SHAPE_CODES``), is a marker)
ParagraphRow = tuple[int, int, int, int, int, int, int]

#: a packed item: (position, paragraph, key or its number among the keys sent before, tokens,
#: noise, ragged, clauses, flags (``FLAGS``), ends (dangling, bare numeral), hashes, distinct
#: hashes, what travels (``UNSIGNED``...), the neighbours before and after)
ItemRow = tuple[int, int, "str | int", int, int, int, int, int, int, int, int, int, int, int]

#: an item's yes/no facts, the bits of its row's flags in this order
FLAGS = ("is_title", "in_title_zone", "plain", "in_headline", "front_matter", "highlight", "quoted")

#: what an item's row says of its features: none to sign, signed (its band keys travel), or sent
#: before (its key travels as a number)
UNSIGNED, SIGNED, SENT_BEFORE = 0, 1, 2

#: documents numbered by their position in the input
Chunk = Sequence[tuple[int, Document]]

#: the ``FLAGS`` of each value of a row's flags, as booleans
_FLAG_BITS: list[tuple[bool, bool, bool, bool, bool, bool, bool]] = [
    (
        bool(value & 1),
        bool(value >> 1 & 1),
        bool(value >> 2 & 1),
        bool(value >> 3 & 1),
        bool(value >> 4 & 1),
        bool(value >> 5 & 1),
        bool(value >> 6 & 1),
    )
    for value in range(1 << len(FLAGS))
]


def pack_chunk(
    chunk: Sequence[Extracted], number_of: Callable[[str], int | None], sending: Callable[[str], None]
) -> tuple[list[ParagraphRow], list[ItemRow], tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """A worker's chunk as rows of its paragraphs and items and the arrays of its new keys (hashes,
    spans, distinct hashes and band keys, one key after another); a key sent before
    (``number_of`` gives its number, else ``None``) travels as that number, without its
    features, and a new one is given to ``sending``."""
    hashes: list[np.ndarray] = []
    spans: list[np.ndarray] = []
    distinct: list[np.ndarray] = []
    bands: list[np.ndarray] = []
    items: list[ItemRow] = []
    for position, extracted in enumerate(chunk):
        for it in extracted.items:
            text = it.key.text
            number = number_of(text)
            fresh = number is None
            if fresh:
                sending(text)
            shingled = it.shingles
            before, after = it.neighbours
            items.append(
                (
                    position,
                    it.paragraph.index,
                    text if number is None else number,
                    shingled.tokens,
                    it.noise,
                    it.ragged,
                    it.clauses,
                    _flags(it),
                    int(it.dangling) | int(it.is_bare_numeral) << 1,
                    len(shingled.hashes),
                    len(it.distinct),
                    SENT_BEFORE if not fresh else UNSIGNED if it.bands is None else SIGNED,
                    before,
                    after,
                )
            )
            if not fresh:
                continue
            hashes.append(shingled.hashes)
            spans.append(shingled.spans)
            distinct.append(it.distinct)
            if it.bands is not None:
                bands.append(it.bands)
    arrays = (
        np.concatenate(hashes) if hashes else np.zeros(0, np.uint32),
        np.concatenate(spans) if spans else np.zeros((0, 2), np.int32),
        np.concatenate(distinct) if distinct else np.zeros(0, np.uint32),
        np.stack(bands) if bands else np.zeros((0, 0), np.uint64),
    )
    return _pack_paragraphs(chunk), items, arrays


def _flags(it: Item) -> int:
    """An item's yes/no facts as the bits of one int (``FLAGS`` order; spelt out: a loop over the
    names cost more than the rest of packing an item)."""
    return (
        int(it.is_title)
        | int(it.in_title_zone) << 1
        | int(it.plain) << 2
        | int(it.in_headline) << 3
        | int(it.front_matter) << 4
        | int(it.highlight) << 5
        | int(it.quoted) << 6
    )


def _pack_paragraphs(chunk: Sequence[Extracted]) -> list[ParagraphRow]:
    return [
        (
            position,
            p.start,
            p.end,
            p.content_start,
            p.content_end,
            SHAPE_CODES.index(p.shape),
            int(p.is_marker),
        )
        for position, extracted in enumerate(chunk)
        for p in extracted.paragraphs
    ]


def unpack_paragraphs(rows: list[ParagraphRow], chunk: Chunk) -> list[list[Paragraph]]:
    """The paragraphs of each document of ``chunk``."""
    paragraphs: list[list[Paragraph]] = [[] for _ in chunk]
    for position, start, end, content_start, content_end, shape, is_marker in rows:
        own = paragraphs[position]
        own.append(
            Paragraph(
                chunk[position][0],
                len(own),
                start,
                end,
                content_start,
                content_end,
                SHAPE_CODES[shape],
                bool(is_marker),
            )
        )
    return paragraphs


def unpack_items(
    rows: list[ItemRow],
    arrays: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    chunk: Chunk,
    paragraphs: list[list[Paragraph]],
    known: Callable[[int], tuple[str, Features]],
    remember: Callable[[str, Features], None],
) -> list[list[Item]]:
    """The items of each document of ``chunk``, with the keys and features sent now (``arrays``:
    the hashes, spans, distinct hashes and band keys of the chunk's new keys, one after another)
    or before (``known``, by number; a new key is given to ``remember``)."""
    items: list[list[Item]] = [[] for _ in chunk]
    hashes, spans, distinct, signed = arrays
    at_hash = at_distinct = at_band = 0
    for row in rows:
        position, paragraph, sent, tokens, noise, ragged, clauses, flags, ends, n, d, state, before, after = (
            row
        )
        document = chunk[position][1]
        p = paragraphs[position][paragraph]
        bands: np.ndarray | None
        if isinstance(sent, int):  # (``SENT_BEFORE``)
            key, (shingled, bands) = known(sent)
        else:
            key = sent
            shingled = Shingles(
                hashes[at_hash : at_hash + n],
                spans[at_hash : at_hash + n],
                tokens,
                distinct[at_distinct : at_distinct + d],
            )
            at_hash += n
            at_distinct += d
            bands = None
            if state == SIGNED:
                bands = signed[at_band]
                at_band += 1
            remember(key, (shingled, bands))
        title, zone, plain, headline, front, highlight, quoted = _FLAG_BITS[flags]
        items[position].append(
            Item(
                document.id,
                p,
                Key(key, document.text[p.content_start : p.content_end], p.content_start),
                shingled,
                shingled.distinct,
                noise,
                title,
                zone,
                ragged,
                clauses,
                plain,
                bool(ends & 1),  # dangling
                bool(ends & 2),  # is_bare_numeral
                headline,
                front,
                highlight,
                quoted,
                (before, after),
                None,  # signature: only the bands travel
                bands,
            )
        )
    return items


#: a packed match: (document id, paragraph, start, end)
MatchRow = tuple[str, int, int, int]
#: a packed removal: (paragraph, start, end, kind, score, matches)
RemovalRow = tuple[int, int, int, str, float, tuple[MatchRow, ...]]
#: a packed join: (head, tail, start, end, score, evidence)
JoinRow = tuple[int, int, int, int, float, tuple[str, ...]]
#: a packed flag: (paragraph, start, end, kind, note)
FlagRow = tuple[int, int, int, str, str]
#: a packed near-copy decision: (id, similarity, action)
NearCopyRow = tuple[str, float, str]
#: a packed result: (the cleaned text, ``None`` when it is the text as read; paragraphs; layout;
#: removals; joins; flags; near copy; made by).  Its id, path and text are its document's, which
#: the main process holds.
ResultRow = tuple[
    "str | None",
    int,
    str,
    tuple[RemovalRow, ...],
    tuple[JoinRow, ...],
    tuple[FlagRow, ...],
    "NearCopyRow | None",
    str,
]


def pack_results(results: Sequence[Result]) -> list[ResultRow]:
    """Results as rows, without what their documents hold (``ResultRow``)."""
    rows: list[ResultRow] = []
    for result in results:
        copy = result.near_copy_of
        rows.append(
            (
                None if result.cleaned == result.text else result.cleaned,
                result.paragraphs,
                result.layout,
                tuple(
                    [
                        (
                            r.paragraph,
                            r.start,
                            r.end,
                            r.kind,
                            r.score,
                            tuple([(m.id, m.paragraph, m.start, m.end) for m in r.matches]),
                        )
                        for r in result.removed
                    ]
                ),
                tuple([(j.head, j.tail, j.start, j.end, j.score, j.evidence) for j in result.joins]),
                tuple([(f.paragraph, f.start, f.end, f.kind, f.note) for f in result.flags]),
                None if copy is None else (copy.id, copy.similarity, copy.action),
                result.made_by,
            )
        )
    return rows


def unpack_results(rows: Sequence[ResultRow], documents: Sequence[Document]) -> list[Result]:
    """The results of ``documents`` (one row each, in order) as records again."""
    results: list[Result] = []
    for row, document in zip(rows, documents, strict=True):
        cleaned, paragraphs, layout, removed, joins, flags, copy, made_by = row
        results.append(
            Result(
                document.id,
                document.path,
                document.text,
                document.text if cleaned is None else cleaned,
                paragraphs,
                layout,
                tuple(
                    [
                        Removal(
                            paragraph,
                            start,
                            end,
                            cast(RemovalKind, kind),
                            score,
                            tuple([Match(source, at, first, last) for source, at, first, last in matches]),
                        )
                        for paragraph, start, end, kind, score, matches in removed
                    ]
                ),
                tuple(
                    [
                        Join(head, tail, start, end, score, evidence)
                        for head, tail, start, end, score, evidence in joins
                    ]
                ),
                tuple(
                    [
                        Flag(paragraph, start, end, cast(Literal["orphan"], kind), note)
                        for paragraph, start, end, kind, note in flags
                    ]
                ),
                None
                if copy is None
                else NearCopy(copy[0], copy[1], cast(Literal["drop", "strip", "keep"], copy[2])),
                made_by,
            )
        )
    return results
