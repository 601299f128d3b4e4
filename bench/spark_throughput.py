"""`make bench-spark`: the big set and its 10x expansion through the local engine and Spark local[2].

The 10x expansion: every article of the big set, then nine near copies of each (a character changed
in one paragraph in three, a paragraph dropped, a boilerplate line added: small edits, seeded), so
200,000 articles.  Each run is `dedup clean SRC -o OUT --report REP` in a child process, one after
the other; figures per run: wall time, peak RSS (sampled every 200 ms with psutil) of the driver (the
dedup process), the JVM and the Python workers (the JVM's children, summed), and for Spark the
shuffle bytes written (from Spark's event log) and its rounds (from its kept stderr: documents
to resolve, resolved anew, that changed their offers, seconds); and the CPU seconds of the whole process tree
(sampled with psutil: what a loaded machine distorts least), and a digest of
the output and report (to compare runs of other sessions or branches).  The outputs of the two
engines must be identical.

Environment: BENCH_INPUT (default ../shared/eval/big/input.jsonl.gz), BENCH_LIMIT (articles of the
big set; default all), BENCH_COPIES (default 10), BENCH_MASTER (default local[2]),
BENCH_SKIP_EXPANSION=1, BENCH_CORPORA (default "big,expanded"), BENCH_ENGINES (default
"local,spark"; both for the comparison), BENCH_DRIVER_MEMORY (the JVM heap of Spark local, default
8g: 4g overflowed on the expansion).  Figures go to bench-out/spark.json.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from settings import article_limit

ROOT = Path(__file__).resolve().parent.parent
DEDUP = str(Path(sys.executable).with_name("dedup"))
BOILERPLATE = ("本文来源：新华社", "责任编辑：王小明", "（完）", "更多精彩内容请关注本报客户端")


def _articles(source: Path, limit: int | None) -> list[dict[str, object]]:
    found = []
    with gzip.open(source, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if limit is not None and number >= limit:
                break
            found.append(json.loads(line))
    return found


def _edited(text: str, rng: random.Random) -> str:
    paragraphs = text.split("\n\n")
    for i, p in enumerate(paragraphs):
        if len(p) > 20 and rng.random() < 1 / 3:
            at = rng.randrange(len(p))
            paragraphs[i] = p[:at] + rng.choice("的了是在和有") + p[at + 1 :]
    if len(paragraphs) > 3 and rng.random() < 0.5:
        del paragraphs[rng.randrange(1, len(paragraphs))]
    if rng.random() < 0.5:
        paragraphs.append(rng.choice(BOILERPLATE))
    return "\n\n".join(paragraphs)


def expand(articles: list[dict[str, object]], copies: int, target: Path) -> None:
    rng = random.Random(10)
    with gzip.open(target, "wt", encoding="utf-8", compresslevel=1) as out:
        for copy in range(copies):
            for a in articles:
                text = str(a["text"]) if copy == 0 else _edited(str(a["text"]), rng)
                out.write(json.dumps({"id": f"{a['id']}~{copy}", "text": text}, ensure_ascii=False) + "\n")


class Peaks:
    """Peak RSS of a process tree, by role: driver, JVM, Python workers."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.peak = {"driver": 0, "jvm": 0, "workers": 0, "total": 0}
        #: CPU seconds of each process of the tree, as last seen (its own: a reaped child's are
        #: also its parent's children_* times, and it was seen alive)
        self._cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._stop.is_set():
            try:
                now = {"driver": self.root.memory_info().rss, "jvm": 0, "workers": 0}
                for child in [self.root, *self.root.children(recursive=True)]:
                    spent = child.cpu_times()
                    self._cpu[child.pid] = spent.user + spent.system
                    if child.pid == self.root.pid:
                        continue
                    role = "jvm" if "java" in child.name() else "workers"
                    now[role] += child.memory_info().rss
            except psutil.Error:
                break
            now["total"] = sum(now.values())
            for role, value in now.items():
                self.peak[role] = max(self.peak[role], value)
            time.sleep(0.2)

    @property
    def cpu(self) -> float:
        """CPU seconds of the tree, sampled every 200 ms (a process's last 200 ms, and one that lived
        less, are missed)."""
        return sum(self._cpu.values())

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        return {role: round(value / 2**20) for role, value in self.peak.items()}


def shuffle_bytes(log_dir: Path) -> int:
    """Shuffle bytes written, summed over the tasks of the event log's files (``events_*``:
    the marker files beside them are renamed as the JVM shuts down, which can outlast the
    dedup process by a moment: a run's figures were once lost to that race)."""
    total = 0
    for path in glob.glob(str(log_dir / "**" / "events_*"), recursive=True):
        if os.path.isdir(path):
            continue
        with open(path, encoding="utf-8") as events:
            for line in events:
                if '"SparkListenerTaskEnd"' in line:
                    metrics = json.loads(line).get("Task Metrics") or {}
                    total += (metrics.get("Shuffle Write Metrics") or {}).get("Shuffle Bytes Written", 0)
    return total


#: what ``spark.rounds`` logs at the end of a round (``dedup --debug``)
_ROUND = re.compile(
    rb"round (\d+): (\d+) documents to resolve, (\d+) resolved anew, "
    rb"(\d+) changed their offers \(([\d.]+) s\)"
)


def rounds_of(stderr: Path) -> list[dict[str, float]]:
    """The rounds a Spark run logged: documents to resolve, resolved anew, that changed their
    offers, and seconds, each."""
    names = ("to_resolve", "resolved", "changed")
    return [
        {**{n: int(v) for n, v in zip(names, m.groups()[1:4], strict=True)}, "seconds": float(m.group(5))}
        for m in _ROUND.finditer(stderr.read_bytes())
    ]


def run(source: Path, work: Path, engine: str, master: str) -> tuple[dict[str, object], bytes]:
    out, report = work / f"{engine}.jsonl", work / f"{engine}.report.jsonl"
    out.unlink(missing_ok=True)
    report.unlink(missing_ok=True)
    # --debug: an internal error (exit 70) prints its traceback into the kept stderr
    command = [
        DEDUP,
        "--debug",
        "clean",
        str(source),
        "-o",
        str(out),
        "--report",
        str(report),
        "-q",
        "--engine",
        engine,
    ]
    env = dict(os.environ)
    log_dir = work / f"events-{engine}"
    if engine == "spark":
        command += ["--master", master]
        log_dir.mkdir(exist_ok=True)
        conf = f"--conf spark.eventLog.enabled=true --conf spark.eventLog.compress=false --conf spark.eventLog.dir=file://{log_dir}"
        # local[N] runs the executors inside the driver's JVM: its heap is theirs
        memory = os.environ.get("BENCH_DRIVER_MEMORY", "8g")
        env["PYSPARK_SUBMIT_ARGS"] = f"--driver-memory {memory} {conf} pyspark-shell"
    else:
        command += ["--workers", "2"]
    started = time.perf_counter()
    # stderr kept (bench-out/spark-ENGINE-CORPUS.stderr): a run that fails must say why
    (ROOT / "bench-out").mkdir(exist_ok=True)
    errors = ROOT / "bench-out" / f"spark-{engine}-{source.name.split('.')[0]}.stderr"
    with errors.open("wb") as stderr:
        child = subprocess.Popen(command, env=env, stderr=stderr)
        peaks = Peaks(child.pid)
        code = child.wait()
    figures: dict[str, object] = {"engine": engine, "seconds": round(time.perf_counter() - started, 1)}
    figures["peak_rss_mib"] = peaks.stop()
    figures["cpu_seconds"] = round(peaks.cpu, 1)
    figures["exit"] = code
    if engine == "spark":
        figures["shuffle_mib"] = round(shuffle_bytes(log_dir) / 2**20, 1)
        figures["rounds"] = rounds_of(errors)
    if code != 0:
        # a failed run writes nothing (outputs are atomic): what is there is an earlier run's
        figures["sha256"] = None
        return figures, b""
    written = out.read_bytes() + report.read_bytes()
    # what to compare runs of different sessions (or branches) by: the reports name the input's
    # path, which is in a fresh temporary directory each time
    figures["sha256"] = hashlib.sha256(written.replace(str(work).encode(), b"WORK")).hexdigest()[:16]
    return figures, written


def main() -> int:
    source = Path(os.environ.get("BENCH_INPUT", ROOT.parent / "shared" / "eval" / "big" / "input.jsonl.gz"))
    limit = article_limit()
    copies = int(os.environ.get("BENCH_COPIES", "10"))
    master = os.environ.get("BENCH_MASTER", "local[2]")
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="dedup-bench-spark-") as tmp:
        work = Path(tmp)
        articles = _articles(source, limit)
        corpora = [("big", len(articles), 1)]
        if not os.environ.get("BENCH_SKIP_EXPANSION"):
            corpora.append(("expanded", len(articles) * copies, copies))
        wanted = os.environ.get("BENCH_CORPORA", "big,expanded").split(",")
        for name, count, times in (c for c in corpora if c[0] in wanted):
            path = work / f"{name}.jsonl.gz"
            expand(articles, times, path)
            outputs = {}
            for engine in os.environ.get("BENCH_ENGINES", "local,spark").split(","):
                figures, outputs[engine] = run(path, work, engine, master)
                figures.update(corpus=name, articles=count, load=[round(x, 1) for x in os.getloadavg()])
                print(json.dumps(figures), flush=True)
                results.append(figures)
                # saved after every run: a long expansion stopped half way keeps what it measured
                _save(results)
            if len(outputs) < 2:
                continue
            same = outputs["local"] == outputs["spark"]
            print(f"{name}: outputs and reports identical: {same}", flush=True)
            results.append({"corpus": name, "identical": same})
            _save(results)
    return 0


def _save(results: list[dict[str, object]]) -> None:
    (ROOT / "bench-out").mkdir(exist_ok=True)
    (ROOT / "bench-out" / "spark.json").write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    sys.exit(main())
