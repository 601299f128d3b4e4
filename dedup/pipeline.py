"""The only module that chains the stages.

Document -> paragraphs (segment) -> keys (normalize) -> words (tokenize) ->
shingles -> MinHash signatures -> candidates (index) -> decisions (match) ->
joins (repair) -> cleaned text (rewrite) -> Result.

Documents are processed in input order.  Cross-document redundancy is always
relative to *earlier* documents: the kept paragraphs of each finished document
enter the indexes, so the first copy seen in the corpus is the one kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from dedup.config import Config
from dedup.index import NearIndex, ShingleIndex
from dedup.match import Decision, Item, resolve_document
from dedup.normalize import normalize
from dedup.records import Document, Flag, Join, NearCopy, Paragraph, Removal, Result, Shingles
from dedup.repair import BARE_NUMERAL, CLAUSE, NOT_OPENING, decide_join, ends_open
from dedup.rewrite import rewrite
from dedup.segment import split_paragraphs
from dedup.shingle import shingles as make_shingles
from dedup.signature import sign
from dedup.tokenize import tokenize

#: how many earlier paragraphs sharing shingles are checked per paragraph
_MAX_EXTERNAL = 16


def _noise(raw: str) -> int:
    """Signs of a degraded copy: stray spaces, half-width punctuation amid
    Chinese, full-width digits and letters.  Of two equal copies the noisier
    one is removed."""
    count = 0
    for i, ch in enumerate(raw):
        if ch in " \u3000\t" and 0 < i < len(raw) - 1:
            count += 1
        elif ch in ",;:?!()" and i > 0 and not raw[i - 1].isascii():
            count += 1
        elif "\uff10" <= ch <= "\uff5a":
            count += 1
    return count


@dataclass
class _Corpus:
    config: Config
    near: NearIndex[Item] | None = None
    contain: ShingleIndex[Item] | None = None
    docs: int = 0

    def __post_init__(self) -> None:
        self._tokens: dict[str, Shingles] = {}
        self._ids: list[str] = []
        if self.config.scope == "corpus":
            self.near = NearIndex(self.config)
            self.contain = ShingleIndex()

    def _shingles(self, key: str) -> Shingles:
        cached = self._tokens.get(key)
        if cached is None:
            cached = make_shingles(tokenize(key, self.config.segmenter), self.config.shingle_size)
            if len(self._tokens) < 200_000:
                self._tokens[key] = cached
        return cached

    def _items(self, document: Document, paragraphs: list[Paragraph]) -> list[Item]:
        items: list[Item] = []
        seen_body = False
        for p in paragraphs:
            if not p.has_content:
                continue
            raw = document.text[p.content_start : p.content_end]
            key = normalize(raw, p.content_start)
            sh = self._shingles(key.text)
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
                    dangling=raw[-1] in "，,、",
                    is_bare_numeral=bool(BARE_NUMERAL.fullmatch(raw)),
                )
            )
            seen_body = seen_body or p.shape == "body"
        return items

    def _external(self, items: list[Item]) -> tuple[dict[int, list[Item]], list[object]]:
        if self.near is None or self.contain is None:
            return {}, []
        signable = [it for it in items if it.size >= self.config.min_chars and it.distinct]
        signatures = sign([sorted(it.distinct) for it in signable], self.config) if signable else []
        by_index = {it.paragraph.index: s for it, s in zip(signable, signatures, strict=True)}
        external: dict[int, list[Item]] = {}
        for it in items:
            found: dict[tuple[int, int], Item] = {}
            signature = by_index.get(it.paragraph.index)
            if signature is not None and len(self.near):
                for q in self.near.query(signature):
                    found[q.ref] = q
            for q in self.contain.query(it.distinct)[:_MAX_EXTERNAL]:
                found.setdefault(q.ref, q)
            if found:
                external[it.paragraph.index] = [found[r] for r in sorted(found)]
        return external, [by_index.get(it.paragraph.index) for it in items]

    def _remember(self, items: list[Item], signatures: list[object], removed: dict[int, Decision]) -> None:
        if self.near is None or self.contain is None:
            return
        for it, signature in zip(items, signatures, strict=True):
            if it.paragraph.index in removed:
                continue
            if signature is not None:
                self.near.add(it, signature)  # type: ignore[arg-type]
            self.contain.add(it, it.distinct)

    def _near_copy(self, items: list[Item], decisions: dict[int, Decision]) -> NearCopy | None:
        body = [it for it in items if not it.is_title]
        total = sum(it.size for it in body)
        if not total:
            return None
        shared: Counter[str] = Counter()
        for it in body:
            decision = decisions.get(it.paragraph.index)
            if decision is None:
                continue
            sources = {q.doc_id for q in decision.cover if q.doc_id != it.doc_id}
            for source in sources:
                shared[source] += round(it.size * decision.coverage)
        if not shared:
            return None
        source, chars = max(shared.items(), key=lambda kv: (kv[1], -self._ids.index(kv[0])))
        similarity = min(1.0, chars / total)
        if similarity < self.config.near_copy_threshold:
            return None
        return NearCopy(id=source, similarity=round(similarity, 4), action=self.config.duplicate_articles)

    def _joins(self, document: Document, paragraphs: list[Paragraph], removed: set[int]) -> list[Join]:
        if not self.config.join_broken:
            return []
        text = document.text
        kept = [p for p in paragraphs if p.index not in removed and p.has_content]
        joins: list[Join] = []
        seen_body = False
        first_index = next((p.index for p in paragraphs if p.has_content), -1)
        for head, tail in zip(kept, kept[1:]):
            in_title_zone = not seen_body
            seen_body = seen_body or head.shape == "body"
            head_text = text[head.content_start : head.content_end]
            tail_text = text[tail.content_start : tail.content_end]
            verdict = decide_join(
                head_text,
                tail_text,
                head.shape,
                tail.shape,
                is_title=head is kept[0] and head.index == first_index,
                in_title_zone=in_title_zone,
                segmenter=self.config.segmenter,
            )
            if verdict.join:
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
        return joins

    def process(self, document: Document) -> Result:
        doc_index = self.docs
        self.docs += 1
        self._ids.append(document.id)
        paragraphs = split_paragraphs(document.text, doc_index)
        items = self._items(document, paragraphs)
        external, signatures = self._external(items)
        decisions = resolve_document(items, external, self.config)
        near_copy = self._near_copy(items, decisions) if external else None
        if near_copy is not None and near_copy.action == "keep":
            decisions = resolve_document(items, {}, self.config)
        self._remember(items, signatures, decisions)

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
        whole = {r.paragraph for r in removals if (r.start, r.end) == (paragraphs[r.paragraph].start, paragraphs[r.paragraph].end)}
        if near_copy is not None and near_copy.action == "drop":
            for p in paragraphs:
                if p.index not in whole:
                    removals.append(Removal(p.index, p.start, p.end, "near", near_copy.similarity))
                    whole.add(p.index)
            removals.sort(key=lambda r: (r.start, r.end))
        if not self.config.remove_markers:
            paragraphs = [
                _untrimmed(p) for p in paragraphs
            ]
        joins = self._joins(document, paragraphs, whole)
        cleaned = rewrite(document.text, paragraphs, whole, {(j.head, j.tail) for j in joins})
        if near_copy is not None and near_copy.action == "drop":
            cleaned = ""
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
        )


def _untrimmed(p: Paragraph) -> Paragraph:
    from dataclasses import replace

    return replace(p, content_start=p.start, content_end=p.end, is_marker=False)


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


def run(documents: Iterable[Document], config: Config | None = None) -> Iterator[Result]:
    """Clean documents in order, each against itself and the documents before it."""
    corpus = _Corpus(config or Config())
    for document in documents:
        yield corpus.process(document)
