"""The memory budget: a run whose kept paragraphs spill to disk decides exactly
as a run that keeps them all in memory.

Two corpora: every fixture input, and a generated corpus of edited copies,
fragments, splices and a stock phrase in many articles (its anchor postings
pass ``MAX_POSTINGS``).  Each runs with no budget, a budget of nothing (every
document's kept paragraphs spill at once: every lookup crosses both parts) and
a small budget (spills now and then), with one and two processes: outputs and
reports must be equal byte for byte.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from corpora import fixture_documents, generated_corpus

import dedup
from dedup import Config, Document
from dedup.config import budget_bytes
from dedup.errors import ConfigError
from dedup.files.report import result_to_json
from dedup.limits import MAX_POSTINGS
from dedup.run import parallel
from dedup.run.corpus import Corpus
from dedup.run.parallel import extract_all
from dedup.run.spill import SpillStore

BUDGETS = ("0", "48KB")


def _outputs(documents: list[Document], budget: str, workers: int) -> list[str]:
    config = Config().replace(memory_budget=budget)
    results = dedup.clean(documents, config, workers)
    return [r.cleaned + json.dumps(result_to_json(r), ensure_ascii=False, sort_keys=True) for r in results]


@pytest.mark.parametrize("corpus", [fixture_documents, generated_corpus], ids=["fixtures", "generated"])
def test_any_budget_gives_the_output_of_a_run_in_memory(corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    documents = corpus()
    monkeypatch.setattr(parallel, "CHUNK_SIZE", 8)  # several chunks: the pool takes part
    expected = _outputs(documents, "none", 1)
    assert any('"removed": [{' in out for out in expected), "the corpus must have findings"
    for workers in (1, 2):
        for budget in BUDGETS:
            assert _outputs(documents, budget, workers) == expected, (budget, workers)


def test_a_small_budget_spills_and_the_store_is_deleted(tmp_path: Path) -> None:
    config = Config().replace(memory_budget="48KB")
    with Corpus(config, spill_dir=str(tmp_path)) as corpus:
        for extracted in extract_all(generated_corpus(40), config, 1):
            corpus.clean(extracted)
            assert corpus.held <= budget_bytes("48KB") or corpus.spilled == 0
        assert corpus.spilled > 0
        assert list(tmp_path.iterdir()), "the spill store lives in the directory given"
    assert not list(tmp_path.iterdir())


def test_stock_phrase_postings_pass_the_limit_in_thegenerated_corpus_corpus() -> None:
    # the equivalence test above covers capped anchor postings only if some pass the limit
    config = Config().replace(memory_budget="none")
    corpus = Corpus(config)
    for extracted in extract_all(generated_corpus(), config, 1):
        corpus.clean(extracted)
    longest = max(len(refs) for _, refs in corpus.contain.entries())
    assert longest == MAX_POSTINGS + 1


def test_spill_store_without_a_corpus_is_removed_when_dropped(tmp_path: Path) -> None:
    store = SpillStore(tmp_path)
    assert list(tmp_path.iterdir())
    del store
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("2GB", 2 << 30),
        ("512MB", 512 << 20),
        ("512MiB", 512 << 20),
        ("1.5g", 3 << 29),
        ("100", 100),
        ("none", None),
    ],
)
def test_budget_sizes(text: str, size: int | None) -> None:
    assert budget_bytes(text) == size


def test_a_budget_that_is_not_a_size_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="memory_budget"):
        Config(memory_budget="lots")


def test_the_budget_is_not_part_of_the_fingerprint() -> None:
    assert Config(memory_budget="1MB").fingerprint() == Config().fingerprint()
    assert Config(min_chars=20).fingerprint() != Config().fingerprint()
