"""Pre-commit check latency: ``dedup check`` on 3 changed files against a corpus
of 10,300 articles held in git.

Builds a temporary git repository from the dev set (``../shared/eval/public/
input.jsonl``, 300 articles) and the first 10,000 articles of the big set
(``../shared/eval/big/input.jsonl.gz``), one text file per article, commits it,
builds the index with ``dedup index build`` (timed, size reported), then times
the real command line, ``dedup check A B C``, on three staged changes, as a
pre-commit hook runs it:

* an existing article with a near-copy of a paragraph of another article appended,
* a new article pasting a near-copy of a dev-set paragraph into unique text,
* a new article of unique text (words of the corpus in a random order).

Every round writes new edits (so the three files are indexed again, as in a
real commit) and runs the command in a fresh process (start-up, segmenter and
datasketch loading included).  Prints the median and the worst round and PASS
or FAIL against the 2-second target.  ``BENCH_ROUNDS``, ``BENCH_LIMIT`` and
``BENCH_KEEP=1`` (keep the repository) change the run; ``BENCH_SEGMENTER=jieba``
measures the segmenter dedup falls back to without the ``fast`` extra.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

from settings import article_limit

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
DEDUP = [sys.executable, "-m", "dedup"]
TARGET_SECONDS = 2.0


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def _articles(limit: int | None) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    dev = [json.loads(line) for line in (SHARED / "public" / "input.jsonl").open(encoding="utf-8")]
    with gzip.open(SHARED / "big" / "input.jsonl.gz", "rt", encoding="utf-8") as fh:
        big = [json.loads(line) for line in islice(fh, limit)]
    return dev, big


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if len(p.strip()) >= 40]


def _edit(paragraph: str, rng: random.Random) -> str:
    """A near-copy: re-punctuated and one character changed."""
    chars = list(paragraph.replace("，", ",", 2))
    at = rng.randrange(len(chars) // 3, len(chars) - 1)
    chars[at] = "的" if chars[at] != "的" else "了"
    return "".join(chars)


def _unique_text(rng: random.Random, words: list[str], paragraphs: int) -> list[str]:
    """Paragraphs of words drawn at random from the corpus vocabulary: text that
    repeats nothing (the big set is web news, full of syndicated copies, so
    unused real articles are rarely unique)."""
    out = []
    for _ in range(paragraphs):
        clauses = ["".join(rng.choices(words, k=rng.randint(4, 9))) for _ in range(rng.randint(4, 8))]
        out.append("，".join(clauses) + "。")
    return out


def _run(repo: Path, *args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    began = time.perf_counter()
    done = subprocess.run([*DEDUP, *args], cwd=repo, capture_output=True, text=True, check=False)
    return time.perf_counter() - began, done


def main() -> int:
    limit = article_limit(10000)
    rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
    for path in (SHARED / "public" / "input.jsonl", SHARED / "big" / "input.jsonl.gz"):
        if not path.is_file():
            print(f"bench-check: {path} not found", file=sys.stderr)
            return 2
    dev, big = _articles(limit)
    workdir = Path(tempfile.mkdtemp(prefix="dedup-bench-check-"))
    repo = workdir / "corpus"
    try:
        began = time.perf_counter()
        (repo / "dev").mkdir(parents=True)
        (repo / "big").mkdir()
        for article in dev:
            (repo / "dev" / f"{article['id']}.txt").write_text(article["text"], encoding="utf-8")
        for article in big:
            (repo / "big" / f"{article['id']}.txt").write_text(article["text"], encoding="utf-8")
        segmenter = os.environ.get("BENCH_SEGMENTER")
        if segmenter:
            (repo / "dedup.toml").write_text(f'segmenter = "{segmenter}"\n', encoding="utf-8")
        _git(repo, "init", "-q")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", "corpus")
        files = len(dev) + len(big)
        print(f"corpus: {files:,} articles committed in {time.perf_counter() - began:.1f} s ({repo})")
        # in a real repository the articles are older than the file system's clock tick
        time.sleep(2.1)

        seconds, done = _run(repo, "index", "build")
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 1
        stats = json.loads(_run(repo, "index", "stats", "--format", "json")[1].stdout)
        print(
            f"index build: {seconds:.1f} s for {stats['files']:,} files, {stats['paragraphs']:,} paragraphs, "
            f"{stats['bands']:,} band rows, {stats['postings']:,} anchor postings, "
            f"{stats['bytes'] / 1e6:.1f} MB"
        )

        rng = random.Random(5)
        words = sorted({m for a in dev for m in re.findall(r"[\u4e00-\u9fff]{2}", a["text"])})
        timings: list[float] = []
        for round_ in range(rounds):
            changed = repo / "big" / f"{big[rng.randrange(len(big))]['id']}.txt"
            original = changed.read_text(encoding="utf-8")
            source = dev[rng.randrange(len(dev))]
            pasted = _edit(rng.choice(_paragraphs(source["text"]) or [source["text"]]), rng)
            other = big[rng.randrange(len(big))]
            appended = _edit(rng.choice(_paragraphs(other["text"]) or [other["text"]]), rng)
            fresh = _unique_text(rng, words, 4)
            changed.write_text(original.rstrip("\n") + "\n\n" + appended + "\n", encoding="utf-8")
            (repo / "new-paste.txt").write_text(
                "\n\n".join([f"新稿件{round_}", fresh[0], pasted, fresh[1]]) + "\n", encoding="utf-8"
            )
            (repo / "new-unique.txt").write_text(
                "\n\n".join([f"独家报道{round_}", fresh[2], fresh[3]]) + "\n", encoding="utf-8"
            )
            names = [changed.relative_to(repo).as_posix(), "new-paste.txt", "new-unique.txt"]
            _git(repo, "add", *names)
            seconds, done = _run(repo, "check", *names)
            timings.append(seconds)
            flagged = {line.split(":", 1)[0] for line in done.stdout.splitlines() if ":" in line}
            expected = {names[0], "new-paste.txt"}
            note = (
                "ok"
                if done.returncode == 1 and expected <= flagged and names[2] not in flagged
                else "UNEXPECTED"
            )
            shown = ", ".join(sorted(flagged))
            print(f"round {round_ + 1}: {seconds:.2f} s, exit {done.returncode}, flagged {shown} ({note})")
            if note != "ok":
                print(done.stdout + done.stderr)
            _git(repo, "reset", "-q", "--", *names)
            _git(repo, "checkout", "HEAD", "--", names[0])

        median = statistics.median(timings)
        verdict = "PASS" if median < TARGET_SECONDS else "FAIL"
        print(
            f"check 3 changed files against {files:,} articles: median {median:.2f} s, "
            f"worst {max(timings):.2f} s over {rounds} rounds (target < {TARGET_SECONDS:.0f} s): {verdict}"
        )
        return 0 if verdict == "PASS" else 1
    finally:
        if os.environ.get("BENCH_KEEP") == "1":
            print(f"kept {repo}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
