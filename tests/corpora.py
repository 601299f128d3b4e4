"""Corpora for tests that run many documents: every fixture input, and a generated
corpus of edited copies, fragments, splices and a stock phrase in many articles
(its anchor postings pass ``MAX_POSTINGS``), deterministic."""

from __future__ import annotations

import random
from pathlib import Path

from dedup import Document

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

STOCK = "据本报记者从有关部门了解到的最新情况，这项工作目前进展顺利"


def fixture_documents() -> list[Document]:
    paths = sorted(p for p in FIXTURES.rglob("*.txt") if p.name not in {"why.txt", "expected.txt"})
    return [Document(id=str(p.relative_to(FIXTURES)), text=p.read_bytes().decode("utf-8")) for p in paths]


def edit(line: str, rng: random.Random) -> str:
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


def generated_corpus(articles: int = 90) -> list[Document]:
    """Articles built from the fixtures' paragraphs: copies, edited copies,
    halves (fragments), two halves glued (splices), and a stock phrase."""
    rng = random.Random(12)
    pool = [
        p.strip()
        for doc in fixture_documents()
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
                p = edit(p, rng)
            elif roll < 0.4:
                p = p[: len(p) // 2] if rng.random() < 0.5 else p[len(p) // 2 :]
            elif roll < 0.5:
                p = p[: len(p) // 2] + rng.choice(pool)[-20:]
            parts.append(p)
        parts.append(f"{STOCK}，第{number}次会议记录了{rng.randrange(10**6)}项意见。")
        documents.append(Document(id=f"g{number}", text="\n\n".join(parts)))
    return documents
