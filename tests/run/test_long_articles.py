"""Long articles: per-document work grows with the number of paragraphs, not with its square.

These only check that the runs complete (and what they must say); their time and memory are
measured by ``make bench-stress`` (bench/stress.py), which prints the curve.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

import dedup

ROOT = Path(__file__).resolve().parents[2]


def _fixture_paragraphs() -> list[str]:
    blocks = re.split(r"\n\s*\n", (ROOT / "fixtures" / "seed" / "article.txt").read_bytes().decode("utf-8"))
    return list(dict.fromkeys(b.strip() for b in blocks if b.strip()))


def test_an_article_repeating_a_few_paragraphs_thousands_of_times_keeps_one_copy_of_each() -> None:
    pool = [p for p in _fixture_paragraphs() if len(p) > 40 and p.endswith("。")][:5]
    rng = random.Random(7)
    text = "\n\n".join(rng.choice(pool) for _ in range(3000))
    cleaned = dedup.clean_text(text).cleaned
    assert sorted(cleaned.split("\n\n")) == sorted(p for p in pool if p in text)


@pytest.mark.slow
def test_an_article_of_200_000_paragraphs_completes() -> None:
    text = "\n\n".join(f"第{i}条。" for i in range(200_000)) + "\n"
    result = dedup.clean_text(text)
    assert result.paragraphs == 200_000
    assert result.cleaned == text


@pytest.mark.slow
def test_a_30_mb_jsonl_record_completes(tmp_path: Path) -> None:
    pool = _fixture_paragraphs()
    rng = random.Random(11)
    parts: list[str] = []
    size = 0
    while size < 30_000_000:
        parts.append(pool[rng.randrange(len(pool))])
        size += len(parts[-1].encode("utf-8")) + 2
    source = tmp_path / "one.jsonl"
    source.write_text(json.dumps({"id": "long", "text": "\n\n".join(parts)}, ensure_ascii=False) + "\n")
    out = tmp_path / "out.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "dedup", "clean", str(source), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    [record] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["id"] == "long" and 0 < len(record["text"]) < len("\n\n".join(parts))
