"""Memory of a long run: peak RSS against corpus size, with and without a memory budget.

    make bench-memory                          # 200,000 articles: the big set expanded 10x
    MEMORY_ARTICLES=20000 .venv/bin/python bench/memory.py

The corpus is ``../shared/eval/big/input.jsonl.gz`` (20,000 articles) followed by
nine edited copies of it, built once into ``bench-out/expanded-<N>.jsonl.gz``
and deterministic: copy k of an article has, in about a third of its lines, one
small edit (a digit changed, two characters swapped, a character dropped or
added) drawn from a generator seeded by (k, article number).  Edited numbers
and swaps are facts the cleaner keeps, so the kept corpus keeps growing.

Each contender (a memory budget; ``none`` keeps everything in memory) runs
``dedup.clean`` in its own child process with MEMORY_WORKERS workers (default
2) and reports every 10,000 articles (printed and saved as it goes) the wall time and the
main process's current and peak RSS (``VmRSS``, ``VmHWM``; the corpus state lives
there); at the end the peak RSS of its worker processes (``RUSAGE_CHILDREN``)
and a digest of every cleaned text and report, which must be equal for all
budgets.  Figures go to ``bench-out/memory.json``.

Environment: MEMORY_ARTICLES (default 200000), MEMORY_BUDGETS (default
``none,256MB``), MEMORY_WORKERS, MEMORY_INPUT.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench-out"
DEFAULT_INPUT = ROOT.parent / "shared" / "eval" / "big" / "input.jsonl.gz"
#: a checkpoint every this many articles
STEP = 10_000
CJK = re.compile(r"[\u4e00-\u9fff]")


def _edit(line: str, rng: random.Random) -> str:
    """One small edit of a line: a digit changed, two characters swapped, one dropped or added."""
    digits = [i for i, ch in enumerate(line) if ch in "0123456789"]
    han = [m.start() for m in CJK.finditer(line)]
    kind = rng.randrange(4)
    if kind == 0 and digits:
        i = rng.choice(digits)
        return line[:i] + str((int(line[i]) + rng.randrange(1, 10)) % 10) + line[i + 1 :]
    if len(han) < 2:
        return line
    i = rng.choice(han[:-1])
    if kind in (0, 1) and line[i + 1] != line[i]:
        return line[:i] + line[i + 1] + line[i] + line[i + 2 :]
    if kind == 2:
        return line[:i] + line[i + 1 :]
    return line[:i] + "的" + line[i:]


def _copies(source: Path, articles: int) -> Iterator[dict[str, Any]]:
    originals = [json.loads(line) for line in gzip.open(source, "rt", encoding="utf-8")]
    made = 0
    for k in range(articles // len(originals) + 1):
        for number, record in enumerate(originals):
            if made >= articles:
                return
            made += 1
            if k == 0:
                yield record
                continue
            rng = random.Random(k * 1_000_003 + number)
            lines = record["text"].split("\n")
            edited = [_edit(line, rng) if line.strip() and rng.random() < 0.35 else line for line in lines]
            yield {**record, "id": f"{record['id']}~{k}", "text": "\n".join(edited)}


def expanded(source: Path, articles: int) -> Path:
    """The expanded corpus, built once."""
    path = OUT_DIR / f"expanded-{articles}.jsonl.gz"
    if not path.exists():
        OUT_DIR.mkdir(exist_ok=True)
        partial = path.with_suffix(".partial")
        with gzip.open(partial, "wt", encoding="utf-8", compresslevel=3) as out:
            for record in _copies(source, articles):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        partial.rename(path)
    return path


def _status_mb(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def child(path: Path, budget: str, workers: int) -> None:
    """One contender: clean the corpus, print a JSON line per checkpoint and one at the end."""
    import dedup
    from dedup.files.report import result_to_json

    config = dedup.Config()
    if budget != "none":
        config = config.replace(memory_budget=budget)
    lines = gzip.open(path, "rt", encoding="utf-8")
    documents = (dedup.Document(id=r["id"], text=r["text"]) for r in map(json.loads, lines))
    digest = hashlib.sha256()
    start = time.perf_counter()
    done = 0
    for result in dedup.clean(documents, config, workers):
        record = result_to_json(result)
        record.pop("made_by", None)
        digest.update(result.cleaned.encode("utf-8", "surrogatepass"))
        digest.update(json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8", "surrogatepass"))
        done += 1
        if done % STEP == 0:
            print(json.dumps(_point(done, start)), flush=True)
    end = _point(done, start)
    end["digest"] = digest.hexdigest()
    end["workers_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(end), flush=True)


def _point(done: int, start: float) -> dict[str, Any]:
    return {
        "articles": done,
        "seconds": round(time.perf_counter() - start, 1),
        "rss_mb": round(_status_mb("VmRSS"), 1),
        "peak_mb": round(_status_mb("VmHWM"), 1),
    }


def main() -> int:
    articles = int(os.environ.get("MEMORY_ARTICLES", "200000"))
    budgets = os.environ.get("MEMORY_BUDGETS", "none,256MB").split(",")
    workers = int(os.environ.get("MEMORY_WORKERS", "2"))
    path = expanded(Path(os.environ.get("MEMORY_INPUT", DEFAULT_INPUT)), articles)
    runs: dict[str, list[dict[str, Any]]] = {}
    summary: dict[str, Any] = {"articles": articles, "workers": workers, "runs": runs}
    OUT_DIR.mkdir(exist_ok=True)
    for budget in budgets:
        print(f"budget {budget}: {articles} articles, {workers} workers", flush=True)
        runs[budget] = []
        command = [sys.executable, __file__, "--child", str(path), budget, str(workers)]
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as proc:
            assert proc.stdout is not None
            # each checkpoint is printed and saved as it comes: a long run stopped
            # half way still leaves its curve so far in memory.json
            for line in proc.stdout:
                runs[budget].append(json.loads(line))
                print("  " + line.rstrip(), flush=True)
                (OUT_DIR / "memory.json").write_text(json.dumps(summary, indent=2) + "\n")
        if proc.returncode != 0:
            raise subprocess.CalledProcessError(proc.returncode, command)
    digests = {points[-1]["digest"] for points in runs.values()}
    summary["outputs_identical"] = len(digests) == 1
    (OUT_DIR / "memory.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"outputs identical across budgets: {len(digests) == 1}")
    return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(main())
