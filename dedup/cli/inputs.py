"""What ``scan`` and ``clean`` read, and their results as they come.

The pipeline (and with it jieba and datasketch) is imported only when a run
starts, so that ``dedup --help`` stays fast.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence

import dedup
from dedup import files as dio
from dedup.config import Config
from dedup.errors import UsageError
from dedup.files import Record
from dedup.records import Document, Result


def sources(paths: Sequence[str], input_format: dio.InputFormat) -> list[dio.Source]:
    """The input files named or found under ``paths``; Parquet support is checked
    before anything is read."""
    if list(paths).count(dio.STDIN) > 1:
        raise UsageError("standard input (-) given more than once")
    found = dio.discover(paths, input_format)
    if any(s.kind == "parquet" for s in found):
        dio.need_pyarrow("reading")  # before anything is read
    return found


def results(
    records: Iterable[Record], config: Config, workers: int | None, offsets: bool = True
) -> Iterator[tuple[Record, Result]]:
    """Each record with its result (``dedup.clean`` streams them in input order);
    ``offsets``: whether matches need their exact regions (a report)."""
    pending: deque[Record] = deque()

    def documents() -> Iterator[Document]:
        for record in records:
            pending.append(record)
            yield record.document

    if workers is None:
        from dedup.run import default_workers  # heavy: only once a run starts

        workers = default_workers()
    for result in dedup.clean(documents(), config, workers, offsets):
        yield pending.popleft(), result
