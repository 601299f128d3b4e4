"""dedup beside the fastest MinHash library and beside the tokenising floor.

    make bench                       # the first 5,000 articles of ../shared/eval/big
    BENCH_LIMIT=all make bench       # all 20,000 (on a quiet 2-core machine ~10 min)

Two corpora: the big set (BENCH_INPUT, default ../shared/eval/big/input.jsonl.gz,
83 % of its paragraphs exact copies) and the low-redundancy corpus this script
builds from it (each paragraph kept at its first occurrence only, articles left
empty dropped: nearly every paragraph is new), both cut to the first BENCH_LIMIT
articles of the big set (default 5,000, so that three interleaved rounds take
well under 25 minutes on a shared machine).  On each, three contenders, each
in its own child process (start-up, imports and dictionaries included):

* ``dedup``: ``dedup clean INPUT -o OUT --quiet --workers N`` (N = BENCH_WORKERS,
  default the number of cores), everything on, no report;
* ``rensa``: rensa's Rust MinHash + LSH per paragraph over the same rjieba word
  3-grams of the paragraphs' matching keys, 128 permutations, one process;
* ``floor``: rjieba tokenising those keys alone, N processes: what any
  word-shingle method must spend.

Keys (``dedup.text.normalize.fold`` of each blank-line paragraph) are made
beforehand and not charged to rensa or the floor.  Each contender runs
BENCH_REPEAT (3) times, interleaved; the fastest run counts and the spread
(slowest / fastest) is printed.  MB are MiB of JSONL input.  Peak RSS is the
highest sum over the contender's process tree (``throughput.measure``), from one
more run of each, after the timed ones: sampling the tree's memory (psutil reads
``/proc`` every 50 ms, 1 ms of CPU each time, and takes each process's memory map
lock) slowed the contenders that keep both cores busy and not the one-process one
(dedup on the low-redundancy corpus: fastest of six 2.410 s sampled against 2.312
unsampled), so the timed runs are not sampled.
Before the corpora, the one-article start-up of issue 15: CPU s of seven runs of
``dedup clean fixtures/seed/article.txt -o OUT`` (whole process, start-up included), as installed
and with ``DEDUP_PURE=1``, interleaved.
Figures go to ``bench-out/versus.json``.  ``make bench-throughput`` is the
older benchmark (naive jieba + datasketch, jieba floor, dev set).
"""

from __future__ import annotations

import gzip
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from contenders import paragraphs, read_documents
from rich.table import Table
from settings import article_limit
from throughput import DEFAULT_INPUT, MIB, OUT_DIR, Corpus, Run, console, contender, measure, prepare

#: articles of the big set a plain ``make bench`` reads (BENCH_LIMIT=all: every one)
DEFAULT_LIMIT = 5000
#: runs of the one-article start-up measurement (each about a second)
ONE_ARTICLE_RUNS = 7


def low_redundancy(source: Path, limit: int | None, target: Path) -> None:
    """The big set with each paragraph kept at its first occurrence, empty articles dropped."""
    seen: set[str] = set()
    with gzip.open(target, "wt", encoding="utf-8") as out:
        for document in read_documents(source, limit):
            new = [p for p in paragraphs(document["text"]) if p not in seen]
            seen.update(new)
            if new:
                document["text"] = "\n\n".join(new)
                out.write(json.dumps(document, ensure_ascii=False) + "\n")


def commands(corpus: Corpus, workers: int, scratch: Path) -> dict[str, list[str]]:
    out = scratch / "dedup-out.jsonl.gz"
    dedup = [sys.executable, "-m", "dedup", "clean", str(corpus.path), "-o", str(out), "--quiet"]
    return {
        "dedup": [*dedup, "--workers", str(workers)],
        "rensa": contender("rensa", corpus.keys, "--stats", scratch / "rensa.json"),
        "floor": contender(
            "tokenize",
            corpus.keys,
            "--segmenter",
            "rjieba",
            "--workers",
            str(workers),
            "--stats",
            scratch / "floor.json",
        ),
    }


def bench_corpus(name: str, corpus: Corpus, workers: int, repeat: int, scratch: Path) -> dict[str, list[Run]]:
    """Every contender ``repeat`` times, interleaved."""
    runs: dict[str, list[Run]] = {}
    todo = commands(corpus, workers, scratch)
    processes = {"dedup": workers, "rensa": 1, "floor": workers}
    for _ in range(repeat):
        for who, command in todo.items():
            runs.setdefault(who, []).append(_run(name, who, command, processes[who], corpus, scratch, False))
    for who, command in todo.items():
        # the memory of each (its wall time not counted: see the module)
        memory = _run(name, who, command, processes[who], corpus, scratch, True)
        for run in runs[who]:
            run.tree_peak_mb = max(run.tree_peak_mb, memory.tree_peak_mb)
            run.hwm_sum_mb = max(run.hwm_sum_mb, memory.hwm_sum_mb)
            run.failed = run.failed or memory.failed
    return runs


def _run(
    name: str, who: str, command: list[str], processes: int, corpus: Corpus, scratch: Path, sample: bool
) -> Run:
    stats = scratch / f"{who}.json" if who != "dedup" else None
    ok = (0, 1) if who == "dedup" else (0,)
    return measure(
        f"{name}: {who}", command, processes, corpus.work(), scratch, stats=stats, ok_codes=ok, sample=sample
    )


def summary(runs: dict[str, list[Run]]) -> dict[str, dict[str, float]]:
    rows = {}
    for who, tries in runs.items():
        fastest = min(tries, key=lambda r: r.wall_s)
        rows[who] = {
            "workers": fastest.workers,
            "wall_s": fastest.wall_s,
            "spread": max(r.wall_s for r in tries) / fastest.wall_s,
            "mb_s": fastest.mb_s,
            "cpu_s": fastest.cpu_s,
            "cpu_spread": max(r.cpu_s for r in tries) / max(min(r.cpu_s for r in tries), 1e-9),
            "peak_mb": max(r.peak_mb for r in tries),
            "failed": any(r.failed for r in tries),
            "all_wall_s": [round(r.wall_s, 2) for r in tries],
        }
    return rows


def show(name: str, corpus: Corpus, rows: dict[str, dict[str, float]]) -> None:
    work = corpus.work()
    table = Table(
        title=f"{name}: {work.articles:,} articles, {work.bytes / MIB:.1f} MB, "
        f"{work.paragraphs:,} paragraphs",
        title_justify="left",
    )
    for column in ("contender", "N", "MB/s", "wall s (fastest of all)", "spread", "CPU s", "peak RSS MB"):
        table.add_column(column, justify="left" if column == "contender" else "right")
    for who, row in rows.items():
        label = f"{who} [red](FAILED)[/red]" if row["failed"] else who
        walls = ", ".join(f"{w:.1f}" for w in row["all_wall_s"])
        table.add_row(
            label,
            str(row["workers"]),
            f"{row['mb_s']:.2f}",
            f"{row['wall_s']:.2f} ({walls})",
            f"{row['spread']:.2f}×",
            f"{row['cpu_s']:.2f}",
            f"{row['peak_mb']:.0f}",
        )
    console.print(table)
    dedup, rensa, floor = rows["dedup"], rows["rensa"], rows["floor"]
    console.print(
        f"  dedup / rensa: {dedup['mb_s'] / rensa['mb_s']:.2f}× throughput, "
        f"{rensa['cpu_s'] / dedup['cpu_s']:.2f}× CPU (rensa's CPU s over dedup's);  "
        f"dedup / floor: {dedup['mb_s'] / floor['mb_s']:.2f}× throughput, "
        f"{floor['cpu_s'] / dedup['cpu_s']:.2f}× CPU"
    )
    bound, ratio = balanced_bound(dedup, rensa)
    console.print(
        f"  dedup's CPU s spread evenly over {dedup['workers']} busy processes: {bound:.2f} s at best, "
        f"at most {ratio:.2f}× rensa's throughput (its wall time is {dedup['wall_s'] / bound:.2f}× that)"
    )


def balanced_bound(dedup: dict[str, float], rensa: dict[str, float]) -> tuple[float, float]:
    """The wall time dedup's work would take were ``--workers`` processes busy the whole run (its
    CPU s over their number: no run of that work on that many cores is faster; the main process,
    which reads and writes beside them, counts in the CPU s), and dedup's throughput then as a
    multiple of rensa's."""
    bound = dedup["cpu_s"] / max(1, dedup["workers"])
    return bound, rensa["wall_s"] / bound


#: the one-article run of issue 15 (target: at most 0.6 CPU s, start-up included)
ONE_ARTICLE = Path(__file__).resolve().parent.parent / "fixtures" / "seed" / "article.txt"


def one_article(runs: int, scratch: Path) -> dict[str, list[float]]:
    """CPU s (user + system) of ``dedup clean fixtures/seed/article.txt -o OUT``, the whole
    process as a user runs it (the console script; interpreter start-up, imports, dictionaries
    and every thread included: ``wait4`` counts them all), as installed and with the compiled
    core turned off (``DEDUP_PURE=1``: what an install without a C compiler runs), interleaved."""
    dedup = Path(sys.executable).with_name("dedup")
    argv = [str(dedup), "clean", str(ONE_ARTICLE), "-o", str(scratch / "one-article.txt")]
    variants = {"installed": dict(os.environ), "pure": {**os.environ, "DEDUP_PURE": "1"}}
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(runs):
        for name, env in variants.items():
            pid = os.posix_spawn(argv[0], argv, env, file_actions=_QUIET)
            _, status, usage = os.wait4(pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"bench: {' '.join(argv)} failed")
            times[name].append(usage.ru_utime + usage.ru_stime)
    return {name: sorted(found) for name, found in times.items()}


_QUIET = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_WRONLY, 0) for fd in (1, 2)]


def main() -> int:
    source = Path(os.environ.get("BENCH_INPUT", DEFAULT_INPUT))
    limit = article_limit(DEFAULT_LIMIT)
    workers = int(os.environ.get("BENCH_WORKERS", os.cpu_count() or 1))
    repeat = max(1, int(os.environ.get("BENCH_REPEAT", "3")))
    if not source.is_file():
        console.print(f"[red]bench: {source} not found (set BENCH_INPUT)[/red]")
        return 2
    OUT_DIR.mkdir(exist_ok=True)
    from dedup.matching.core import implementation
    from dedup.typed_core import state as typed_core_state

    started, load_before = time.strftime("%Y-%m-%d %H:%M:%S"), os.getloadavg()
    results = {}
    with tempfile.TemporaryDirectory(prefix="dedup-versus-") as tmp:
        scratch = Path(tmp)
        # a few seconds before the corpora: start-up cost, which the corpora's rates hide
        starts = one_article(ONE_ARTICLE_RUNS, scratch)
        single = starts["installed"]
        low_path = scratch / "low.jsonl.gz"
        low_redundancy(source, limit, low_path)
        corpora = {"big set": (source, limit), "low-redundancy corpus": (low_path, None)}
        for name, (path, prefix) in corpora.items():
            where = scratch / name.split()[0]
            where.mkdir()
            corpus = prepare(path, prefix, where)
            rows = summary(bench_corpus(name, corpus, workers, repeat, where))
            results[name] = (corpus, rows)
    cores = f"{implementation()} core, typed core {typed_core_state()}, {os.cpu_count()} cores"
    console.rule(f"dedup vs rensa vs floor ({cores})")
    load_after = os.getloadavg()
    console.print(
        f"input {source}{f' (first {limit:,} articles)' if limit else ''}; fastest of {repeat} interleaved "
        f"runs, spread = slowest / fastest; load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after"
    )
    for name, (corpus, rows) in results.items():
        show(name, corpus, rows)
    for name, found in starts.items():
        console.print(
            f"one article (dedup clean {ONE_ARTICLE.name} -o OUT, whole process, {name}): fastest "
            f"{found[0]:.2f} CPU s of {len(found)} runs, median {found[len(found) // 2]:.2f}, slowest "
            f"{found[-1]:.2f} (issue 15: at most 0.6)"
        )
    figures = {
        "started": started,
        "input": str(source),
        "limit": limit,
        "repeat": repeat,
        "workers": workers,
        "core": implementation(),
        "typed_core": typed_core_state(),
        "load": [load_before, load_after],
        "one_article_cpu_s": single,
        "one_article_pure_cpu_s": starts["pure"],
        "corpora": {
            name: {
                "work": vars(corpus.work()),
                "contenders": rows,
                "balanced_bound_x_rensa": balanced_bound(rows["dedup"], rows["rensa"])[1],
            }
            for name, (corpus, rows) in results.items()
        },
    }
    (OUT_DIR / "versus.json").write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    failed = any(row["failed"] for _, rows in results.values() for row in rows.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
