"""Golden cases: whole articles cleaned and compared with a careful editor's copy, byte for byte.

Every folder of ``fixtures/cases/`` is one hard case:

* ``input.txt`` + ``expected.txt`` — one article, cleaned on its own with ``dedup.clean_text``;
* ``input.jsonl`` + ``expected.jsonl`` — a small corpus (``{"id", "text"}`` per line, in
  corpus order), cleaned with ``dedup.clean``; cross-document cases live here;
* ``why.txt`` — one line: what the case is about and where it comes from.

Expected output comes from the dev set's gold ``clean_text`` or from the seed's
editor copy, never from the tool: there is deliberately no option to regenerate it.
A case that fails today is listed in ``fixtures/cases/known_failures.txt`` with the
reason; it runs as a strict xfail, so fixing it makes the suite fail until the
entry is removed.
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

import pytest

import dedup
from dedup.text.markers import MARKERS, is_marker
from dedup.text.normalize import fold

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "fixtures" / "cases"
SEED = ROOT / "fixtures" / "seed"
KNOWN_FAILURES = CASES / "known_failures.txt"


def read_exact(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def known_failures() -> dict[str, str]:
    """``case-name  reason`` per line; blank lines and ``#`` comments are ignored."""
    failures: dict[str, str] = {}
    if not KNOWN_FAILURES.is_file():
        return failures
    for line in read_exact(KNOWN_FAILURES).splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, reason = line.partition(" ")
        failures[name] = reason.strip() or "known failure"
    return failures


def case_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir())


def cases(expected_output: bool = True) -> list[pytest.ParameterSet]:
    """Every case; with ``expected_output``, the known failures marked (they miss the exact gold
    copy, not the invariants)."""
    failures = known_failures() if expected_output else {}
    params = [pytest.param(SEED / "article.txt", SEED / "expected.txt", id="seed")]
    for folder in case_dirs():
        if (folder / "input.jsonl").is_file():
            source, expected = folder / "input.jsonl", folder / "expected.jsonl"
        else:
            source, expected = folder / "input.txt", folder / "expected.txt"
        marks = []
        if folder.name in failures:
            marks.append(pytest.mark.xfail(strict=True, reason=failures[folder.name]))
        params.append(pytest.param(source, expected, id=folder.name, marks=marks))
    return params


def diff(expected: str, actual: str) -> str:
    lines = difflib.unified_diff(
        expected.splitlines(keepends=True), actual.splitlines(keepends=True), "expected", "actual", n=1
    )
    return "".join(lines)[:4000]


def read_jsonl(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in read_exact(path).splitlines() if line.strip()]


@pytest.mark.parametrize(("source", "expected"), cases())
def test_golden(source: Path, expected: Path) -> None:
    if source.suffix == ".jsonl":
        documents = read_jsonl(source)
        wanted = read_jsonl(expected)
        assert [d["id"] for d in documents] == [w["id"] for w in wanted]
        results = list(dedup.clean(dedup.Document(id=d["id"], text=d["text"]) for d in documents))
        assert [r.id for r in results] == [d["id"] for d in documents]
        for result, want in zip(results, wanted, strict=True):
            assert result.cleaned == want["text"], f"{result.id}:\n{diff(want['text'], result.cleaned)}"
    else:
        text = read_exact(source)
        want = read_exact(expected)
        cleaned = dedup.clean_text(text).cleaned
        assert cleaned == want, diff(want, cleaned)


def test_every_case_folder_is_complete() -> None:
    for folder in case_dirs():
        names = {p.name for p in folder.iterdir()}
        assert "why.txt" in names, folder.name
        why = read_exact(folder / "why.txt").strip()
        assert why and "\n" not in why, f"{folder.name}/why.txt must be one line"
        single = {"input.txt", "expected.txt"} <= names
        corpus = {"input.jsonl", "expected.jsonl"} <= names
        assert single != corpus, f"{folder.name}: needs input/expected as .txt or as .jsonl"


def test_known_failures_name_existing_cases_with_a_reason() -> None:
    names = {p.name for p in case_dirs()}
    for name, reason in known_failures().items():
        assert name in names, f"known_failures.txt lists {name!r}, which is not a case"
        assert reason != "known failure", f"give a reason for {name!r}"


def test_expected_output_never_has_more_text_than_input() -> None:
    # a sanity check of the fixtures themselves: cleaning only removes and re-joins
    for folder in case_dirs():
        if (folder / "input.txt").is_file():
            pairs = [(read_exact(folder / "input.txt"), read_exact(folder / "expected.txt"))]
        else:
            pairs = [
                (d["text"], w["text"])
                for d, w in zip(
                    read_jsonl(folder / "input.jsonl"), read_jsonl(folder / "expected.jsonl"), strict=True
                )
            ]
        for text, want in pairs:
            assert len(fold(want)) <= len(fold(text)), folder.name


def _trigrams(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(len(text) - 2)}


def _stated(text: str) -> str:
    """What an input states, for the nothing-lost measure: continuation markers are page furniture
    the cleaner removes on purpose, so they are not text that could be lost."""
    lines = (MARKERS.sub(" ", line) for line in text.splitlines() if not is_marker(line))
    return "\n".join(lines)


def _clauses(text: str) -> list[str]:
    """Sentences and the clauses a semicolon ends: a splice glues the last clause of one list item
    to the first of the next, and each clause survives in its own item."""
    return [s for s in (fold(part) for part in re.split(r"[。！？!?；;\n]", text)) if s]


@pytest.mark.parametrize(("source", "expected"), cases(expected_output=False))
def test_nothing_unique_is_lost(source: Path, expected: Path) -> None:
    """The invariant, on every case (known failures too): each sentence of the input still has a
    copy in the output — an output sentence holding 80 % of its character 3-grams — so whatever
    went was a copy of something kept (the measure of ``../shared/eval/wild/check.py``, with
    clauses for sentences and markers left out)."""
    if source.suffix == ".jsonl":
        documents = read_jsonl(source)
        texts = [d["text"] for d in documents]
        cleaned = [
            r.cleaned for r in dedup.clean(dedup.Document(id=d["id"], text=d["text"]) for d in documents)
        ]
    else:
        texts = [read_exact(source)]
        cleaned = [dedup.clean_text(texts[0]).cleaned]
    kept = [_trigrams(s) for text in cleaned for s in _clauses(text)]
    for text in texts:
        for sentence in _clauses(_stated(text)):
            if len(sentence) < 6:
                continue
            grams = _trigrams(sentence)
            assert any(len(grams & other) >= 0.8 * len(grams) for other in kept), sentence
