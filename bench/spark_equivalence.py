"""Spark against the local engine, byte for byte: `make spark-equivalence`.

1. `bench/snapshot.py` writes the output and report of every fixture, the dev set, the first 5,000
   big-set articles and the wild month, once with the local engine and once with
   `--engine spark --master local[2]`; the two snapshots are compared file by file.
2. A Spark run is killed (SIGKILL) part way, then run again: the killed run must leave no output, the
   rerun the same bytes as the local engine.
3. The groups Spark resolves independently (connected components of "shares a key"), per corpus:
   how many, and the share of documents in the largest.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
PYTHON = sys.executable
DEDUP = str(Path(PYTHON).with_name("dedup"))


def snapshots(work: Path, big_limit: int, master: str, local: Path | None) -> bool:
    """The Spark snapshot against the local one (made now, or ``local``: an earlier
    snapshot of the same corpora, e.g. /tmp/snap_base)."""
    snapshot = [PYTHON, str(ROOT / "bench" / "snapshot.py"), "--big-limit", str(big_limit), "--workers", "1"]
    runs = [("spark", ["--engine", "spark", "--master", master])]
    if local is None:
        local = work / "local"
        runs.insert(0, ("local", []))
    for name, extra in runs:
        started = time.perf_counter()
        subprocess.run([*snapshot, "--", str(work / name), *extra], check=True, stderr=subprocess.DEVNULL)
        print(f"{name} snapshot: {time.perf_counter() - started:.0f} s", flush=True)
    names = sorted(p.name for p in (work / "spark").iterdir())
    differ = [
        n
        for n in names
        if not (local / n).exists() or (local / n).read_bytes() != (work / "spark" / n).read_bytes()
    ]
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(names) - len(differ)} of {len(names)} files identical (Spark {master} against local)")
    return not differ


def killed_then_rerun(work: Path, source: Path, master: str, after: float | None) -> bool:
    """A Spark run killed part way leaves no output; the rerun matches the local engine.  Killed
    after ``after`` seconds, or (``None``) after three quarters of a complete run's time, measured
    first: a fixed delay outlived the whole run on a quiet machine."""
    local, out = work / "kill.local.jsonl", work / "kill.spark.jsonl"
    subprocess.run([DEDUP, "clean", str(source), "-o", str(local), "-q"], check=False)
    command = [DEDUP, "clean", str(source), "-o", str(out), "-q", "--engine", "spark", "--master", master]
    if after is None:
        started = time.perf_counter()
        subprocess.run(command, check=False, stderr=subprocess.DEVNULL)
        after = (time.perf_counter() - started) * 3 / 4
        out.unlink(missing_ok=True)
    run = subprocess.Popen(command, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(after)
    killed = run.poll() is None
    if killed:
        os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    left = out.exists()
    subprocess.run(command, check=False, stderr=subprocess.DEVNULL)
    same = out.read_bytes() == local.read_bytes()
    print(f"killed after {after:.0f} s: {killed}; output left by it: {left}; rerun identical: {same}")
    return killed and not left and same


def groups(source: Path, limit: int) -> str:
    """How the corpus falls into independent groups (pure Python, the keys Spark uses)."""
    from dedup.config import Config
    from dedup.matching.features import Extractor
    from dedup.records import Document
    from dedup.spark.components import union_find
    from dedup.spark.keys import document_keys

    extractor = Extractor(Config())
    first: dict[int, int] = {}
    pairs: list[tuple[int, int]] = []
    opener = gzip.open if source.suffix == ".gz" else open
    count = 0
    with opener(source, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number >= limit:
                break
            count += 1
            for key in document_keys(
                extractor(number, Document(str(number), json.loads(line)["text"]))
            ).tolist():
                pairs.append((number, first.setdefault(key, number)))
    labels = union_find(pairs)
    sizes = Counter(labels.get(n, n) for n in range(count))
    largest = max(sizes.values())
    return f"{count} documents, {len(sizes)} groups, largest {largest} ({largest / count:.0%})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big-limit", type=int, default=5000)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument(
        "--kill-after", type=float, default=None, help="seconds (default: three quarters of a full run)"
    )
    parser.add_argument(
        "--local", type=Path, help="an existing local snapshot (bench/snapshot.py) to compare with"
    )
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(prefix="dedup-spark-eq-") as tmp:
        work = Path(tmp)
        ok = snapshots(work, args.big_limit, args.master, args.local) and ok
        dev = SHARED / "public" / "input.jsonl"
        if dev.exists():
            ok = killed_then_rerun(work, dev, args.master, args.kill_after) and ok
    for name, source in (
        ("dev", SHARED / "public" / "input.jsonl"),
        ("big", SHARED / "big" / "input.jsonl.gz"),
        ("wild", SHARED / "wild" / "pages.jsonl.gz"),
    ):
        if source.exists():
            print(f"groups, {name}: {groups(source, args.big_limit)}")
    print("spark-equivalence:", "identical" if ok else "DIFFERENT")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
