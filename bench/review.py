"""What ``dedup clean --review`` costs, and whether the page it writes stays light.

    make bench            # after bench/throughput.py, on the 20,000 articles of ../shared/eval/big
    make bench-review     # this alone
    BENCH_LIMIT=2000 .venv/bin/python bench/review.py

``dedup clean`` runs with ``--report`` and then with ``--report --review``,
REVIEW_REPEAT times each (default 2), interleaved (A B, B A, ...), each in its
own process; the fastest run of each is compared (all runs are listed).  The page
is then opened in Debian's chromium through Playwright (skipped, with the
reason, when either is missing), three times: the time from navigation to the
page's ``data-ready`` mark (the script has parsed the data and drawn the list),
and the JavaScript heap it uses.  Targets (issue 13): the page opens in under
2 s, weighs under ~50 MB, and writing it adds at most 10 % to the run's time.
With more than one worker the review is gathered by a process of its own
(``review.apart``), so its own work (timed here in this process) is off the
critical path of the run; what it adds is the first line's figure.

Environment: BENCH_INPUT (default ``../shared/eval/big/input.jsonl.gz``),
BENCH_LIMIT (articles), BENCH_WORKERS (default: the cores), REVIEW_REPEAT.
Figures go to ``bench-out/review.json``.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from settings import article_limit

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench-out"
DEFAULT_INPUT = ROOT.parent / "shared" / "eval" / "big" / "input.jsonl.gz"
CHROMIUM = os.environ.get("DEDUP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
MIB = 1024 * 1024

OPEN_TARGET_S = 2.0
SIZE_TARGET_MB = 50.0
OVERHEAD_TARGET = 0.10


def subset(source: Path, limit: int | None, scratch: Path) -> Path:
    if limit is None:
        return source
    path = scratch / "input.jsonl"
    with gzip.open(source, "rt", encoding="utf-8") if source.suffix == ".gz" else source.open() as lines:
        with path.open("w", encoding="utf-8") as out:
            for n, line in enumerate(lines):
                if n >= limit:
                    break
                out.write(line)
    return path


def clean(source: Path, scratch: Path, workers: int, review: bool) -> float:
    """One run of ``dedup clean`` in its own process; its wall time."""
    command = [str(Path(sys.executable).parent / "dedup"), "clean", str(source), "-q"]
    command += ["-o", str(scratch / "out.jsonl.gz"), "--report", str(scratch / "report.jsonl")]
    command += ["--workers", str(workers)]
    if review:
        command += ["--review", str(scratch / "review.html")]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"bench: dedup clean failed ({done.returncode}): {done.stderr.strip()}")
    return took


def review_work(corpus: Path, scratch: Path) -> float:
    """The review's own work, timed in this process: every report line and text added, the page
    written (reading the input and the report is left out).  The run-to-run noise of a shared
    machine is larger than this, so it is the steadier figure of what ``--review`` costs."""
    from dedup.files import read_documents
    from dedup.review import Review

    texts = [document.text for document in read_documents([corpus])]
    with (scratch / "report.jsonl").open(encoding="utf-8") as report:
        lines = [json.loads(line) for line in report]
    start = time.perf_counter()
    page = Review()
    for line, text in zip(lines, texts, strict=True):
        page.add(line, text)
    page.write(scratch / "review-alone.html")
    page.close()
    return time.perf_counter() - start


def open_page(page_path: Path, times: int = 3) -> dict[str, Any]:
    """Open the page in chromium ``times`` times: time to ready (ms), JS heap (MB)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"skipped": "the playwright package is not installed (pip install -e '.[dev]')"}
    if not os.path.exists(CHROMIUM):
        return {"skipped": f"no Chromium at {CHROMIUM} (apt-get install chromium)"}
    ready, heap = [], []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM)
        for _ in range(times):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            page.goto(page_path.as_uri(), timeout=60_000)
            page.wait_for_selector("html[data-ready='1']", timeout=60_000)
            ready.append(page.evaluate("window.reviewReadyMs") / 1000)
            heap.append(page.evaluate("performance.memory.usedJSHeapSize") / MIB)
            if errors:
                raise SystemExit(f"bench: the review page raised: {errors[0]}")
            page.close()
        browser.close()
    return {"ready_s": ready, "js_heap_mb": heap}


def main() -> int:
    source = Path(os.environ.get("BENCH_INPUT") or DEFAULT_INPUT)
    if not source.exists():
        print(f"bench: {source} not found (the big set lives in ../shared/eval/big)")
        return 0
    limit = article_limit()
    workers = int(os.environ.get("BENCH_WORKERS") or os.cpu_count() or 1)
    repeat = int(os.environ.get("REVIEW_REPEAT") or 2)
    with tempfile.TemporaryDirectory(prefix="dedup-bench-review-") as tmp:
        scratch = Path(tmp)
        corpus = subset(source, limit, scratch)
        runs: dict[str, list[float]] = {"clean --report": [], "clean --report --review": []}
        for n in range(repeat):
            order = [False, True] if n % 2 == 0 else [True, False]
            for review in order:
                name = "clean --report --review" if review else "clean --report"
                runs[name].append(clean(corpus, scratch, workers, review))
        page = scratch / "review.html"
        size_mb = page.stat().st_size / MIB
        alone = review_work(corpus, scratch)
        opened = open_page(page)
    report(source, limit, workers, runs, size_mb, opened, alone)
    return 0


def report(
    source: Path,
    limit: int | None,
    workers: int,
    runs: dict[str, list[float]],
    size_mb: float,
    opened: dict[str, Any],
    alone: float,
) -> None:
    plain, with_review = min(runs["clean --report"]), min(runs["clean --report --review"])
    overhead = with_review / plain - 1
    what = f"{source.name}" + (f", first {limit:,} articles" if limit else "")
    print(f"\nReview page (bench/review.py): {what}, {workers} workers")
    for name, times in runs.items():
        print(f"  {name:<26} runs: {', '.join(f'{t:.1f} s' for t in times)} (fastest {min(times):.1f} s)")
    checks = [
        (
            "writing the review adds",
            f"{100 * overhead:+.1f} %",
            f"≤ {100 * OVERHEAD_TARGET:.0f} %",
            overhead <= OVERHEAD_TARGET,
        ),
        (
            # gathered apart (more than one worker), it runs beside the run: the first line is what
            # it adds, and this one tells how much it does on the other core (not judged)
            "the review's own work" + (" (apart)" if workers > 1 else ""),
            f"{alone:.1f} s = {100 * alone / plain:.1f} % of the fastest run",
            "none (beside the run)" if workers > 1 else f"≤ {100 * OVERHEAD_TARGET:.0f} %",
            None if workers > 1 else alone / plain <= OVERHEAD_TARGET,
        ),
        ("page size", f"{size_mb:.1f} MB", f"< {SIZE_TARGET_MB:.0f} MB", size_mb < SIZE_TARGET_MB),
    ]
    if "skipped" in opened:
        print(f"  opening in chromium: skipped: {opened['skipped']}")
    else:
        fastest = min(opened["ready_s"])
        ready = ", ".join(f"{t:.2f} s" for t in opened["ready_s"])
        heap = max(opened["js_heap_mb"])
        checks.append(
            (
                "opens (navigation to ready)",
                f"{fastest:.2f} s (runs: {ready})",
                f"< {OPEN_TARGET_S:.0f} s",
                max(opened["ready_s"]) < OPEN_TARGET_S,
            )
        )
        checks.append(
            ("JS heap after opening", f"{heap:.1f} MB", f"< {SIZE_TARGET_MB:.0f} MB", heap < SIZE_TARGET_MB)
        )
    for name, measured, target, ok in checks:
        verdict = "info" if ok is None else "ok  " if ok else "MISS"
        print(f"  {verdict} {name:<30} {measured:<36} target {target}")
    OUT_DIR.mkdir(exist_ok=True)
    figures = {
        "input": str(source),
        "limit": limit,
        "workers": workers,
        "runs_s": runs,
        "overhead": overhead,
        "review_work_s": alone,
        "page_mb": size_mb,
        "opened": opened,
    }
    (OUT_DIR / "review.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
