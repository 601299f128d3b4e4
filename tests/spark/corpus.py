"""A dev-like corpus written by the tests: the fixture articles, and near copies
of them with small edits (a character changed, a sentence cut, a paragraph
dropped or moved, boilerplate added, two articles spliced), repeated ids, and
articles nothing repeats.  Deterministic (a fixed seed)."""

from __future__ import annotations

import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BOILERPLATE = ("本文来源：新华社", "责任编辑：王小明", "（完）")


def fixture_texts() -> list[tuple[str, str]]:
    """(id, text) of every fixture input, as ``bench/snapshot.py`` gathers them."""
    found = []
    for path in sorted((ROOT / "fixtures").rglob("*")):
        if path.is_file() and path.suffix == ".txt" and path.name not in {"why.txt", "expected.txt"}:
            text = path.read_bytes().decode("utf-8", errors="surrogateescape")
            found.append((str(path.relative_to(ROOT)), text))
    return found


def _edit(paragraph: str, rng: random.Random) -> str:
    choice = rng.randrange(4)
    if choice == 0 and len(paragraph) > 10:
        at = rng.randrange(len(paragraph))
        return paragraph[:at] + rng.choice("的了是在和有") + paragraph[at + 1 :]
    if choice == 1 and "。" in paragraph[:-1]:
        return paragraph[paragraph.index("。") + 1 :]
    if choice == 2:
        return paragraph + rng.choice(BOILERPLATE)
    return paragraph


def dev_like(count: int = 80, seed: int = 12) -> list[tuple[str, str]]:
    """(id, text) of ``count`` articles."""
    rng = random.Random(seed)
    bodies = [t for _, t in fixture_texts() if t.strip()]
    articles: list[tuple[str, str]] = []
    for number in range(count):
        source = rng.choice(bodies)
        paragraphs = [p for p in source.split("\n\n") if p.strip()]
        kind = rng.randrange(6)
        if kind == 0:
            paragraphs = [_edit(p, rng) for p in paragraphs]
        elif kind == 1 and len(paragraphs) > 2:
            del paragraphs[rng.randrange(1, len(paragraphs))]
        elif kind == 2:
            other = [p for p in rng.choice(bodies).split("\n\n") if p.strip()]
            paragraphs = paragraphs[: len(paragraphs) // 2 + 1] + other[len(other) // 2 :]
        elif kind == 3:
            paragraphs = [f"第{number}号文章：{rng.random():.6f}", "完全不同的内容，没有人重复。"]
        if rng.random() < 0.3:
            paragraphs.append(rng.choice(BOILERPLATE))
        doc_id = f"dup-{number % 5}" if rng.random() < 0.1 else f"a{number}"
        articles.append((doc_id, "\n\n".join(paragraphs) + "\n"))
    return articles
