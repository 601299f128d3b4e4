"""dedup as a datatrove pipeline step, next to datatrove's readers, filters and writers.

    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from dedup.adapters.datatrove_step import DedupCleaner

    pipeline = [JsonlReader("in/"), DedupCleaner(min_body_chars=20), JsonlWriter("out/")]

Each task of a datatrove executor cleans its own shard as one run (its documents
compared with each other, in order); documents are compared across shards only
when one task reads them all.  A near-copy to drop (``duplicate_articles =
"drop"``) and, with ``min_body_chars``, a document left with less body than that
are not passed on (counted in the step's stats); every other document goes on
with its cleaned text and the report in ``metadata["dedup"]``.  Needs the
``datatrove`` extra (``pip install 'dedup[datatrove]'``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any

from datatrove.data import Document as TroveDocument
from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

import dedup
from dedup.adapters.tables import report_values
from dedup.config import Config


class DedupCleaner(PipelineStep):  # type: ignore[misc]  # datatrove is untyped
    """Removes repeated paragraphs and re-joins broken ones in each document's text."""

    name = "dedup clean"
    type = "🧹 - FILTER"

    def __init__(self, config: Config | None = None, workers: int = 1, min_body_chars: int = 0) -> None:
        super().__init__()
        self.config = config
        self.workers = workers
        self.min_body_chars = min_body_chars

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if data is None:
            return
        pending: deque[TroveDocument] = deque()

        def documents() -> Iterator[dedup.Document]:
            for document in data:
                pending.append(document)
                yield dedup.Document(id=str(document.id), text=document.text)

        for result in dedup.clean(documents(), self.config, self.workers):
            document = pending.popleft()
            report: dict[str, Any] = report_values(result)
            self.stat_update("changed" if result.changed else "unchanged")
            if report["dedup_drop"] or result.body_chars < self.min_body_chars:
                self.stat_update("dropped")
                continue
            document.text = result.cleaned
            document.metadata["dedup"] = report
            self.update_doc_stats(document)
            yield document
