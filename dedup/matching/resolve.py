"""Decisions: which redundant paragraphs of a document go, in which order, and
whether the article as a whole is a near-copy of an earlier one.

Redundant paragraphs (``verify.evaluate``) are removed one at a time
(``resolve_document``), the most degraded first (``_Resolution.key``), and the rest
are re-checked against what is still kept, so of two copies one always
survives and a fragment or splice goes only when everything in it is kept
elsewhere.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Mapping, Sequence
from itertools import takewhile
from typing import TYPE_CHECKING

from dedup.config import Config
from dedup.matching.candidates import Candidates, local_candidates
from dedup.matching.item import Item
from dedup.matching.verify import Decision, Masks, evaluate
from dedup.records import NearCopy

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison

#: a document id's place in the corpus order, the earlier the smaller (a run:
#: its input position; the pre-commit check: its path)
DocumentOrder = Callable[[str], "SupportsRichComparison"]

#: a label of a box or figure (核心阅读, 2.5%) is a few characters long
LABEL_MAX_CHARS = 6
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
#: punctuation that makes a line a statement (a key and its value, a clause), not a label
_LABEL_BREAK = re.compile(r"[：:，,；;、。]")


def _is_label(it: Item) -> bool:
    """A short heading-shaped line of the front matter (``take_labels``)."""
    return it.front_matter and it.paragraph.shape == "heading" and it.size <= LABEL_MAX_CHARS


def _rank(decision: Decision, config: Config) -> tuple[float, ...]:
    """What a redundant paragraph's removal priority (``_Resolution.key``) owes to
    its decision alone, negated (the queue is a min-heap)."""
    p = decision.item
    if config.keep == "first":
        return (-round(decision.coverage, 3),)
    # Of two paragraphs that cover each other, the one cut out of a longer text
    # goes first, then the one with less text of its own (the less complete
    # copy), then the larger (removing it leaves less text repeated).
    # (one character is the broken edge word of a fragment cut mid-word).
    # Of two edited copies, the noisier one (stray spaces, mixed-width
    # punctuation and digits) is the degraded copy: its OCR slips and inserted
    # phrases are not text worth keeping over the clean copy.
    unique = max(0, decision.unique - 1)
    # Furniture goes before the copy in the article's flow: a deck, pull quote or
    # box line repeats the body by design.
    furniture = int(p.front_matter or p.highlight)
    return (-furniture, -p.ragged, -_noisier(decision), unique, -p.size, -p.noise)


def _noisier(decision: Decision) -> int:
    """1 when an edited copy is clearly noisier than the copy it repeats (half
    again as many signs of degradation per character, and at least one per
    hundred more), else 0: a text that uses half-width commas throughout is not
    degraded for it."""
    if decision.kind != "near" or len(decision.cover) != 1:
        return 0
    p, q = decision.item, decision.cover[0]
    if not p.size or not q.size:
        return 0
    mine, theirs = p.noise / p.size, q.noise / q.size
    return int(mine > 1.5 * theirs + 0.01)


class _Resolution:
    """One document's paragraphs on their way to a decision: those still kept
    (``alive``), those removed, and the verdicts still valid (``cache``).

    Every step is bounded by the candidates it concerns, not by the length of
    the document: the paragraphs to verify are held in ``open``, the redundant
    ones waiting for removal in a heap by priority (``queue``: stale entries
    are skipped), and who leans on whom is indexed both ways (``users``)."""

    def __init__(
        self, items: Sequence[Item], external: Candidates, config: Config, local: Candidates
    ) -> None:
        self.external = external
        self.config = config
        self.local = local
        self.alive = {it.paragraph.index: it for it in items}
        self.removed: dict[int, Decision] = {}
        self.cache: dict[int, Decision | None] = {}
        #: each redundant paragraph's ``_rank`` (the start of its ``key``)
        self.ranks: dict[int, tuple[float, ...]] = {}
        self.memo: Masks = {}
        self.rechecked: set[int] = set()
        #: paragraphs without a valid verdict
        self.open: set[int] = set(self.alive)
        #: kept paragraphs found redundant (with ``removed``: those ``key`` calls flagged)
        self.pending: set[int] = set()
        self.queue: list[tuple[tuple[float, ...], int]] = []
        #: the ``key`` each waiting paragraph was last queued with: its key now, since a
        #: key changes only in ``_flag``, which queues the paragraphs it changes
        self.queued: dict[int, tuple[float, ...]] = {}
        #: paragraphs whose priority may have changed since they were last queued
        self.moved: set[int] = set()
        #: paragraph -> the paragraphs that have it among their candidates
        self.users: dict[int, list[int]] = {}
        for index, candidates in local.items():
            for q in candidates:
                self.users.setdefault(q.paragraph.index, []).append(index)
        #: kept paragraphs with a removed candidate, not asked again yet (``reopen_stale``)
        self.touched: set[int] = set()

    def decide_open(self) -> None:
        """Verify the kept paragraphs without a valid verdict (in document order)."""
        local, external, config, cache, memo = self.local, self.external, self.config, self.cache, self.memo
        alive, ranks, flag, pending = self.alive, self.ranks, self._flag, self.pending
        for index in sorted(self.open):
            it = alive[index]
            mine = local[index]
            outside = external.get(index)
            if not mine and outside is None:
                cache[index] = None
                if index in pending:  # (else flagging it kept changes nothing)
                    flag(index, None)
                continue
            if outside is None or it.is_title:
                outside = []
            kept_local = [q for q in mine if q.paragraph.index in alive]
            decision = evaluate(it, kept_local + outside, config, cross_doc=bool(outside), memo=memo)
            cache[index] = decision
            if decision is not None:
                ranks[index] = _rank(decision, config)
            flag(index, decision)
        self.open.clear()
        self._queue_moved()

    def _flag(self, index: int, decision: Decision | None) -> None:
        """Record a verdict: a redundant paragraph is to (re)enter the queue, and so are
        its neighbours, whose priorities follow when it enters or leaves ``pending``
        (queued once, by ``_queue_moved``, when the verdicts of a pass are all in)."""
        pending = self.pending
        was = index in pending
        if decision is not None:
            pending.add(index)
            self.moved.add(index)
        else:
            pending.discard(index)
        if was != (decision is not None):
            self.moved.add(index - 1)
            self.moved.add(index + 1)

    def _queue_moved(self) -> None:
        """Queue each waiting paragraph whose priority a pass may have changed, once, with its
        priority now (a paragraph flagged and its neighbour flagged after it would otherwise
        be queued twice, the first entry stale before it is ever read)."""
        pending = self.pending
        for index in self.moved:
            if index in pending:
                self._push(index)
        self.moved.clear()

    def key(self, index: int) -> tuple[float, ...]:
        """Where a redundant paragraph stands in the removal queue (a min-heap): its
        priority negated, so that the greatest priority is removed first.  The
        priority is its rank (``_rank``), then, of equals, the one among more
        flagged neighbours (redundant: waiting or removed), then the later one."""
        if self.config.keep == "first":
            return self.ranks[index] + (-index,)
        pending, removed = self.pending, self.removed
        before, after = index - 1, index + 1
        neighbours = (before in pending or before in removed) + (after in pending or after in removed)
        return self.ranks[index] + (-neighbours, -index)

    def _push(self, index: int) -> None:
        key = self.queued[index] = self.key(index)
        heapq.heappush(self.queue, (key, index))

    def reopen_stale(self) -> bool:
        """Removals can also make a paragraph redundant (a cover that leaned on
        two overlapping copies becomes valid once one is gone): those next to a
        removal are asked again (once) before the document is done.  Whether
        there were any."""
        stale = [i for i in self.touched if i in self.alive and i not in self.rechecked]
        self.touched.clear()
        for i in stale:
            del self.cache[i]
            self.rechecked.add(i)
            self.open.add(i)
        return bool(stale)

    def remove_next(self) -> None:
        """Remove the redundant paragraph of greatest priority.  Fewer kept
        paragraphs never make a paragraph redundant, and a decision whose cover
        is still kept still holds: only those that leaned on the removed
        paragraph are decided again (at once, as they may change the order)."""
        queue, pending, queued = self.queue, self.pending, self.queued
        # an entry still holds while its paragraph waits with that priority (else it is stale)
        while (entry := queue[0])[1] not in pending or entry[0] != queued[entry[1]]:
            heapq.heappop(queue)
        _, index = heapq.heappop(queue)
        best = self.cache[index]
        assert best is not None
        self.removed[index] = best
        self.pending.discard(index)
        del self.alive[index]
        del self.cache[index]
        cache, gone, rechecked = self.cache, best.item, self.rechecked
        for other in self.users.get(index, ()):
            decided = cache.get(other)
            # (items compare by identity)
            if decided is not None and gone in decided.cover:
                del cache[other]
                self.open.add(other)
            if other not in rechecked:
                self.touched.add(other)
        if self.open:
            self.decide_open()

    def take_labels(self, items: Sequence[Item]) -> None:
        """A short line of the front matter that labels the paragraphs after it (a box's
        ``核心阅读`` over its lines, a figure over its caption: up to the next label or the end of
        the front matter) goes when all it labels goes, if every number it states is in those
        paragraphs: it heads nothing any more."""
        for position, it in enumerate(items):
            index = it.paragraph.index
            if index not in self.alive or not _is_label(it):
                continue
            if _LABEL_BREAK.search(it.key.source.strip()):
                continue  # 场合：… is a line of facts, not a label
            labelled = list(takewhile(lambda q: q.front_matter and not _is_label(q), items[position + 1 :]))
            if not labelled or any(q.paragraph.index not in self.removed for q in labelled):
                continue
            if all(any(n in q.key.text for q in labelled) for n in _NUMBER.findall(it.key.text)):
                self.removed[index] = Decision(it, "label", 1.0, 1.0)
                del self.alive[index]

    def final_evidence(self) -> dict[int, Decision]:
        """The removals, each pointing at paragraphs that are kept.

        A paragraph removed early may have matched one removed later (two copies of
        a fragment); its evidence is redone against what survived, so a report never
        sends the reader to text that is gone.
        """
        alive, local, external, config = self.alive, self.local, self.external, self.config
        final: dict[int, Decision] = {}
        for index, decision in self.removed.items():
            it = decision.item
            doc_id = it.doc_id
            if all(q.doc_id != doc_id or q.paragraph.index in alive for q in decision.cover):
                final[index] = decision
                continue
            kept = [q for q in local[index] if q.paragraph.index in alive]
            outside = [] if it.is_title else external.get(index, [])
            redone = evaluate(it, kept + outside, config, cross_doc=bool(outside), memo=self.memo)
            final[index] = redone if redone is not None else decision
        return final


def resolve_document(
    items: Sequence[Item],
    external: Candidates,
    config: Config,
    local: Candidates | None = None,
) -> dict[int, Decision]:
    """Decide which paragraphs of one document are redundant.

    ``items`` are the document's paragraphs with content; ``external`` maps a
    paragraph index to kept paragraphs of earlier documents that may cover it;
    ``local`` (computed when not given) to the document's own paragraphs that
    share a shingle with it.  Returns the decisions by paragraph index.
    """
    resolution = _Resolution(items, external, config, local_candidates(items) if local is None else local)
    resolution.decide_open()
    while True:
        if resolution.pending:
            resolution.remove_next()
        elif resolution.reopen_stale():
            resolution.decide_open()
        else:
            resolution.take_labels(items)
            return resolution.final_evidence()


def repeated_share(items: Sequence[Item], decisions: Mapping[int, Decision]) -> dict[str, float]:
    """For each other document, the share of this document's text (its title
    aside) that its removed paragraphs take from it: how much of an article is
    a copy of which earlier one."""
    body = [it for it in items if not it.is_title]
    total = sum(it.size for it in body)
    shared: dict[str, int] = {}
    if not total:
        return {}
    for it in body:
        decision = decisions.get(it.paragraph.index)
        if decision is None:
            continue
        for source in {q.doc_id for q in decision.cover if q.doc_id != it.doc_id}:
            shared[source] = shared.get(source, 0) + round(it.size * decision.coverage)
    return {source: min(1.0, chars / total) for source, chars in shared.items()}


def near_copy(
    items: Sequence[Item], decisions: Mapping[int, Decision], config: Config, order: DocumentOrder
) -> NearCopy | None:
    """The earlier article this one mostly repeats, when one earlier article
    holds at least ``near_copy_threshold`` of its text: the one holding most;
    of equals, the first in ``order``.  What to do with it is
    ``config.duplicate_articles``."""
    shares = repeated_share(items, decisions)
    if not shares:
        return None
    source, similarity = min(shares.items(), key=lambda kv: (-kv[1], order(kv[0])))
    if similarity < config.near_copy_threshold:
        return None
    return NearCopy(id=source, similarity=round(similarity, 4), action=config.duplicate_articles)
