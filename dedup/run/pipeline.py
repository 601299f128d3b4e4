"""The only module that chains the stages.

Per document, independently (in worker processes when there are several):
paragraphs (segment) -> keys (normalize) -> words (tokenize) -> shingles ->
MinHash signatures and LSH band keys (signature, index).

Then, in input order, in the main process: candidates from earlier documents
(index) -> decisions (match) -> joins (repair) -> cleaned text (rewrite) ->
Result.  Cross-document redundancy is always relative to *earlier* documents:
the kept paragraphs of each finished document enter the indexes, so the first
copy seen in the corpus is the one kept.  Because extraction depends on the
document alone and resolution runs in order, the output is the same whatever
the number of workers.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import chain, islice, pairwise
from multiprocessing.pool import AsyncResult
from typing import TypeVar

import numpy as np

from dedup.config import Config, stamp
from dedup.matching.index import BandIndex, ShingleIndex, anchors, band_keys, band_layout
from dedup.matching.shingle import shingles as make_shingles
from dedup.matching.signature import sign
from dedup.matching.verify import (
    Decision,
    Item,
    RecentTables,
    evaluate,
    local_candidates,
    repeated_share,
    resolve_document,
)
from dedup.records import Document, Flag, Join, Key, NearCopy, Paragraph, Removal, Result, Shape, Shingles
from dedup.text.joins import BARE_NUMERAL, CLAUSE, DANGLING_WORDS, NOT_OPENING, decide_join
from dedup.text.normalize import normalize
from dedup.text.rewrite import rewrite
from dedup.text.segment import split_paragraphs
from dedup.text.shape import ends_open, shape_of
from dedup.text.words import tokenize

#: how many earlier paragraphs sharing anchors are checked per paragraph
_MAX_EXTERNAL = 16
#: kept paragraphs whose comparison tables are kept (see ``RecentTables``)
_RECENT_TABLES = 20_000
#: documents handed to a worker at a time (fewer, larger messages: less for
#: the main process's threads to do while it resolves)
_CHUNK = 128
#: distinct keys whose features a process remembers
_CACHED_KEYS = 100_000


_NOISE = re.compile(
    r"(?<=\S)[ \u3000\t](?=\S)"  # a stray space inside the text
    r"|(?<=[^\x00-\x7f])[,;:?!()]"  # half-width punctuation amid Chinese
    r"|[\uff10-\uff5a]"  # full-width digits and letters
)


def _noise(raw: str) -> int:
    """Signs of a degraded copy: stray spaces, half-width punctuation amid
    Chinese, full-width digits and letters.  Of two equal copies the noisier
    one is removed."""
    return len(_NOISE.findall(raw))


@dataclass(frozen=True, slots=True)
class Extracted:
    """What the workers compute for one document: its paragraphs and their features."""

    index: int
    document: Document
    paragraphs: list[Paragraph]
    items: list[Item]
    #: paragraph index -> indices of the paragraphs of the same document sharing a shingle
    local: dict[int, list[int]]


_K = TypeVar("_K")
_V = TypeVar("_V")


class _Recent(dict[_K, _V]):
    """A dict that forgets its oldest entries beyond ``size`` (the caches by
    key of extraction, and what workers sent and the main process received)."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def remember(self, key: _K, value: _V) -> None:
        self[key] = value
        if len(self) > self.size:
            del self[next(iter(self))]


class _Extractor:
    """Per-process state of extraction: caches of shingles and signatures by
    key, so exact copies (boilerplate, syndicated text: most paragraphs of a
    scraped corpus) are segmented and signed once."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._shingles: _Recent[str, Shingles] = _Recent(_CACHED_KEYS)
        self._signed: _Recent[str, tuple[np.ndarray, np.ndarray]] = _Recent(_CACHED_KEYS)
        self.bands, self.rows = band_layout(config.lsh_threshold, config.num_perm)

    def shingles(self, key: str) -> Shingles:
        cached = self._shingles.get(key)
        if cached is None:
            cached = make_shingles(tokenize(key, self.config.segmenter), self.config.shingle_size)
            self._shingles.remember(key, cached)
        return cached

    def _signatures(self, wanted: dict[str, np.ndarray]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Signature and band keys of each key (given its distinct shingles):
        remembered, or signed together in one bulk call."""
        found = {key: self._signed[key] for key in wanted if key in self._signed}
        fresh = [key for key in wanted if key not in found]
        if fresh:
            signatures = sign([wanted[key] for key in fresh], self.config)
            rows = band_keys(signatures, self.bands, self.rows)
            for key, signature, row in zip(fresh, signatures, rows, strict=True):
                found[key] = (signature, row)
                self._signed.remember(key, found[key])
        return found

    def _signable(self, key: str, shingled: Shingles) -> bool:
        return (
            self.config.scope == "corpus" and len(key) >= self.config.min_chars and len(shingled.distinct) > 0
        )

    def features(self, key: str) -> _Features:
        """Shingles and band keys of one key (what a worker did not send again)."""
        shingled = self.shingles(key)
        if not self._signable(key, shingled):
            return shingled, None
        return shingled, self._signatures({key: shingled.distinct})[key][1]

    def sign(self, items: list[Item]) -> None:
        """Signatures and band keys of the items long enough to sign."""
        signed = self._signatures(
            {it.key.text: it.distinct for it in items if self._signable(it.key.text, it.shingles)}
        )
        for it in items:
            if it.key.text in signed:
                it.signature, it.bands = signed[it.key.text]

    def __call__(self, index: int, document: Document) -> Extracted:
        paragraphs = split_paragraphs(document.text, index)
        items: list[Item] = []
        seen_body = False
        for p in paragraphs:
            if not p.has_content:
                continue
            raw = document.text[p.content_start : p.content_end]
            key = normalize(raw, p.content_start)
            sh = self.shingles(key.text)
            items.append(
                Item(
                    document.id,
                    p,
                    key,
                    sh,
                    sh.distinct,
                    _noise(raw),
                    is_title=not items,
                    in_title_zone=not seen_body,
                    ragged=int(ends_open(raw)) + int(raw[0] in NOT_OPENING),
                    clauses=len(CLAUSE.split(raw.rstrip("，,、：:"))),
                    plain=key.text == raw and not any(ch.isascii() for ch in raw),
                    dangling=raw[-1] in "，,、" or raw[-1] in DANGLING_WORDS,
                    is_bare_numeral=bool(BARE_NUMERAL.fullmatch(raw)),
                )
            )
            seen_body = seen_body or p.shape == "body"
        self.sign(items)
        local = {i: [q.paragraph.index for q in qs] for i, qs in local_candidates(items).items()}
        return Extracted(index, document, paragraphs, items, local)


#: a key's shingles and LSH band keys (``None``: too short to sign)
_Features = tuple[Shingles, np.ndarray | None]


#: keys whose features a worker has sent (the last ``_CACHED_KEYS``): a key
#: seen again is sent as the key alone.  Most paragraphs of a scraped corpus
#: are copies, and their arrays were most of what the workers sent.
_Sent = _Recent[str, None]


class _Received:
    """The main process's side of ``_Sent``: features by key as they arrived.
    A key whose features are no longer here (several workers, or an older key)
    is extracted again: features depend on the key alone, so the result is the
    same either way."""

    def __init__(self, config: Config, size: int) -> None:
        self.config = config
        self._known: _Recent[str, _Features] = _Recent(size)
        self._extractor: _Extractor | None = None

    def add(self, key: str, features: _Features) -> None:
        self._known.remember(key, features)

    def get(self, key: str) -> _Features:
        found = self._known.get(key)
        if found is None:
            if self._extractor is None:
                self._extractor = _Extractor(self.config)
            found = self._extractor.features(key)
            self.add(key, found)
        return found


_worker: _Extractor | None = None
_sent: _Sent | None = None


def _start_worker(config: Config) -> None:
    global _worker, _sent
    _worker = _Extractor(config)
    _sent = _Recent(_CACHED_KEYS)
    tokenize("预热", config.segmenter)  # load the dictionary once, before the first chunk


_SHAPES: tuple[Shape, ...] = ("heading", "body")


@dataclass(frozen=True, slots=True)
class _Packed:
    """A chunk of extracted documents as a few flat arrays and tuples: pickling
    thousands of small records and arrays costs more than extracting them.
    The main process still holds the documents' text, so it is not sent back,
    and the features of a key sent before are not sent again (``_Sent``)."""

    paragraphs: list[tuple[int, int, int, int, int, int, int]]
    items: list[tuple[int, int, str, int, int, int, int, int, int, int, int, int]]
    locals: list[dict[int, list[int]]]
    hashes: np.ndarray
    spans: np.ndarray
    distinct: np.ndarray
    bands: np.ndarray


#: what an item's entry in a ``_Packed`` says about its features
_UNSIGNED, _SIGNED, _SENT_BEFORE = 0, 1, 2


def _pack(chunk: list[Extracted], sent: _Sent) -> _Packed:
    paragraphs = []
    items = []
    hashes, spans, distinct, bands = [], [], [], []
    for position, extracted in enumerate(chunk):
        for p in extracted.paragraphs:
            paragraphs.append(
                (
                    position,
                    p.start,
                    p.end,
                    p.content_start,
                    p.content_end,
                    _SHAPES.index(p.shape),
                    int(p.is_marker),
                )
            )
        for it in extracted.items:
            fresh = it.key.text not in sent
            if fresh:
                sent.remember(it.key.text, None)
            items.append(
                (
                    position,
                    it.paragraph.index,
                    it.key.text,
                    it.shingles.tokens,
                    it.noise,
                    it.ragged,
                    it.clauses,
                    int(it.is_title) | int(it.in_title_zone) << 1 | int(it.plain) << 2,
                    int(it.dangling) | int(it.is_bare_numeral) << 1,
                    len(it.shingles.hashes),
                    len(it.distinct),
                    _SENT_BEFORE if not fresh else _UNSIGNED if it.bands is None else _SIGNED,
                )
            )
            if not fresh:
                continue
            hashes.append(it.shingles.hashes)
            spans.append(it.shingles.spans)
            distinct.append(it.distinct)
            if it.bands is not None:
                bands.append(it.bands)
    return _Packed(
        paragraphs,
        items,
        [extracted.local for extracted in chunk],
        np.concatenate(hashes) if hashes else np.zeros(0, np.uint32),
        np.concatenate(spans) if spans else np.zeros((0, 2), np.int32),
        np.concatenate(distinct) if distinct else np.zeros(0, np.uint32),
        np.stack(bands) if bands else np.zeros((0, 0), np.uint64),
    )


def _unpack(packed: _Packed, chunk: list[tuple[int, Document]], received: _Received) -> list[Extracted]:
    paragraphs: list[list[Paragraph]] = [[] for _ in chunk]
    for position, start, end, content_start, content_end, shape, is_marker in packed.paragraphs:
        index = chunk[position][0]
        paragraphs[position].append(
            Paragraph(
                index,
                len(paragraphs[position]),
                start,
                end,
                content_start,
                content_end,
                _SHAPES[shape],
                bool(is_marker),
            )
        )
    items: list[list[Item]] = [[] for _ in chunk]
    at_hash = at_distinct = at_band = 0
    for position, paragraph, key, tokens, noise, ragged, clauses, flags, ends, n, d, state in packed.items:
        document = chunk[position][1]
        p = paragraphs[position][paragraph]
        if state == _SENT_BEFORE:
            shingled, bands = received.get(key)
        else:
            shingled = Shingles(
                packed.hashes[at_hash : at_hash + n],
                packed.spans[at_hash : at_hash + n],
                tokens,
                packed.distinct[at_distinct : at_distinct + d],
            )
            at_hash += n
            at_distinct += d
            bands = None
            if state == _SIGNED:
                bands = packed.bands[at_band]
                at_band += 1
            received.add(key, (shingled, bands))
        it = Item(
            document.id,
            p,
            Key(key, document.text[p.content_start : p.content_end], p.content_start),
            shingled,
            shingled.distinct,
            noise,
            is_title=bool(flags & 1),
            in_title_zone=bool(flags & 2),
            ragged=ragged,
            clauses=clauses,
            plain=bool(flags & 4),
            dangling=bool(ends & 1),
            is_bare_numeral=bool(ends & 2),
            bands=bands,
        )
        items[position].append(it)
    return [
        Extracted(index, document, paragraphs[position], items[position], packed.locals[position])
        for position, (index, document) in enumerate(chunk)
    ]


def _extract_chunk(chunk: list[tuple[int, Document]]) -> _Packed:
    assert _worker is not None and _sent is not None
    return _pack([_worker(index, document) for index, document in chunk], _sent)


def _chunks(documents: Iterable[Document], size: int) -> Iterator[list[tuple[int, Document]]]:
    numbered = enumerate(documents)
    while chunk := list(islice(numbered, size)):
        yield chunk


def extract_all(documents: Iterable[Document], config: Config, workers: int = 1) -> Iterator[Extracted]:
    """Features of every document, in input order, computed by ``workers`` processes."""
    chunks = _chunks(documents, _CHUNK)
    first = next(chunks, [])
    second = next(chunks, None) if workers > 1 else None
    if second is None:
        # one process: no pool to start, nothing to pickle
        extractor = _Extractor(config)
        for chunk in chain([first], chunks):
            for index, document in chunk:
                yield extractor(index, document)
        return
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    # The main process resolves documents while the others extract: N workers
    # means N processes busy in all, so N - 1 of them extract.
    with context.Pool(workers - 1, initializer=_start_worker, initargs=(config,)) as pool:
        # Results are taken in input order (the output does not depend on which
        # process extracted what) and only a few chunks are in flight, so the
        # input is read as fast as it is consumed, never all at once.
        in_flight: deque[tuple[list[tuple[int, Document]], AsyncResult[_Packed] | list[Extracted]]] = deque()
        received = _Received(config, _CACHED_KEYS * (workers - 1))
        own: _Extractor | None = None
        # (chunks are never empty: an empty one means the input is exhausted)
        pending = chain([first, second], chunks)
        exhausted = False
        limit = 2 * workers + 2
        while True:
            while not exhausted and len(in_flight) < limit:
                chunk = next(pending, [])
                if not chunk:
                    exhausted = True
                else:
                    in_flight.append((chunk, pool.apply_async(_extract_chunk, (chunk,))))
            if not in_flight:
                return
            chunk, job = in_flight[0]
            if (
                isinstance(job, AsyncResult)
                and not job.ready()
                and not exhausted
                and len(in_flight) < 2 * limit
            ):
                # The workers are behind (a slow tokeniser, or resolving is
                # cheap here): rather than wait, this process extracts the next
                # chunk not handed out yet itself.
                chunk = next(pending, [])
                if not chunk:
                    exhausted = True
                else:
                    own = own or _Extractor(config)
                    in_flight.append((chunk, [own(index, document) for index, document in chunk]))
                continue
            in_flight.popleft()
            yield from job if isinstance(job, list) else _unpack(job.get(), chunk, received)


class _Corpus:
    """What the run has kept so far, indexed for the documents still to come."""

    def __init__(self, config: Config) -> None:
        self.config = config
        # exact copies, however short, are found by their key alone
        self.exact: dict[str, Item] = {}
        self.near: BandIndex[Item] = BandIndex()
        self.contain: ShingleIndex[Item] = ShingleIndex()
        self._order: dict[str, int] = {}
        self._tables = RecentTables(_RECENT_TABLES)
        self._extractor = _Extractor(config)
        self._stamp = stamp(config.fingerprint())

    def _external(self, items: Sequence[Item]) -> dict[int, list[Item]]:
        if self.config.scope != "corpus":
            return {}
        external: dict[int, list[Item]] = {}
        for it in items:
            twin = self.exact.get(it.key.text)
            if twin is not None and not it.is_title:
                # nothing beats an exact copy: no need to look further
                external[it.paragraph.index] = [twin]
                continue
            found: dict[int, Item] = {}
            if twin is not None:
                found[id(twin)] = twin
            if it.bands is not None:
                for q in self.near.query(it.bands):
                    found[id(q)] = q
            for q in self.contain.query(anchors(it.distinct).tolist(), limit=_MAX_EXTERNAL):
                found.setdefault(id(q), q)
            if found:
                external[it.paragraph.index] = sorted(found.values(), key=lambda q: q.ref)
        return external

    def _remember(self, items: Sequence[Item], removed: dict[int, Decision]) -> list[Item]:
        """Index the document's kept paragraphs; the ones indexed are returned."""
        indexed: list[Item] = []
        if self.config.scope != "corpus":
            return indexed
        for it in items:
            if it.paragraph.index in removed:
                continue
            # the signature was only needed to find candidates
            bands, it.signature, it.bands = it.bands, None, None
            if self.exact.setdefault(it.key.text, it) is not it:
                # A copy of a kept paragraph (a title, a byline: never removed
                # across articles) would only be found next to the first copy,
                # taking a candidate's place: the first stands for both.
                continue
            if bands is not None:
                self.near.add(it, bands)
            self.contain.add(it, anchors(it.distinct).tolist())
            indexed.append(it)
        return indexed

    def _near_copy(self, items: Sequence[Item], decisions: dict[int, Decision]) -> NearCopy | None:
        shares = repeated_share(items, decisions)
        if not shares:
            return None
        # most text shared; of equals, the earliest article
        source, similarity = max(shares.items(), key=lambda kv: (kv[1], -self._order.get(kv[0], 0)))
        if similarity < self.config.near_copy_threshold:
            return None
        return NearCopy(id=source, similarity=round(similarity, 4), action=self.config.duplicate_articles)

    def _joins(self, text: str, paragraphs: list[Paragraph], removed: set[int]) -> list[Join]:
        """Joins between consecutive kept paragraphs (whatever was removed between
        them, so that cleaning the cleaned text joins nothing more).  Decided from
        the last pair back to the first: a tail that is itself joined to what
        follows is judged as the whole paragraph it becomes."""
        if not self.config.join_broken:
            return []
        kept = [p for p in paragraphs if p.index not in removed and p.has_content]
        first_index = next((p.index for p in paragraphs if p.has_content), -1)
        in_title_zone: dict[int, bool] = {}
        seen_body = False
        for p in kept:
            in_title_zone[p.index] = not seen_body
            seen_body = seen_body or p.shape == "body"
        whole = {p.index: text[p.content_start : p.content_end] for p in kept}
        joins: list[Join] = []
        for head, tail in reversed(list(pairwise(kept))):
            tail_text = whole[tail.index]
            tail_shape = (
                shape_of(tail_text)
                if tail_text != text[tail.content_start : tail.content_end]
                else tail.shape
            )
            verdict = decide_join(
                whole[head.index],
                tail_text,
                head.shape,
                tail_shape,
                is_title=head.index == first_index,
                in_title_zone=in_title_zone[head.index],
                segmenter=self.config.segmenter,
            )
            if verdict.join:
                whole[head.index] += tail_text
                joins.append(
                    Join(
                        head=head.index,
                        tail=tail.index,
                        start=head.content_end,
                        end=tail.content_start,
                        score=round(verdict.score, 2),
                        evidence=verdict.evidence,
                    )
                )
        return joins[::-1]

    def _repeated_joins(
        self,
        document: Document,
        paragraphs: list[Paragraph],
        items: Sequence[Item],
        joins: list[Join],
        removed: set[int],
        external: dict[int, list[Item]],
    ) -> list[Decision]:
        """Decisions removing the halves of joined paragraphs whose joined text is
        redundant with a paragraph that is kept."""
        if not joins:
            return []
        by_index = {it.paragraph.index: it for it in items}
        chains: list[list[int]] = []
        for join in joins:
            if chains and chains[-1][-1] == join.head:
                chains[-1].append(join.tail)
            else:
                chains.append([join.head, join.tail])
        found: list[Decision] = []
        for run in chains:
            parts = [by_index[i] for i in run if i in by_index]
            if len(parts) != len(run):
                continue
            head, tail = parts[0].paragraph, parts[-1].paragraph
            text = "".join(
                document.text[it.paragraph.content_start : it.paragraph.content_end] for it in parts
            )
            key = normalize(text, head.content_start)
            shingled = self._extractor.shingles(key.text)
            joined = Item(
                document.id,
                replace(head, end=tail.end, content_end=tail.content_end, shape="body"),
                key,
                shingled,
                shingled.distinct,
                0,
            )
            others = [
                it for it in items if it.paragraph.index not in removed and it.paragraph.index not in run
            ]
            outside = [q for i in run for q in external.get(i, [])]
            decision = evaluate(joined, others + outside, self.config, cross_doc=bool(outside))
            if decision is None:
                continue
            for it in parts:
                found.append(
                    Decision(
                        it, "fragment", decision.score, decision.coverage, decision.cover, decision.unique
                    )
                )
        return found

    def resolve(self, extracted: Extracted) -> Result:
        document, paragraphs, items = extracted.document, extracted.paragraphs, extracted.items
        self._order.setdefault(document.id, extracted.index)
        external = self._external(items)
        by_index = {it.paragraph.index: it for it in items}
        local = {i: [by_index[j] for j in js] for i, js in extracted.local.items()}
        decisions = resolve_document(items, external, self.config, local)
        near_copy = self._near_copy(items, decisions) if external else None
        if near_copy is not None and near_copy.action == "keep":
            decisions = resolve_document(items, {}, self.config, local)

        removals: list[Removal] = []
        for p in paragraphs:
            decision = decisions.get(p.index)
            if decision is not None:
                removals.append(
                    Removal(p.index, p.start, p.end, decision.kind, decision.score, decision.matches)
                )
            elif p.is_marker and self.config.remove_markers:
                removals.append(Removal(p.index, p.start, p.end, "marker", 1.0))
            elif self.config.remove_markers:
                if p.content_start > p.start:
                    removals.append(Removal(p.index, p.start, p.content_start, "marker", 1.0))
                if p.content_end < p.end:
                    removals.append(Removal(p.index, p.content_end, p.end, "marker", 1.0))
        spans = {p.index: (p.start, p.end) for p in paragraphs}
        whole = {r.paragraph for r in removals if (r.start, r.end) == spans[r.paragraph]}
        dropped = near_copy is not None and near_copy.action == "drop"
        if dropped:
            assert near_copy is not None
            for p in paragraphs:
                if p.index not in whole:
                    # the whole paragraph goes: its marker spans are part of it
                    removals = [r for r in removals if r.paragraph != p.index]
                    removals.append(Removal(p.index, p.start, p.end, "near", near_copy.similarity))
                    whole.add(p.index)
            removals.sort(key=lambda r: (r.start, r.end))
        if not self.config.remove_markers:
            paragraphs = [
                replace(p, content_start=p.start, content_end=p.end, is_marker=False) for p in paragraphs
            ]
        joins = self._joins(document.text, paragraphs, whole)
        # a re-joined paragraph may itself repeat a kept one (both halves were
        # pieces of it): then the halves go instead, and the joins are redone
        for _ in range(3):
            repeated = self._repeated_joins(document, paragraphs, items, joins, whole, external)
            if not repeated:
                break
            for decision in repeated:
                p = decision.item.paragraph
                decisions[p.index] = decision
                removals.append(
                    Removal(p.index, p.start, p.end, decision.kind, decision.score, decision.matches)
                )
                whole.add(p.index)
            removals.sort(key=lambda r: (r.start, r.end))
            joins = self._joins(document.text, paragraphs, whole)
        indexed = self._remember(items, decisions)
        pairs = {(j.head, j.tail) for j in joins}
        self._tables.used(chain(indexed, *external.values()))
        cleaned = "" if dropped else rewrite(document.text, paragraphs, whole, pairs)
        return Result(
            id=document.id,
            path=document.path,
            text=document.text,
            cleaned=cleaned,
            paragraphs=len(paragraphs),
            removed=tuple(removals),
            joins=tuple(joins),
            flags=tuple(_orphans(document.text, paragraphs, whole, joins)),
            near_copy_of=near_copy,
            made_by=self._stamp,
        )


def _orphans(text: str, paragraphs: list[Paragraph], removed: set[int], joins: list[Join]) -> Iterator[Flag]:
    """Kept body paragraphs that seem to start mid-sentence but repeat nothing."""
    tails = {j.tail for j in joins}
    for p in paragraphs:
        if p.index in removed or p.index in tails or p.shape != "body" or not p.has_content:
            continue
        body = text[p.content_start : p.content_end]
        first_stop = next((i for i, ch in enumerate(body) if ch in "。！？!?"), -1)
        if body[0] in "，、；：,;:)）”’》":
            yield Flag(p.index, p.content_start, p.content_end, "orphan", f"starts with {body[0]!r}")
        elif 0 < first_stop <= 8 and len(body) > 4 * first_stop:
            yield Flag(
                p.index,
                p.content_start,
                p.content_end,
                "orphan",
                f"opens with a {first_stop}-character sentence; it may begin mid-sentence",
            )


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


@contextmanager
def _tuned_for_a_run() -> Iterator[None]:
    """The interpreter set for a long batch run, and put back as it was after.

    Python's cyclic garbage collector now and then walks every object alive;
    the corpus indexes grow to millions of them, and those walks took a fifth
    of a big run: they are made rare (not stopped).  The worker pool's threads
    in this process (receiving results) take the GIL from the resolving thread
    every 5 ms by default; every 50 ms is enough to keep them fed.
    """
    threshold, interval = gc.get_threshold(), sys.getswitchinterval()
    gc.set_threshold(threshold[0], threshold[1], max(threshold[2], 1000))
    sys.setswitchinterval(max(interval, 0.05))
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        sys.setswitchinterval(interval)


def run(documents: Iterable[Document], config: Config | None = None, workers: int = 1) -> Iterator[Result]:
    """Clean documents in order, each against itself and the documents before it."""
    config = config or Config()
    corpus = _Corpus(config)
    with _tuned_for_a_run():
        for extracted in extract_all(documents, config, workers):
            yield corpus.resolve(extracted)


__all__ = ["Extracted", "default_workers", "extract_all", "run"]
