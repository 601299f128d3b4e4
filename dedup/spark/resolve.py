"""A group of documents resolved in corpus order, as the local engine would.

A group is closed under "shares a key" (``spark.keys``): every earlier document
whose kept paragraphs the local engine could find for one of the group's
documents is in the group.  Resolving the group alone, in corpus order, with a
fresh ``run.corpus.Corpus`` therefore gives each document the same candidates,
in the same order, as the whole corpus in one process; by induction over the
corpus order, the same decisions.  The only other shared state, the order of
document ids (of two earlier articles repeated equally, the first is named the
source), is passed in: ``first``, the first position of each id in the whole
corpus.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from dedup.config import Config
from dedup.files.jsonl import json_bytes
from dedup.files.report import result_to_json
from dedup.matching.features import Extractor
from dedup.records import Document, Result
from dedup.run.corpus import Corpus

#: the columns of a cleaned document (``clean_dataframe``), as Spark DDL:
#: ``report`` is the report line (``dedup clean --report``) as written by the
#: local engine; the other columns are its fields
RESULT_DDL = (
    "pos long, id string, path string, cleaned string, changed boolean, dropped boolean, "
    "paragraphs int, layout string, "
    "removed array<struct<paragraph:int, start:int, end:int, kind:string, score:double, "
    "matches:array<struct<id:string, paragraph:int, start:int, end:int>>>>, "
    "joins array<struct<head:int, tail:int, start:int, end:int, score:double, evidence:array<string>>>, "
    "flags array<struct<paragraph:int, start:int, end:int, kind:string, note:string>>, "
    "near_copy_of struct<id:string, similarity:double, action:string>, "
    "made_by string, report string"
)


class GroupResolver:
    """Resolves documents given group by group, each group in corpus order: a
    new group starts a new ``Corpus`` (the extraction caches, which depend on
    the text alone, are kept)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._extractor = Extractor(config)
        self._group: object = None
        self._first: dict[str, int] = {}
        self._corpus = Corpus(config)

    def clean(self, group: object, position: int, document: Document, first: int) -> Result:
        """The result of ``document`` at ``position`` of the corpus, whose id is
        first at position ``first``, against the earlier documents of its group."""
        if group != self._group or self._corpus is None:
            self._group, self._first = group, {}
            first_of = self._first
            self._corpus = Corpus(self.config, order=lambda doc_id: first_of.get(doc_id, 0))
        self._first.setdefault(document.id, first)
        return self._corpus.clean(self._extractor(position, document))


def resolve_group(
    documents: Iterable[tuple[int, Document]], config: Config, first: Mapping[str, int]
) -> Iterator[tuple[int, Result]]:
    """Each document of one group, given in corpus order with its position,
    resolved against the group's earlier documents."""
    resolver = GroupResolver(config)
    for position, document in documents:
        yield position, resolver.clean(0, position, document, first.get(document.id, position))


def result_row(position: int, result: Result) -> dict[str, Any]:
    """A result as a row of ``RESULT_DDL``."""
    report = result_to_json(result)
    row = {k: v for k, v in report.items() if k != "made_by"}
    row["pos"] = position
    row["cleaned"] = result.cleaned
    row["dropped"] = result.near_copy_of is not None and result.near_copy_of.action == "drop"
    row["made_by"] = result.made_by
    row["report"] = json_bytes(report).decode("utf-8")
    return row
