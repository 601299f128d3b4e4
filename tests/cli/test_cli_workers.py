"""The output and the report are byte-identical whatever the number of workers.

The corpus is built from every fixture article, copied, cut and re-ordered so
that it spans many chunks of work, repeats paragraphs across documents (what
the workers send once per key) and holds fragments and splices across chunks.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from dedup.matching.features import Features

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
#: articles in the CLI corpus: several chunks of work (``parallel.CHUNK_SIZE``)
CORPUS = 520


def _articles() -> list[str]:
    texts = [(FIXTURES / "seed" / "article.txt").read_text(encoding="utf-8")]
    for case in sorted((FIXTURES / "cases").iterdir()):
        if (case / "input.txt").is_file():
            texts.append((case / "input.txt").read_text(encoding="utf-8"))
        elif (case / "input.jsonl").is_file():
            lines = (case / "input.jsonl").read_text(encoding="utf-8").splitlines()
            texts.extend(json.loads(line)["text"] for line in lines if line.strip())
    return texts


def _corpus(size: int) -> list[dict[str, str]]:
    rng = random.Random(20261129)
    articles = _articles()
    documents = []
    for number in range(size):
        source = rng.choice(articles)
        paragraphs = [p for p in source.split("\n\n") if p.strip()]
        roll = rng.random()
        if roll < 0.3:
            text = source  # a copy
        elif roll < 0.6 and len(paragraphs) > 2:
            # a copy that lost some paragraphs, or had two swapped
            kept = [p for p in paragraphs if rng.random() > 0.3] or paragraphs[:1]
            if len(kept) > 2 and rng.random() < 0.5:
                kept[1], kept[2] = kept[2], kept[1]
            text = "\n\n".join(kept)
        elif roll < 0.8 and len(paragraphs) > 1:
            # an article of its own that quotes a cut piece of another
            other = rng.choice(articles)
            piece = rng.choice([p for p in other.split("\n\n") if p.strip()])
            text = "\n\n".join([*paragraphs, piece[len(piece) // 3 :]])
        else:
            text = source
        documents.append({"id": f"d{number:04d}", "text": text})
    return documents


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for document in _corpus(CORPUS):
            out.write(json.dumps(document, ensure_ascii=False) + "\n")
    return path


def test_output_and_report_do_not_depend_on_the_number_of_workers(dedup_process, corpus_file: Path) -> None:
    from dedup.run import parallel

    assert CORPUS > 3 * parallel.CHUNK_SIZE, "the corpus must span several chunks of work"
    outputs = {}
    for workers in (1, 2, 3):
        out = corpus_file.with_name(f"out-{workers}.jsonl")
        report = corpus_file.with_name(f"report-{workers}.jsonl")
        run = dedup_process(
            "clean",
            str(corpus_file),
            "-o",
            str(out),
            "--report",
            str(report),
            "--workers",
            str(workers),
            "--quiet",
        )
        assert run.code == 0, run.err
        outputs[workers] = (out.read_bytes(), report.read_bytes())
    assert outputs[1] == outputs[2] == outputs[3]
    lines = [json.loads(line) for line in outputs[1][1].splitlines()]
    assert len(lines) == CORPUS
    kinds = {removal["kind"] for line in lines for removal in line["removed"]}
    # the corpus exercises every path of the resolution
    assert {"exact", "fragment"} <= kinds
    assert sum(line["near_copy_of"] is not None for line in lines) > 20


def test_keys_sent_again_as_numbers_give_the_same_results(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker sends a key and its features once, then the key's number; the resolving
    process forgets them as the worker does (here after a few keys), so every
    number it receives is one it still holds."""
    import multiprocessing

    import dedup
    from dedup.run import parallel

    # counted in the resolving process, forked after the patches, in memory both processes see
    looked_up = multiprocessing.get_context("fork").Value("i", 0)

    class Counting(parallel.Received):
        def get(self, number: int) -> tuple[str, Features]:
            with looked_up.get_lock():
                looked_up.value += 1
            return super().get(number)

    documents = [dedup.Document(d["id"], d["text"]) for d in _corpus(100)]
    alone = list(dedup.clean(documents, workers=1))
    monkeypatch.setattr(parallel, "CHUNK_SIZE", 8)
    monkeypatch.setattr(parallel, "CACHED_KEYS", 16)  # the worker is forked after the patch
    monkeypatch.setattr(parallel, "Received", Counting)
    shared = list(dedup.clean(documents, workers=2))
    assert looked_up.value, "no key was sent again as its number"
    assert shared == alone


def test_a_number_the_resolving_process_no_longer_holds_is_an_error() -> None:
    from dedup.run.parallel import Received

    received = Received(2)
    for key in ("甲", "乙", "丙"):
        received.add(key, _features_of(key))
    assert received.get(2)[0] == "丙"
    with pytest.raises(RuntimeError, match="key number 0"):
        received.get(0)


def _features_of(key: str) -> Features:
    from dedup.config import Config
    from dedup.matching.features import Extractor

    return Extractor(Config()).features(key)


_EXTRACT_CHUNK = None


def _slow_extract_chunk(chunk):  # type: ignore[no-untyped-def]
    """A worker that lags (pickled by reference, so defined at module level)."""
    import time

    time.sleep(0.05)
    assert _EXTRACT_CHUNK is not None
    return _EXTRACT_CHUNK(chunk)


def test_the_main_process_extracts_when_the_workers_are_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    import dedup
    from dedup.matching.features import Extracted, Extractor
    from dedup.run import parallel

    documents = [dedup.Document(d["id"], d["text"]) for d in _corpus(200)]
    alone = list(dedup.clean(documents, workers=1))

    extracted_here: list[int] = []
    calls = Extractor.many

    def counted(self: Extractor, numbered: Sequence[tuple[int, dedup.Document]]) -> list[Extracted]:
        extracted_here.extend(index for index, _ in numbered)
        return calls(self, numbered)

    # the worker is forked after the patches: it lags, and counts in its own memory
    monkeypatch.setattr(sys.modules[__name__], "_EXTRACT_CHUNK", parallel.extract_chunk)
    monkeypatch.setattr(parallel, "CHUNK_SIZE", 8)
    monkeypatch.setattr(parallel, "extract_chunk", _slow_extract_chunk)
    monkeypatch.setattr(Extractor, "many", counted)
    shared = list(dedup.clean(documents, workers=2))
    assert extracted_here, "the main process never extracted a chunk itself"
    assert len(extracted_here) < len(documents)
    assert shared == alone
