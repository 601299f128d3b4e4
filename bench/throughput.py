"""Throughput and memory of ``dedup clean`` against a naive pipeline and a lower bound.

    make bench                                   # the 20,000 articles of ../shared/eval/big
    BENCH_LIMIT=300 BENCH_NAIVE_LIMIT=100 .venv/bin/python bench/throughput.py

Every contender runs in its own child process, one after the other, so each
pays for its own start-up and its memory is its own:

* ``dedup clean`` through the real CLI, with ``--workers 1`` and ``--workers N``
  (N = BENCH_WORKERS, default the number of cores); the two outputs and reports
  must be identical;
* jieba tokenising alone (HMM off, as dedup uses it) over the same paragraphs'
  matching keys, with the same worker counts: the lower bound of dedup's time;
* a naive pipeline (jieba default cut, ``MinHash.update`` per shingle,
  ``MinHashLSH`` threshold 0.8) on the first BENCH_NAIVE_LIMIT articles (it is
  slow); it is compared by throughput, so a prefix is a fair sample, and by its
  steady-state throughput (start-up left out: conservative for dedup);
* rjieba against jieba, HMM off both: how often tokens and shingles differ;
* the dev set through ``bench/devset.py``: detect F1 must not drop below the
  baseline (``bench/devset_baseline.json``, else the previous run's figure).

Memory is per contender: the highest sum of RSS over the child's whole process
tree (psutil, sampled every 50 ms), or the child's ``ru_maxrss`` from
``os.wait4`` (its largest single process) if that is higher.

Environment: BENCH_INPUT (default ``../shared/eval/big/input.jsonl.gz``),
BENCH_LIMIT (articles), BENCH_NAIVE_LIMIT (default 1000), BENCH_WORKERS,
BENCH_REPEAT (default 3: every contender runs that many times, interleaved
with the others, and the fastest run of each is compared; all are listed).
Figures go to ``bench-out/throughput.json``.  MB are MiB of uncompressed JSONL
input (the big set is 64.7 MB); paragraphs are blank-line blocks.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import psutil
from contenders import open_text, paragraphs
from rich.console import Console
from rich.table import Table
from settings import article_limit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT_DIR = ROOT / "bench-out"
BASELINE = BENCH / "devset_baseline.json"
DEFAULT_INPUT = ROOT.parent / "shared" / "eval" / "big" / "input.jsonl.gz"
MIB = 1024 * 1024

#: targets of the issue
NAIVE_RATIO_TARGET = 10.0
LOWER_BOUND_RATIO_TARGET = 1.3
RSS_TARGET_MB = 2048.0
SAMPLE_EVERY_S = 0.05
RSS_METHOD = (
    "peak_mb = max(tree_peak_mb, max_process_mb); tree_peak_mb = highest sum of RSS over the contender's "
    f"process tree, sampled with psutil every {SAMPLE_EVERY_S} s; max_process_mb = ru_maxrss from os.wait4 "
    "(largest single process of the tree); hwm_sum_mb = sum of every process's VmHWM (an upper bound)"
)

console = Console()
if not console.is_terminal:
    console = Console(width=150)


# --------------------------------------------------------------------------- measuring a child
def _vm_hwm_kib(pid: int) -> int:
    """Peak resident set of one process so far (Linux ``VmHWM``), 0 if unknown."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class TreeMemory(threading.Thread):
    """Samples the memory of a process and all its descendants until stopped.

    ``peak`` is the highest sum of RSS over the tree seen at one instant;
    ``hwm`` the peak RSS of every process ever seen in the tree.  RSS counts
    pages shared between processes (fork copy-on-write, libraries) once per
    process, so both sums err on the high side.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.peak = 0
        self.hwm: dict[int, int] = {}
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.sample()
            self._done.wait(SAMPLE_EVERY_S)

    def sample(self) -> None:
        try:
            tree = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return
        total = 0
        for process in tree:
            try:
                total += process.memory_info().rss
            except psutil.Error:
                continue
            self.hwm[process.pid] = max(self.hwm.get(process.pid, 0), _vm_hwm_kib(process.pid) * 1024)
        self.peak = max(self.peak, total)

    def stop(self) -> None:
        self._done.set()
        self.join()


@dataclass
class Run:
    """One contender run, measured from outside."""

    name: str
    workers: int
    articles: int
    bytes: int
    paragraphs: int
    wall_s: float
    cpu_s: float
    exit_code: int
    #: a bad exit code, a traceback, or a missing output
    failed: bool
    #: highest sum of RSS over the process tree, sampled every SAMPLE_EVERY_S
    tree_peak_mb: float
    #: ru_maxrss from os.wait4: the largest single process of the tree (exact)
    max_process_mb: float
    #: sum of every process's own peak (VmHWM): an upper bound of the tree's peak
    hwm_sum_mb: float
    processes: int
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def peak_mb(self) -> float:
        return max(self.tree_peak_mb, self.max_process_mb)

    @property
    def mb_s(self) -> float:
        return self.bytes / MIB / self.wall_s if self.wall_s else 0.0

    @property
    def paragraphs_s(self) -> float:
        return self.paragraphs / self.wall_s if self.wall_s else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "peak_mb": self.peak_mb, "mb_s": self.mb_s, "paragraphs_s": self.paragraphs_s}


def measure(
    name: str,
    command: list[str],
    workers: int,
    work: Work,
    scratch: Path,
    *,
    stats: Path | None = None,
    produces: tuple[Path, ...] = (),
    ok_codes: tuple[int, ...] = (0,),
    sample: bool = True,
) -> Run:
    """Run ``command`` as a child, wait for it with ``os.wait4``, sample its tree meanwhile
    (unless not ``sample``: then only ``max_process_mb`` is known of its memory).

    The run failed if it exits with another code than ``ok_codes``, prints a
    traceback, or leaves out one of the files it ``produces`` (or its stats).
    """
    console.print(
        f"[dim]running {name} (workers={workers}, {work.articles:,} articles"
        f"{'' if sample else ', timed, memory not sampled'})…[/dim]"
    )
    log = scratch / f"{re.sub(r'[^a-z0-9]+', '-', name.lower())}-{workers}.log"
    with log.open("wb") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeMemory(child.pid)
        if sample:
            sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        if sample:
            sampler.stop()
    child.returncode = os.waitstatus_to_exitcode(status)
    output = log.read_text(encoding="utf-8", errors="replace")
    missing = [path.name for path in (*produces, *([stats] if stats else [])) if not path.is_file()]
    failed = (
        child.returncode not in ok_codes or "Traceback (most recent call last)" in output or bool(missing)
    )
    if failed:
        tail = "\n".join(output.strip().splitlines()[-12:])
        console.print(
            f"[red]{name} (workers={workers}) failed: exit {child.returncode}"
            f"{f', missing {missing}' if missing else ''}[/red]\n{tail}"
        )
    return Run(
        name=name,
        workers=workers,
        articles=work.articles,
        bytes=work.bytes,
        paragraphs=work.paragraphs,
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        exit_code=child.returncode,
        failed=failed,
        tree_peak_mb=sampler.peak / MIB,
        max_process_mb=usage.ru_maxrss / 1024,  # KiB on Linux
        hwm_sum_mb=sum(sampler.hwm.values()) / MIB,
        processes=len(sampler.hwm),
        stats=json.loads(stats.read_text(encoding="utf-8")) if stats and stats.is_file() else {},
    )


# --------------------------------------------------------------------------- input
@dataclass
class Work:
    articles: int
    bytes: int
    paragraphs: int


@dataclass
class Corpus:
    path: Path
    keys: Path
    key_source: str
    #: cumulative (bytes, paragraphs) after each article, for prefixes
    prefix: list[tuple[int, int]]

    def work(self, articles: int | None = None) -> Work:
        count = len(self.prefix) if articles is None else min(articles, len(self.prefix))
        size, paras = self.prefix[count - 1] if count else (0, 0)
        return Work(count, size, paras)


def prepare(source: Path, limit: int | None, scratch: Path) -> Corpus:
    """Count the input, write the BENCH_LIMIT subset and the paragraphs' matching keys."""
    try:
        from dedup.text.normalize import fold

        key_source = "dedup.text.normalize.fold of each paragraph"
    except ImportError:

        def fold(text: str) -> str:
            return "".join(text.split())

        key_source = "paragraph text without whitespace (dedup.text.normalize.fold not importable)"
    path = source if limit is None else scratch / "input.jsonl.gz"
    keys = scratch / "keys.txt"
    prefix: list[tuple[int, int]] = []
    size = paras = 0
    subset = gzip.open(path, "wb") if limit is not None else None
    with (
        gzip.open(source, "rb") if source.suffix == ".gz" else source.open("rb") as fh,
        keys.open("w", encoding="utf-8") as key_out,
    ):
        for line in fh:
            if not line.strip():
                continue
            if limit is not None and len(prefix) >= limit:
                break
            if subset is not None:
                subset.write(line)
            blocks = paragraphs(json.loads(line)["text"])
            for block in blocks:
                key = fold(block)
                if key:
                    key_out.write(key + "\n")
            size += len(line)
            paras += len(blocks)
            prefix.append((size, paras))
    if subset is not None:
        subset.close()
    return Corpus(path, keys, key_source, prefix)


def content_digest(path: Path) -> str:
    """sha256 of a file's content (decompressed if gzip: the header holds a timestamp)."""
    digest = hashlib.sha256()
    with gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def first_difference(a: Path, b: Path) -> int | None:
    """1-based number of the first line where two (decompressed) files differ."""
    with open_text(a) as fa, open_text(b) as fb:
        number = 0
        while True:
            number += 1
            la, lb = fa.readline(), fb.readline()
            if la != lb:
                return number
            if not la:
                return None


# --------------------------------------------------------------------------- dev set
_F1_LINE = re.compile(r"^all \(interchangeable copies\)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", re.M)
_LOSS_LINE = re.compile(r"^\s*content_loss\s+([\d.]+)", re.M)


def parse_devset(stdout: str) -> dict[str, Any]:
    """The detect F1 line and the content_loss line of the scorer's tables."""
    found: dict[str, Any] = {}
    f1 = _F1_LINE.search(stdout)
    if f1 is not None:
        found.update(
            precision=float(f1.group(1)),
            recall=float(f1.group(2)),
            detect_f1=float(f1.group(3)),
            f1_line=f1.group(0).strip(),
        )
    loss = _LOSS_LINE.search(stdout)
    if loss is not None:
        found.update(content_loss=float(loss.group(1)), content_loss_line=loss.group(0).strip())
    return found


def devset() -> dict[str, Any]:
    """Detect F1 and content_loss from bench/devset.py (which runs the real CLI)."""
    console.print("[dim]running bench/devset.py…[/dim]")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(BENCH / "devset.py")], cwd=ROOT, capture_output=True, text=True, check=False
    )
    result: dict[str, Any] = {"exit_code": done.returncode, "wall_s": time.perf_counter() - started}
    result.update(parse_devset(done.stdout))
    if done.returncode != 0 or "detect_f1" not in result:
        lines = (done.stderr or done.stdout).strip().splitlines()
        result["error"] = lines[-1] if lines else "no output"
    return result


def devset_baseline(previous: dict[str, Any] | None) -> tuple[float | None, str]:
    if BASELINE.is_file():
        data = json.loads(BASELINE.read_text(encoding="utf-8"))
        return float(data["detect_f1"]), f"{BASELINE.relative_to(ROOT)}"
    if previous and previous.get("devset", {}).get("detect_f1") is not None:
        return float(previous["devset"]["detect_f1"]), f"previous run ({previous.get('started', '?')})"
    return None, "none"


# --------------------------------------------------------------------------- report
def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "absent"


def _check(name: str, target: str, measured: str, ok: bool | None, note: str = "") -> dict[str, Any]:
    status = "—" if ok is None else ("PASS" if ok else "FAIL")
    return {"check": name, "target": target, "measured": measured, "status": status, "note": note}


# --------------------------------------------------------------------------- the runs
def contender(kind: str, *args: str | Path) -> list[str]:
    return [sys.executable, str(BENCH / "contenders.py"), kind, *map(str, args)]


def dedup_command(
    source: Path, out: Path, report: Path, workers: int, use_cli: bool, scratch: Path
) -> list[str]:
    if use_cli:
        command: list[str | Path] = ["-m", "dedup", "clean", source, "-o", out, "--report", report, "--quiet"]
        return [sys.executable, *map(str, command), "--workers", str(workers)]
    return contender("api", source, "-o", out, "--report", report, "--stats", scratch / "api.json")


@dataclass
class Bench:
    """Everything measured in one run of this script."""

    corpus: Corpus
    scope: str
    workers: int
    use_cli: bool
    runs: list[Run] = field(default_factory=list)
    dedup: dict[int, Run] = field(default_factory=dict)
    lower: dict[int, Run] = field(default_factory=dict)
    naive: Run | None = None
    compare: Run | None = None
    #: dedup with ``--segmenter jieba`` at N workers, when ``auto`` picks rjieba (information)
    with_jieba: Run | None = None
    #: its cleaned output against the default segmenter's
    jieba_output: str = ""
    identical: bool | None = None
    difference: str = ""
    digests: dict[int, tuple[str, str]] = field(default_factory=dict)


def _fastest(runs: list[Run]) -> Run:
    """The fastest of repeated runs (a failed run counts as failed)."""
    failed = [r for r in runs if r.failed]
    return failed[0] if failed else min(runs, key=lambda r: r.wall_s)


def run_contenders(
    corpus: Corpus, scope: str, workers: int, naive_limit: int, repeat: int, scratch: Path
) -> Bench:
    use_cli = find_spec("dedup.cli") is not None
    if not use_cli:
        console.print(
            "[yellow]dedup.cli does not exist yet: dedup runs through the library API "
            "(bench/contenders.py api), single process whatever --workers says[/yellow]"
        )
    bench = Bench(corpus, scope, workers, use_cli)
    everything = corpus.work()
    outputs: dict[int, tuple[Path, Path]] = {}
    # Each dedup run right after its lower bound and the naive pipeline, so the
    # three share the machine's load of the moment; every contender runs
    # ``repeat`` times and the fastest run of each counts (on a shared machine
    # the slower runs measure the neighbours).
    lowers: dict[int, list[Run]] = {}
    dedups: dict[int, list[Run]] = {}
    naives: list[Run] = []
    with_jieba: list[Run] = []
    for _ in range(repeat):
        stats = scratch / "naive.json"
        command = contender("naive", corpus.path, "--limit", str(naive_limit), "--stats", stats)
        naives.append(measure("naive (prefix)", command, 1, corpus.work(naive_limit), scratch, stats=stats))
        for n in sorted({1, workers}):
            stats = scratch / f"tokenize-{n}.json"
            command = contender("tokenize", corpus.keys, "--workers", str(n), "--stats", stats)
            lowers.setdefault(n, []).append(
                measure("jieba only, HMM off", command, n, everything, scratch, stats=stats)
            )
            out, report = scratch / f"dedup-{n}.jsonl.gz", scratch / f"dedup-{n}.report.jsonl"
            command = dedup_command(corpus.path, out, report, n, use_cli, scratch)
            name = "dedup clean" if use_cli else "dedup.clean API (no CLI)"
            run = measure(name, command, n, everything, scratch, produces=(out, report))
            dedups.setdefault(n, []).append(run)
            if not run.failed:
                digest = (content_digest(out), content_digest(report))
                if bench.digests.setdefault(n, digest) != digest:
                    bench.difference += f"two runs with {n} workers differ; "
                outputs[n] = (out, report)
            if n == workers and use_cli and find_spec("rjieba") is not None:
                # the default segmenter (auto) is rjieba here: jieba's figures too, for information
                plain, plain_report = scratch / "dedup-jieba.jsonl.gz", scratch / "dedup-jieba.report.jsonl"
                command = [*dedup_command(corpus.path, plain, plain_report, n, use_cli, scratch)]
                command += ["--segmenter", "jieba"]
                run = measure("dedup clean --segmenter jieba", command, n, everything, scratch)
                with_jieba.append(run)
                if not run.failed and n in outputs:
                    same = content_digest(plain) == content_digest(outputs[n][0])
                    bench.jieba_output = "identical" if same else "DIFFERENT"
    failed = [r for r in naives if r.failed]
    bench.naive = failed[0] if failed else max(naives, key=naive_steady_mb_s)
    for n in dedups:
        bench.lower[n], bench.dedup[n] = _fastest(lowers[n]), _fastest(dedups[n])
    bench.runs = [*naives, *(r for n in sorted(dedups) for r in (*lowers[n], *dedups[n])), *with_jieba]
    bench.with_jieba = _fastest(with_jieba) if with_jieba else None

    stats = scratch / "compare.json"
    command = contender("compare", corpus.keys, "--workers", str(workers), "--stats", stats)
    bench.compare = measure("rjieba vs jieba", command, workers, everything, scratch, stats=stats)

    if workers > 1 and 1 in bench.digests and workers in bench.digests:
        bench.identical = bench.digests[1] == bench.digests[workers] and not bench.difference
        for label, index in (("output", 0), ("report", 1)):
            if bench.digests[1][index] != bench.digests[workers][index]:
                line = first_difference(outputs[1][index], outputs[workers][index])
                kept = []
                for n in (1, workers):
                    copy = OUT_DIR / f"workers{n}-{outputs[n][index].name}"
                    shutil.copyfile(outputs[n][index], copy)
                    kept.append(copy.name)
                bench.difference += (
                    f"{label} differs from line {line} (kept in bench-out/: {', '.join(kept)}); "
                )
        if not bench.identical:
            bench.difference += (
                "the worker count, string-hash order (PYTHONHASHSEED) or an edit of dedup/ during the "
                "run can cause this"
            )
    return bench


def naive_steady_mb_s(naive: Run) -> float:
    """The naive pipeline's throughput without its start-up (imports, dictionary load).

    It runs on a prefix only, over which a second of start-up weighs far more
    than over dedup's whole input; leaving it out is conservative for dedup.
    """
    loop = naive.stats.get("loop_wall_s")
    return naive.bytes / MIB / loop if loop else naive.mb_s


def evaluate(
    bench: Bench, dev: dict[str, Any], baseline: float | None, baseline_source: str, subset: bool
) -> list[dict[str, Any]]:
    """The issue's targets, each PASS or FAIL (— for figures shown for information).

    A target whose runs failed is a FAIL: a crash is never fast enough.
    """
    assert bench.naive is not None
    naive, top = bench.naive, bench.workers
    naive_mb_s = naive_steady_mb_s(naive)
    checks: list[dict[str, Any]] = []

    def add(name: str, target: str, measured: str, ok: bool | None, note: str, *runs: Run) -> None:
        broken = [f"{r.name} N={r.workers} failed (exit {r.exit_code})" for r in runs if r.failed]
        if broken:
            checks.append(_check(name, target, "n/a", False, "; ".join(broken)))
        else:
            checks.append(_check(name, target, measured, ok, note))

    for n, run in bench.dedup.items():
        ratio = run.mb_s / naive_mb_s if naive_mb_s else 0.0
        note = f"{run.mb_s:.3f} vs {naive_mb_s:.3f} MB/s (naive: {naive.articles:,} articles, steady state)"
        if n != top:
            note += "; information, the target is at N=default"
        ok = ratio >= NAIVE_RATIO_TARGET if n == top else None
        add(
            f"dedup / naive throughput, N={n}",
            f"≥ {NAIVE_RATIO_TARGET:g}×",
            f"{ratio:.2f}×",
            ok,
            note,
            run,
            naive,
        )
    for n, run in bench.dedup.items():
        lower = bench.lower[n]
        ratio = run.wall_s / lower.wall_s if lower.wall_s else 0.0
        note = f"{run.wall_s:.2f} s vs {lower.wall_s:.2f} s (CPU {run.cpu_s:.2f} s vs {lower.cpu_s:.2f} s)"
        add(
            f"dedup / jieba-only time, N={n}",
            f"≤ {LOWER_BOUND_RATIO_TARGET:g}×",
            f"{ratio:.2f}×",
            ratio <= LOWER_BOUND_RATIO_TARGET,
            note,
            run,
            lower,
        )
    if bench.with_jieba is not None:
        run, lower = bench.with_jieba, bench.lower[top]
        ratio = run.mb_s / naive_mb_s if naive_mb_s else 0.0
        add(
            f"with --segmenter jieba: / naive, N={top}",
            f"≥ {NAIVE_RATIO_TARGET:g}×",
            f"{ratio:.2f}×",
            None,
            f"{run.mb_s:.3f} MB/s; information: the default segmenter (auto) is rjieba here",
            run,
            naive,
        )
        add(
            f"with --segmenter jieba: / jieba-only, N={top}",
            f"≤ {LOWER_BOUND_RATIO_TARGET:g}×",
            f"{run.wall_s / lower.wall_s:.2f}×" if lower.wall_s else "n/a",
            None,
            f"{run.wall_s:.2f} s vs {lower.wall_s:.2f} s; cleaned output {bench.jieba_output} to rjieba's",
            run,
            lower,
        )
    peak = max(run.peak_mb for run in bench.dedup.values())
    add(
        "dedup peak RSS",
        f"≤ {RSS_TARGET_MB:.0f} MB on the full set",
        f"{peak:.0f} MB",
        peak <= RSS_TARGET_MB,
        bench.scope + (", not conclusive" if subset else ""),
        *bench.dedup.values(),
    )
    same = "identical" if bench.identical else "DIFFERENT"
    note = bench.difference or "sha256 of the decompressed output and of the report"
    if not bench.use_cli:
        note += "; API fallback: both runs are single-process"
    if top > 1:
        add(f"output, --workers 1 vs {top}", "identical", same, bench.identical, note, *bench.dedup.values())
    f1 = dev.get("detect_f1")
    name = "dev-set detect F1 did not drop"
    if f1 is None:
        failed = not dev.get("skipped")
        why = f"bench/devset.py failed (exit {dev.get('exit_code')})" if failed else "skipped"
        checks.append(_check(name, "≥ baseline", "n/a", False if failed else None, why))
    elif baseline is None:
        checks.append(
            _check(name, "≥ baseline", f"{f1:.3f}", None, "no baseline yet: --save-baseline records one")
        )
    else:
        ok = round(f1, 3) >= round(baseline, 3)
        checks.append(
            _check(name, "≥ baseline", f"{f1:.3f}", ok, f"baseline {baseline:.3f} ({baseline_source})")
        )
    return checks


# --------------------------------------------------------------------------- output
def print_runs(runs: list[Run], chosen: list[Run]) -> None:
    table = Table(title="Contenders, each in its own child process", title_justify="left")
    for column in (
        "contender",
        "N",
        "articles",
        "MB",
        "paragraphs",
        "wall s",
        "CPU s",
        "MB/s",
        "para/s",
        "peak RSS MB",
        "max proc MB",
        "Σ HWM MB",
        "procs",
    ):
        table.add_column(column, justify="left" if column == "contender" else "right", no_wrap=True)
    for r in runs:
        name = f"{r.name} [red](FAILED)[/red]" if r.failed else r.name
        table.add_row(
            f"{name} [bold]*[/bold]" if any(r is c for c in chosen) else name,
            str(r.workers),
            f"{r.articles:,}",
            f"{r.bytes / MIB:.2f}",
            f"{r.paragraphs:,}",
            f"{r.wall_s:.2f}",
            f"{r.cpu_s:.2f}",
            f"{r.mb_s:.3f}",
            f"{r.paragraphs_s:,.0f}",
            f"{r.peak_mb:.0f}",
            f"{r.max_process_mb:.0f}",
            f"{r.hwm_sum_mb:.0f}",
            str(r.processes),
        )
    console.print(table)
    console.print(
        "* = the run compared against the targets: the fastest of each contender's runs (the naive "
        "pipeline's: by steady-state throughput); the runs were interleaved.\n"
        "N = worker processes.  MB = MiB of JSONL input; paragraphs = blank-line blocks.  Wall s includes "
        "interpreter start, imports and dictionary loads; CPU s = user+sys of the whole tree (os.wait4).\n"
        "Memory: peak RSS = max(highest sum of RSS over the contender's process tree, sampled every "
        f"{SAMPLE_EVERY_S * 1000:.0f} ms with psutil; max proc).  max proc = ru_maxrss from os.wait4: the "
        "biggest single process of the tree, exact.  Σ HWM = sum of every process's own peak (VmHWM): an "
        "upper bound.  Sums count pages shared after fork once per process, so they err high."
    )


def print_checks(checks: list[dict[str, Any]]) -> None:
    table = Table(title="Targets of the issue", title_justify="left")
    for column in ("check", "target", "measured", "status", "note"):
        table.add_column(column)
    for c in checks:
        colour = {"PASS": "green", "FAIL": "red"}.get(c["status"], "dim")
        status = f"[{colour}]{c['status']}[/{colour}]"
        table.add_row(c["check"], c["target"], c["measured"], status, c["note"])
    console.print(table)


def print_notes(bench: Bench, dev: dict[str, Any]) -> None:
    assert bench.naive is not None and bench.compare is not None
    naive = bench.naive
    console.print(
        "naive = jieba default cut (HMM on), word 3-grams, MinHash(num_perm=128).update per shingle, "
        "MinHashLSH(threshold=0.8) query-then-insert per paragraph, on the first "
        f"{naive.articles:,} articles (BENCH_NAIVE_LIMIT): ratios are throughput ratios (MB/s), so a "
        "prefix is a fair sample; the ratio uses its steady-state throughput, without its start-up "
        f"({naive_steady_mb_s(naive):.3f} MB/s; {naive.mb_s:.3f} with it).  "
        f"{naive.stats.get('with_candidates', 0):,} of {naive.stats.get('paragraphs', 0):,} paragraphs had "
        "LSH candidates."
    )
    cs = bench.compare.stats
    if cs.get("available"):
        keys = cs["keys"] or 1
        jieba_speed = cs["key_bytes"] / MIB / max(cs["jieba_cpu_s"], 1e-9)
        rjieba_speed = cs["key_bytes"] / MIB / max(cs["rjieba_cpu_s"], 1e-9)
        console.print(
            f"rjieba {cs['rjieba']} vs jieba {cs['jieba']}, HMM off both ({bench.scope}): tokens differ on "
            f"{cs['tokens_differ']:,} of {cs['keys']:,} paragraph keys ({cs['tokens_differ'] / keys:.3%}), "
            f"word 3-gram shingle sets on {cs['shingles_differ']:,} ({cs['shingles_differ'] / keys:.3%}).  "
            f"Tokenising alone: jieba {jieba_speed:.2f}, rjieba {rjieba_speed:.2f} MB of key text per "
            f"CPU-second ({rjieba_speed / max(jieba_speed, 1e-9):.1f}×)."
        )
        for example in cs["examples"][:3]:
            console.print(f"  differs: {example['key']}")
            console.print(f"    jieba  {example['jieba']}\n    rjieba {example['rjieba']}")
    else:
        console.print("rjieba is not installed: no comparison.")
    if "detect_f1" in dev:
        console.print(f"dev set ({dev['wall_s']:.0f} s): {dev['f1_line']}")
        if "content_loss_line" in dev:
            console.print(f"dev set: {dev['content_loss_line']}")
    elif not dev.get("skipped"):
        console.print(
            f"[red]dev set: bench/devset.py exited with {dev['exit_code']}[/red]: {dev.get('error')}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--no-devset", action="store_true", help="skip the dev-set F1 check")
    parser.add_argument(
        "--save-baseline",
        action="store_true",
        help=f"record this run's dev-set figures in {BASELINE.relative_to(ROOT)}",
    )
    args = parser.parse_args(argv)

    source = Path(os.environ.get("BENCH_INPUT", DEFAULT_INPUT))
    limit = article_limit()
    naive_limit = int(os.environ.get("BENCH_NAIVE_LIMIT", "1000"))
    workers = int(os.environ.get("BENCH_WORKERS", os.cpu_count() or 1))
    repeat = max(1, int(os.environ.get("BENCH_REPEAT", "3")))
    if not source.is_file():
        console.print(f"[red]bench: {source} not found (set BENCH_INPUT)[/red]")
        return 2
    OUT_DIR.mkdir(exist_ok=True)
    out_json = OUT_DIR / "throughput.json"
    previous = json.loads(out_json.read_text(encoding="utf-8")) if out_json.is_file() else None
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    load_before = os.getloadavg()

    with tempfile.TemporaryDirectory(prefix="dedup-bench-") as tmp:
        scratch = Path(tmp)
        console.print(f"[dim]preparing {source}{f' (first {limit} articles)' if limit else ''}…[/dim]")
        corpus = prepare(source, limit, scratch)
        everything = corpus.work()
        scope = "full set" if limit is None else f"subset of {everything.articles:,} articles"
        bench = run_contenders(corpus, scope, workers, naive_limit, repeat, scratch)
    dev = devset() if not args.no_devset else {"skipped": True}
    baseline, baseline_source = devset_baseline(previous)
    load_after = os.getloadavg()
    checks = evaluate(bench, dev, baseline, baseline_source, subset=limit is not None)

    console.rule("dedup benchmark")
    console.print(
        f"input {source} ({scope}: {everything.bytes / MIB:.1f} MB, {everything.paragraphs:,} paragraphs); "
        f"{os.cpu_count()} cores; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after"
    )
    via = "the CLI, python -m dedup clean" if bench.use_cli else "the library API (NO CLI YET)"
    keys = bench.lower[workers].stats.get("keys", 0)
    console.print(
        f"dedup runs through {via}.  jieba-only tokenises the {keys:,} paragraphs' matching keys "
        f"({corpus.key_source}) in chunks of 2,000, in a multiprocessing pool when N > 1."
    )
    chosen = [bench.naive, *bench.lower.values(), *bench.dedup.values(), bench.with_jieba]
    print_runs(bench.runs, [run for run in chosen if run is not None])
    if limit is not None:
        console.print(
            "[yellow]A subset: the fixed start-up of every child (interpreter, imports, a jieba dictionary "
            "per process: 1-2 s) weighs far more than on the full set; judge the ratios there.[/yellow]"
        )
    print_notes(bench, dev)
    print_checks(checks)

    assert bench.compare is not None
    figures = {
        "started": started,
        "input": str(source),
        "scope": scope,
        "limit": limit,
        "naive_limit": naive_limit,
        "repeat": repeat,
        "workers": sorted({1, workers}),
        "dedup_via": "cli" if bench.use_cli else "api-fallback",
        "key_source": corpus.key_source,
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "load_before": load_before,
            "load_after": load_after,
        },
        "versions": {p: _version(p) for p in ("dedup", "jieba", "rjieba", "datasketch", "numpy")},
        "rss_method": RSS_METHOD,
        "runs": [r.as_dict() for r in bench.runs],
        "rjieba_vs_jieba": {
            **bench.compare.stats,
            "wall_s": bench.compare.wall_s,
            "peak_mb": bench.compare.peak_mb,
        },
        "identical_outputs": bench.identical,
        "digests": {str(n): d for n, d in bench.digests.items()},
        "devset": dev,
        "devset_baseline": {"detect_f1": baseline, "source": baseline_source},
        "checks": checks,
    }
    out_json.write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    console.print(f"figures written to {out_json.relative_to(ROOT)}")
    if args.save_baseline and "detect_f1" in dev:
        record = {
            "detect_f1": dev["detect_f1"],
            "content_loss": dev.get("content_loss"),
            "recorded": started,
            "dedup": _version("dedup"),
        }
        BASELINE.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        console.print(f"dev-set baseline written to {BASELINE.relative_to(ROOT)}")
    return 1 if any(r.failed for r in bench.runs) else 0


if __name__ == "__main__":
    sys.exit(main())
