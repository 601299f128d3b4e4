"""parallel: extraction by a pool gives what one process gives, item by item."""

from __future__ import annotations

from dedup.config import Config
from dedup.matching.features import Extracted
from dedup.records import Document
from dedup.run.parallel import CHUNK_SIZE, extract_all

#: what a worker sends back of an item (packed, then unpacked in the main process)
_SENT = (
    "doc_id",
    "paragraph",
    "key",
    "noise",
    "is_title",
    "in_title_zone",
    "ragged",
    "clauses",
    "plain",
    "dangling",
    "is_bare_numeral",
    "in_headline",
    "front_matter",
    "highlight",
    "quoted",
    "neighbours",
)


def _facts(extracted: Extracted) -> tuple[object, ...]:
    items = [
        (
            [getattr(it, name) for name in _SENT],
            [a.tolist() for a in (it.shingles.hashes, it.shingles.spans, it.distinct)],
            None if it.bands is None else it.bands.tolist(),
        )
        for it in extracted.items
    ]
    return (extracted.index, extracted.layout, extracted.paragraphs, items, extracted.local)


def test_a_pool_extracts_what_one_process_extracts(case_texts: list[str]) -> None:
    documents = [Document(str(number), text) for number, text in enumerate(case_texts * 6)]
    assert len(documents) > 2 * CHUNK_SIZE
    alone = [_facts(e) for e in extract_all(documents, Config(), 1)]
    pooled = [_facts(e) for e in extract_all(documents, Config(), 2)]
    assert pooled == alone
    assert any(it[0][_SENT.index("quoted")] for facts in alone for it in facts[3])  # type: ignore[attr-defined]
