"""resolver: a run resolved in a process of its own gives what one process gives, result by result;
its errors reach the caller, and it leaves nothing behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from dedup.config import Config
from dedup.matching.features import Extracted, Extractor
from dedup.records import Document, Result
from dedup.run import parallel, resolver
from dedup.run.packing import pack_results, unpack_results
from dedup.run.resolver import resolve_all


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "CHUNK_SIZE", 8)  # (read when a run starts, before the pool forks)


def _documents(case_texts: list[str]) -> list[Document]:
    # every case twice: the second copies are removed against the first
    documents = [Document(str(number), text, "cases") for number, text in enumerate(case_texts * 2)]
    assert len(documents) > 4 * parallel.CHUNK_SIZE, "one chunk is resolved in the caller's process"
    return documents


@pytest.mark.parametrize("offsets", [True, False])
def test_resolved_elsewhere_as_in_one_process(case_texts: list[str], offsets: bool) -> None:
    documents = _documents(case_texts)
    alone = list(resolve_all(documents, Config(), 1, offsets))
    assert list(resolve_all(documents, Config(), 2, offsets)) == alone
    assert list(resolve_all(documents, Config(), 3, offsets)) == alone
    assert {r.kind for result in alone for r in result.removed} >= {"exact", "fragment", "marker"}
    assert any(result.joins for result in alone) and any(result.near_copy_of for result in alone)


def test_a_corpus_loaded_ahead_resolves_as_one_that_was_not(case_texts: list[str]) -> None:
    """``Corpus.load_ahead`` (what the resolving process does while it waits for its first chunk)
    only makes sooner what the first joins would make: the same results, joins included."""
    from dedup.run.corpus import Corpus

    config = Config()
    numbered = list(enumerate(_documents(case_texts)))
    with Corpus(config) as plain, Corpus(config) as ahead:
        ahead.load_ahead()
        assert ahead._extractor is not None and plain._extractor is None
        # (extracted for each: a corpus takes the signatures of what it keeps)
        results = [plain.clean(it) for it in Extractor(config).many(numbered)]
        assert [ahead.clean(it) for it in Extractor(config).many(numbered)] == results
    assert any(result.joins for result in results)


def test_results_travel_as_rows_and_come_back_the_same(case_texts: list[str]) -> None:
    documents = _documents(case_texts)
    results = list(resolve_all(documents, Config(), 1))
    rows = pack_results(results)
    assert unpack_results(rows, documents) == results
    # an unchanged text travels once, as its document (the row says so with None)
    unchanged = [n for n, result in enumerate(results) if not result.changed]
    assert unchanged and all(rows[n][0] is None for n in unchanged)
    assert all(unpack_results(rows, documents)[n].cleaned is documents[n].text for n in unchanged)


def _dying_resolve_chunk(task: object) -> object:
    os._exit(7)


def _no_run_directories() -> list[str]:
    return [name for name in os.listdir(tempfile.gettempdir()) if name.startswith("dedup-run-")]


@pytest.fixture
def own_tempdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_an_error_in_a_worker_reaches_the_caller_through_the_resolving_process(
    case_texts: list[str], monkeypatch: pytest.MonkeyPatch, own_tempdir: Path
) -> None:
    documents = _documents(case_texts)
    many = Extractor.many

    def failing(self: Extractor, numbered: Sequence[tuple[int, Document]]) -> list[Extracted]:
        # (wherever the chunk is extracted: the pool forks after the patch)
        if any(document.id == "60" for _, document in numbered):
            raise ValueError("no features for 60")
        return many(self, numbered)

    monkeypatch.setattr(Extractor, "many", failing)
    done: list[Result] = []
    with pytest.raises(ValueError, match="no features for 60"):
        for result in resolve_all(documents, Config(), 2):
            done.append(result)
    # the documents before the failing one's chunk were resolved and given, in order
    assert [r.id for r in done] == [d.id for d in documents[: len(done)]]
    assert 0 < len(done) <= 60
    assert _no_run_directories() == []


def test_a_resolving_process_that_dies_is_an_error_and_leaves_no_directory(
    case_texts: list[str], monkeypatch: pytest.MonkeyPatch, own_tempdir: Path
) -> None:
    monkeypatch.setattr(resolver, "resolve_chunk", _dying_resolve_chunk)
    with pytest.raises(RuntimeError, match="process died"):
        list(resolve_all(_documents(case_texts), Config(), 2))
    assert _no_run_directories() == []


def test_a_run_that_spills_in_the_resolving_process_leaves_no_directory(
    case_texts: list[str], own_tempdir: Path
) -> None:
    documents = _documents(case_texts)
    config = Config().replace(memory_budget="48KB")
    spilled: set[str] = set()
    results = []
    for result in resolve_all(documents, config, 2):
        results.append(result)
        spilled.update(
            str(path.relative_to(own_tempdir)) for path in own_tempdir.glob("dedup-run-*/dedup-spill-*")
        )
    assert spilled, "the resolving process never spilled"
    assert results == list(resolve_all(documents, Config(), 1))
    assert _no_run_directories() == [] and list(own_tempdir.iterdir()) == []
