"""Long articles: time and peak memory of cleaning one article against its number of paragraphs.

    make bench-stress                        # up to 200,000 paragraphs per article
    STRESS_MAX=20000 .venv/bin/python bench/stress.py

Each size of each kind of article is cleaned by ``dedup.clean_text`` in a child process of its
own, so its peak RSS (``ru_maxrss``) is its own; the time excludes start-up (jieba, datasketch).
Three kinds of article, generated here (nothing is downloaded):

* ``numbered``: the report's repro, ``第{i}条。`` paragraphs (no two alike, nothing shared);
* ``repeats``: the real paragraphs of fixtures/ over and over (every paragraph has hundreds of
  exact copies: the copies are grouped by key, one copy of each survives);
* ``mixed``: real sentences of fixtures/ recombined, three to a paragraph, with a serial number
  (stock phrases shared by thousands of paragraphs, near copies, fragments).

``mixed`` is verified paragraph by paragraph against up to ``MAX_LOCAL_CANDIDATES`` others (about
0.4 ms each alone), so ``STRESS_MIXED_MAX`` (default 200,000) may stop it earlier for a short run.
The last column is the time per 1,000 paragraphs: flat when time grows linearly.  Figures go to
``bench-out/stress.json``.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = [1_000, 3_000, 10_000, 30_000, 100_000, 200_000]
KINDS = ("numbered", "repeats", "mixed")


def _fixture_paragraphs() -> list[str]:
    """Distinct paragraphs of the fixtures' inputs, in a fixed order."""
    seen: dict[str, None] = {}
    for path in [*sorted((ROOT / "fixtures").rglob("input.txt")), ROOT / "fixtures" / "seed" / "article.txt"]:
        for block in re.split(r"\n\s*\n", path.read_bytes().decode("utf-8")):
            if block.strip():
                seen.setdefault(block.strip(), None)
    return list(seen)


def article(kind: str, paragraphs: int, seed: int = 0) -> str:
    """An article of ``paragraphs`` paragraphs of one kind (see the module's docstring)."""
    rng = random.Random(seed)
    if kind == "numbered":
        return "\n\n".join(f"第{i}条。" for i in range(paragraphs)) + "\n"
    pool = _fixture_paragraphs()
    if kind == "repeats":
        return "\n\n".join(pool[rng.randrange(len(pool))] for _ in range(paragraphs)) + "\n"
    sentences = [s for p in pool for s in re.findall(r"[^。！？]+[。！？]", p) if len(s) >= 8]
    out = [f"{i}、" + "".join(rng.choice(sentences) for _ in range(3)) for i in range(paragraphs)]
    return "\n\n".join(out) + "\n"


def _measure(kind: str, paragraphs: int) -> dict[str, float]:
    """In this (child) process: clean one article, return seconds and peak RSS."""
    import dedup

    dedup.clean_text("热身。\n\n热身。")  # start-up outside the measure
    text = article(kind, paragraphs)
    started = time.perf_counter()
    result = dedup.clean_text(text)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mib": peak, "removed": len(result.removed), "chars": len(text)}


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(_measure(sys.argv[2], int(sys.argv[3]))))
        return 0
    top = int(os.environ.get("STRESS_MAX", "200000"))
    kinds = os.environ.get("STRESS_KINDS", ",".join(KINDS)).split(",")
    rows = []
    print(
        f"{'kind':<9} {'paragraphs':>10} {'MB':>6} {'seconds':>8} {'peak MiB':>9} {'removed':>8} {'s/1k':>6}"
    )
    for kind in kinds:
        limit = min(top, int(os.environ.get("STRESS_MIXED_MAX", "200000"))) if kind == "mixed" else top
        for size in [s for s in SIZES if s <= limit]:
            done = subprocess.run(
                [sys.executable, __file__, "--child", kind, str(size)],
                capture_output=True,
                text=True,
                check=True,
            )
            row = {"kind": kind, "paragraphs": size, **json.loads(done.stdout.splitlines()[-1])}
            rows.append(row)
            print(
                f"{kind:<9} {size:>10,} {row['chars'] * 3 / 1e6:>6.1f} {row['seconds']:>8.2f} "
                f"{row['peak_mib']:>9.0f} {row['removed']:>8,} {1000 * row['seconds'] / size:>6.3f}",
                flush=True,
            )
    out = ROOT / "bench-out"
    out.mkdir(exist_ok=True)
    (out / "stress.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
