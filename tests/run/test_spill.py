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
import random
from pathlib import Path

import pytest
from conftest import FIXTURES, read_exact

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
STOCK = "据本报记者从有关部门了解到的最新情况，这项工作目前进展顺利"


def _fixture_documents() -> list[Document]:
    paths = sorted(p for p in FIXTURES.rglob("*.txt") if p.name not in {"why.txt", "expected.txt"})
    return [Document(id=str(p.relative_to(FIXTURES)), text=read_exact(p)) for p in paths]


def _edit(line: str, rng: random.Random) -> str:
    """A small edit: a digit changed, two characters swapped, one dropped or added."""
    if len(line) < 4:
        return line
    i = rng.randrange(len(line) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        digits = [n for n, ch in enumerate(line) if ch in "0123456789"]
        if digits:
            n = rng.choice(digits)
            return line[:n] + str((int(line[n]) + 1) % 10) + line[n + 1 :]
    if kind <= 1:
        return line[:i] + line[i + 1] + line[i] + line[i + 2 :]
    if kind == 2:
        return line[:i] + line[i + 1 :]
    return line[:i] + "的" + line[i:]


def _generated(articles: int = 90) -> list[Document]:
    """Articles built from the fixtures' paragraphs: copies, edited copies,
    halves (fragments), two halves glued (splices), and a stock phrase."""
    rng = random.Random(12)
    pool = [
        p.strip()
        for doc in _fixture_documents()
        for p in doc.text.replace("\r\n", "\n").split("\n")
        if len(p.strip()) >= 12
    ]
    documents = []
    for number in range(articles):
        parts = [f"第{number}号通报"]
        for _ in range(rng.randrange(3, 8)):
            p = rng.choice(pool)
            roll = rng.random()
            if roll < 0.3:
                p = _edit(p, rng)
            elif roll < 0.4:
                p = p[: len(p) // 2] if rng.random() < 0.5 else p[len(p) // 2 :]
            elif roll < 0.5:
                p = p[: len(p) // 2] + rng.choice(pool)[-20:]
            parts.append(p)
        parts.append(f"{STOCK}，第{number}次会议记录了{rng.randrange(10**6)}项意见。")
        documents.append(Document(id=f"g{number}", text="\n\n".join(parts)))
    return documents


def _outputs(documents: list[Document], budget: str, workers: int) -> list[str]:
    config = Config().replace(memory_budget=budget)
    results = dedup.clean(documents, config, workers)
    return [r.cleaned + json.dumps(result_to_json(r), ensure_ascii=False, sort_keys=True) for r in results]


@pytest.mark.parametrize("corpus", [_fixture_documents, _generated], ids=["fixtures", "generated"])
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
        for extracted in extract_all(_generated(40), config, 1):
            corpus.clean(extracted)
            assert corpus.held <= budget_bytes("48KB") or corpus.spilled == 0
        assert corpus.spilled > 0
        assert list(tmp_path.iterdir()), "the spill store lives in the directory given"
    assert not list(tmp_path.iterdir())


def test_stock_phrase_postings_pass_the_limit_in_the_generated_corpus() -> None:
    # the equivalence test above covers capped anchor postings only if some pass the limit
    config = Config().replace(memory_budget="none")
    corpus = Corpus(config)
    for extracted in extract_all(_generated(), config, 1):
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
