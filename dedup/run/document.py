"""One document, resolved: given its features and its candidates from earlier
documents, what is removed, what is joined, and the cleaned text.

This is the one place where the stages meet for a document, used by every path
that cleans or checks: ``dedup clean`` (``run.corpus``, in input order), the
pre-commit check, and any engine that gathers candidates its own way.  It
depends on its arguments alone, never on what a run has seen before, in named
steps:

1. decisions (``matching.resolve``) and the near-copy article decision;
2. removals: redundant paragraphs and continuation markers, or the whole
   article when a near-copy is dropped;
3. joins between kept paragraphs (``text.joins``), and a check that no join
   re-creates a repeat (its halves go instead, and the joins are redone);
4. the cleaned text (``text.rewrite``) and the flags of orphan paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise

from dedup.config import Config, stamp
from dedup.matching.candidates import Candidates, DocumentPostings
from dedup.matching.features import Extracted, key_shingles
from dedup.matching.item import Item
from dedup.matching.resolve import DocumentOrder, near_copy, resolve_document
from dedup.matching.verify import Decision, evaluate
from dedup.records import Document, Flag, Join, NearCopy, Paragraph, Removal, Result
from dedup.text.joins import decide_join, join_lines, joined
from dedup.text.layout import Layout
from dedup.text.normalize import normalize
from dedup.text.rewrite import rewrite_page
from dedup.text.shape import HEADING_MAX_CHARS, shape_of

#: a sentence's end, as ``_orphans`` looks for the first one
_STOP = re.compile("[。！？!?]")

#: characters of a joined tail a join decision reads (its first words), more than a heading holds
JOIN_WINDOW = 4 * HEADING_MAX_CHARS


@dataclass(frozen=True, slots=True)
class Resolution:
    """A resolved document: its ``Result``, and the decisions behind the
    removal of its redundant paragraphs, by paragraph index (the paragraphs
    without one are kept, unless the whole article is dropped as a near-copy)."""

    result: Result
    decisions: dict[int, Decision]
    #: the paragraphs its joins make (``joined_paragraphs``), when already made (checking
    #: that no join repeats a kept paragraph made them), else ``None``
    joined: list[Item] | None = None

    # written out, not left to ``dataclass``: compiled, it is C (``records`` says why)
    def __init__(
        self, result: Result, decisions: dict[int, Decision], joined: list[Item] | None = None
    ) -> None:
        object.__setattr__(self, "result", result)
        object.__setattr__(self, "decisions", decisions)
        object.__setattr__(self, "joined", joined)


def clean_document(
    extracted: Extracted, external: Candidates, config: Config, order: DocumentOrder, offsets: bool = True
) -> Resolution:
    """Resolve one document against itself and ``external``: for each paragraph
    index, kept paragraphs of earlier documents that may cover it
    (``matching.candidates.earlier_candidates``).  ``order`` places the
    documents of those paragraphs in the corpus (of two earlier articles this
    one repeats equally, the first is named its source).  Without ``offsets``
    each removal's matches span their whole source paragraphs (``Decision.sources``:
    for a run that writes no report; the cleaned text is the same)."""
    document, items = extracted.document, extracted.items
    decisions, copy = _decide(extracted, external, config, order)
    removals = _removals(extracted.paragraphs, decisions, config, offsets)
    whole: set[int] = set()
    if removals:  # (most documents of a corpus with little redundancy have none)
        spans = {p.index: (p.start, p.end) for p in extracted.paragraphs}
        whole = {r.paragraph for r in removals if (r.start, r.end) == spans[r.paragraph]}
    dropped = copy is not None and copy.action == "drop"
    if copy is not None and dropped:
        removals = _drop_article(extracted.paragraphs, removals, whole, copy.similarity)
    paragraphs = extracted.paragraphs
    if not config.remove_markers:
        paragraphs = [
            replace(p, content_start=p.start, content_end=p.end, is_marker=False) for p in paragraphs
        ]
    layout = extracted.layout
    joins = _joins(document.text, paragraphs, whole, config, layout)
    # a re-joined paragraph may itself repeat a kept one (both halves were
    # pieces of it): then the halves go instead, and the joins are redone
    made: list[Item] | None = None
    for _ in range(3):
        repeated, made = _repeated_joins(document, items, joins, whole, external, config)
        if not repeated:
            break
        made = None  # the joins are redone
        _remove_joined(repeated, decisions, removals, whole, offsets)
        joins = _joins(document.text, paragraphs, whole, config, layout)
    pairs = {(j.head, j.tail) for j in joins}
    result = Result(
        id=document.id,
        path=document.path,
        text=document.text,
        cleaned="" if dropped else rewrite_page(document.text, paragraphs, whole, pairs, layout),
        paragraphs=len(paragraphs),
        layout=layout,
        removed=tuple(removals),
        joins=tuple(joins),
        flags=tuple(_orphans(document.text, paragraphs, whole, joins)),
        near_copy_of=copy,
        made_by=made_by(config),
    )
    return Resolution(result, decisions, made)


def made_by(config: Config) -> str:
    """What made a result: ``config.stamp`` of the config's fingerprint (versions included)."""
    # asked once per document: the config of the last call is recognised by identity
    # (hashing a frozen Config walks all its fields)
    last = _last_stamp.get("last")
    if last is not None and last[0] is config:
        return last[1]
    made = _stamp_of(config)
    _last_stamp["last"] = (config, made)
    return made


_last_stamp: dict[str, tuple[Config, str]] = {}


@lru_cache(maxsize=8)
def _stamp_of(config: Config) -> str:
    return stamp(config.fingerprint())


def _decide(
    extracted: Extracted, external: Candidates, config: Config, order: DocumentOrder
) -> tuple[dict[int, Decision], NearCopy | None]:
    """The redundant paragraphs, and whether the article is a near-copy of an
    earlier one; a near-copy kept by policy is resolved against itself alone."""
    items = extracted.items
    by_index = {it.paragraph.index: it for it in items}
    item_at = by_index.__getitem__
    local = {i: list(map(item_at, js)) for i, js in extracted.local.items()}
    decisions = resolve_document(items, external, config, local)
    copy = near_copy(items, decisions, config, order) if external else None
    if copy is not None and copy.action == "keep":
        decisions = resolve_document(items, {}, config, local)
    return decisions, copy


def _removals(
    paragraphs: Sequence[Paragraph], decisions: dict[int, Decision], config: Config, offsets: bool
) -> list[Removal]:
    """Redundant paragraphs, and continuation markers (whole paragraphs, or at a paragraph's edges)."""
    removals: list[Removal] = []
    markers = config.remove_markers
    if not decisions and not markers:
        return removals
    for p in paragraphs:
        decision = decisions.get(p.index)
        if decision is not None:
            removals.append(
                Removal(p.index, p.start, p.end, decision.kind, decision.score, decision.found_in(offsets))
            )
        elif p.is_marker and markers:
            removals.append(Removal(p.index, p.start, p.end, "marker", 1.0))
        elif markers:
            if p.content_start > p.start:
                removals.append(Removal(p.index, p.start, p.content_start, "marker", 1.0))
            if p.content_end < p.end:
                removals.append(Removal(p.index, p.content_end, p.end, "marker", 1.0))
    return removals


def _drop_article(
    paragraphs: Sequence[Paragraph], removals: list[Removal], whole: set[int], similarity: float
) -> list[Removal]:
    """The removals of a near-copy article dropped whole: every paragraph not
    already removed whole goes as ``near`` (adds them to ``whole``)."""
    dropped = [p for p in paragraphs if p.index not in whole]
    # the whole paragraph goes: its marker spans are part of it
    gone = {p.index for p in dropped}
    removals = [r for r in removals if r.paragraph not in gone]
    for p in dropped:
        removals.append(Removal(p.index, p.start, p.end, "near", similarity))
        whole.add(p.index)
    removals.sort(key=lambda r: (r.start, r.end))
    return removals


def _remove_joined(
    repeated: list[Decision],
    decisions: dict[int, Decision],
    removals: list[Removal],
    whole: set[int],
    offsets: bool,
) -> None:
    """Remove the halves of joins found repeated (adds to all three)."""
    for decision in repeated:
        p = decision.item.paragraph
        decisions[p.index] = decision
        removals.append(
            Removal(p.index, p.start, p.end, decision.kind, decision.score, decision.found_in(offsets))
        )
        whole.add(p.index)
    removals.sort(key=lambda r: (r.start, r.end))


def _joins(
    text: str, paragraphs: list[Paragraph], removed: set[int], config: Config, layout: Layout
) -> list[Join]:
    """Joins between consecutive kept paragraphs (whatever was removed between
    them, so that cleaning the cleaned text joins nothing more).  Decided from
    the last pair back to the first: a tail that is itself joined to what
    follows is judged as the whole paragraph it becomes.  A page with one
    paragraph per line has its own, stricter rule (``text.joins.join_lines``)."""
    if not config.join_broken:
        return []
    if layout != "blank-lines":
        return join_lines(text, paragraphs, removed, config.segmenter)
    kept = [p for p in paragraphs if p.index not in removed and p.has_content]
    first_index = next((p.index for p in paragraphs if p.has_content), -1)
    in_title_zone: dict[int, bool] = {}
    seen_body = False
    for p in kept:
        in_title_zone[p.index] = not seen_body
        seen_body = seen_body or p.shape == "body"
    # what a tail becomes once joined to what follows: its start is all a join
    # decision reads, and its length decides its shape when longer than a
    # heading (so a chain of joins costs linear time in its length)
    opening: dict[int, str] = {}
    length: dict[int, int] = {}
    joins: list[Join] = []
    for head, tail in reversed(list(pairwise(kept))):
        own = text[tail.content_start : tail.content_end]
        tail_text = opening.get(tail.index, own)
        tail_shape = tail.shape
        if tail.index in opening:
            tail_shape = "body" if length[tail.index] > HEADING_MAX_CHARS else shape_of(tail_text)
        verdict = decide_join(
            text[head.content_start : head.content_end],
            tail_text,
            head.shape,
            tail_shape,
            is_title=head.index == first_index,
            in_title_zone=in_title_zone[head.index],
            segmenter=config.segmenter,
        )
        if verdict.join:
            opening[head.index] = (text[head.content_start : head.content_end] + tail_text)[:JOIN_WINDOW]
            length[head.index] = head.content_end - head.content_start + length.get(tail.index, len(own))
            joins.append(joined(head, tail, verdict))
    return joins[::-1]


def _chains(joins: list[Join]) -> list[list[int]]:
    """The runs of paragraphs that joins make one, as paragraph indices."""
    chains: list[list[int]] = []
    for join in joins:
        if chains and chains[-1][-1] == join.head:
            chains[-1].append(join.tail)
        else:
            chains.append([join.head, join.tail])
    return chains


def _joined(document: Document, parts: list[Item], config: Config) -> Item:
    """The paragraph that a run of joined ones makes, as an item to verify."""
    head, tail = parts[0].paragraph, parts[-1].paragraph
    pieces = [document.text[it.paragraph.content_start : it.paragraph.content_end] for it in parts]
    # where each later piece starts in the joined text, and how much further on it
    # stands in the document (the blank lines and markers between the pieces)
    breaks: list[tuple[int, int]] = []
    at = len(pieces[0])
    for it, piece in zip(parts[1:], pieces[1:], strict=True):
        breaks.append((at, it.paragraph.content_start - head.content_start - at))
        at += len(piece)
    text = "".join(pieces)
    key = replace(normalize(text, head.content_start), breaks=tuple(breaks))
    shingled = key_shingles(key.text, config)
    return Item(
        document.id,
        replace(head, end=tail.end, content_end=tail.content_end, shape="body"),
        key,
        shingled,
        shingled.distinct,
        0,
    )


def joined_paragraphs(extracted: Extracted, joins: Sequence[Join], config: Config) -> list[Item]:
    """The paragraphs that ``joins`` make of the document's pieces, as items: what
    its cleaned copy holds in their place (``run.corpus`` keeps them for later
    documents, so that a later copy of a paragraph the page broke is found)."""
    by_index = {it.paragraph.index: it for it in extracted.items}
    made: list[Item] = []
    for run in _chains(list(joins)):
        parts = [by_index[i] for i in run if i in by_index]
        if len(parts) == len(run):
            made.append(_joined(extracted.document, parts, config))
    return made


def _repeated_joins(
    document: Document,
    items: Sequence[Item],
    joins: list[Join],
    removed: set[int],
    external: Candidates,
    config: Config,
) -> tuple[list[Decision], list[Item]]:
    """Decisions removing the halves of joined paragraphs whose joined text is
    redundant with a paragraph that is kept: one of the document's other kept
    paragraphs sharing a shingle with it (found through the document's
    postings, as any paragraph's candidates are), or one of the candidates
    from earlier documents of its halves; and the joined paragraphs
    (``joined_paragraphs``)."""
    made: list[Item] = []
    if not joins:
        return [], made
    by_index = {it.paragraph.index: it for it in items}
    position_of = {it.paragraph.index: position for position, it in enumerate(items)}
    postings = DocumentPostings(items)
    kept: dict[int, list[int]] = {}

    def kept_members(group: int) -> list[int]:
        if group not in kept:
            kept[group] = [q for q in postings.groups[group] if items[q].paragraph.index not in removed]
        return kept[group]

    found: list[Decision] = []
    for run in _chains(joins):
        parts = [by_index[i] for i in run if i in by_index]
        if len(parts) != len(run):
            continue
        joined_item = _joined(document, parts, config)
        made.append(joined_item)
        inside = {position_of[i] for i in run}
        others = [items[q] for q in postings.sharing(joined_item.distinct, kept_members, inside)]
        outside = [q for i in run for q in external.get(i, [])]
        decision = evaluate(joined_item, others + outside, config, cross_doc=bool(outside))
        if decision is None:
            continue
        for it in parts:
            found.append(
                Decision(it, "fragment", decision.score, decision.coverage, decision.cover, decision.unique)
            )
    return found, made


def _orphans(text: str, paragraphs: list[Paragraph], removed: set[int], joins: list[Join]) -> Iterator[Flag]:
    """Kept body paragraphs that seem to start mid-sentence but repeat nothing."""
    tails = {j.tail for j in joins}
    for p in paragraphs:
        if p.index in removed or p.index in tails or p.shape != "body" or not p.has_content:
            continue
        # only its opening is read: a first sentence of at most 8 characters counts
        opening = text[p.content_start : min(p.content_end, p.content_start + 9)]
        stop = _STOP.search(opening)
        first_stop = -1 if stop is None else stop.start()
        if opening[0] in "，、；：,;:)）”’》":
            yield Flag(p.index, p.content_start, p.content_end, "orphan", f"starts with {opening[0]!r}")
        elif 0 < first_stop <= 8 and p.content_end - p.content_start > 4 * first_stop:
            yield Flag(
                p.index,
                p.content_start,
                p.content_end,
                "orphan",
                f"opens with a {first_stop}-character sentence; it may begin mid-sentence",
            )
