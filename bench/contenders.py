"""The contenders of ``bench/throughput.py``, each run as its own child process.

``python bench/contenders.py KIND ... --stats STATS.json`` does one job and
writes what it counted (and the CPU time of its inner loop) to STATS.json; the
parent measures wall time and memory from outside, so every contender pays for
its own interpreter start, imports and dictionary loads.

Kinds:

* ``naive``     jieba default cut (HMM on), word 3-grams, ``MinHash.update`` per
                shingle, ``MinHashLSH(threshold=0.8)`` query-then-insert per paragraph
* ``tokenize``  jieba with HMM off (dedup's setting) over the paragraphs' matching
                keys, nothing else: the lower bound of dedup's time (``--segmenter
                rjieba``: the same with rjieba, dedup's default segmenter)
* ``rensa``     rensa (Rust MinHash + LSH) per paragraph over the same rjieba word
                3-grams of the matching keys, 128 permutations: query, then insert
* ``compare``   rjieba vs jieba (HMM off both) on the same keys: how often the
                tokens and the shingle sets differ, and the CPU time of each
* ``api``       fallback for ``dedup clean`` while the CLI does not exist:
                ``dedup.clean`` over the documents, output and report as JSONL
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

#: the scorer's paragraphs: blank-line blocks, stripped, empties dropped
_BLANK_LINE = re.compile(r"\n\s*\n")
#: paragraphs per task sent to a worker (≥ 2,000 keeps two workers at ~2.0×)
CHUNK = 2000
#: words per shingle (dedup's default ``shingle_size``)
SHINGLE_SIZE = 3


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in _BLANK_LINE.split(text) if p.strip()]


def open_text(path: Path, mode: str = "rt") -> IO[Any]:
    if path.suffix == ".gz":
        return gzip.open(path, mode, encoding="utf-8")
    return path.open(mode, encoding="utf-8")


def read_documents(path: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    with open_text(path) as fh:
        count = 0
        for line in fh:
            if not line.strip():
                continue
            if limit is not None and count >= limit:
                break
            count += 1
            yield json.loads(line)


def read_keys(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def write_stats(path: Path, stats: dict[str, Any]) -> None:
    path.write_text(json.dumps(stats, indent=1, ensure_ascii=False), encoding="utf-8")


_T = TypeVar("_T")


def chunks(items: list[str], size: int = CHUNK) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def word_shingles(tokens: list[str], size: int = SHINGLE_SIZE) -> set[tuple[str, ...]]:
    """dedup's scheme: ``size`` consecutive words; fewer words make one shingle."""
    width = min(size, len(tokens))
    return {tuple(tokens[i : i + width]) for i in range(len(tokens) - width + 1)} if tokens else set()


# --------------------------------------------------------------------------- naive
def run_naive(source: Path, limit: int, stats_path: Path) -> None:
    import jieba
    from datasketch import MinHash, MinHashLSH

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    started, wall = time.process_time(), time.perf_counter()
    articles = paras = hits = 0
    for doc in read_documents(source, limit):
        articles += 1
        for para in paragraphs(doc["text"]):
            words = list(jieba.cut(para))
            width = min(3, len(words))
            minhash = MinHash(num_perm=128)
            for i in range(len(words) - width + 1):
                minhash.update(" ".join(words[i : i + width]).encode("utf-8"))
            if lsh.query(minhash):
                hits += 1
            lsh.insert(paras, minhash)
            paras += 1
    write_stats(
        stats_path,
        {
            "articles": articles,
            "paragraphs": paras,
            "with_candidates": hits,
            "loop_cpu_s": time.process_time() - started,
            "loop_wall_s": time.perf_counter() - wall,
        },
    )


# --------------------------------------------------------------------------- jieba only
_CUT: Any = None


def _init_jieba() -> None:
    """One tokenizer per process, as dedup has (the dictionary load is ~1 s)."""
    global _CUT
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    _CUT = tokenizer.cut


def _init_rjieba() -> None:
    global _CUT
    import rjieba

    def cut(key: str, HMM: bool = False) -> list[str]:
        return list(rjieba.cut(key, hmm=HMM))

    _CUT = cut


def _tokenize_chunk(keys: list[str]) -> tuple[int, float]:
    started = time.process_time()
    tokens = 0
    for key in keys:
        tokens += len(list(_CUT(key, HMM=False)))
    return tokens, time.process_time() - started


# --------------------------------------------------------------------------- rensa
def run_rensa(keys_path: Path, stats_path: Path) -> None:
    """rensa per paragraph: rjieba words (HMM off) of the matching key, word
    3-grams (fewer words: one shingle of all), ``RMinHash`` of 128
    permutations, then ``RMinHashLSH`` (threshold 0.8, 16 bands) query-then-insert."""
    import rensa
    import rjieba

    started, wall = time.process_time(), time.perf_counter()
    lsh = rensa.RMinHashLSH(threshold=0.8, num_perm=128, num_bands=16)
    hits = 0
    keys = read_keys(keys_path)
    for number, key in enumerate(keys):
        words = list(rjieba.cut(key, hmm=False))
        width = min(SHINGLE_SIZE, len(words))
        minhash = rensa.RMinHash(num_perm=128, seed=42)
        minhash.update([" ".join(words[i : i + width]) for i in range(len(words) - width + 1)])
        if lsh.query(minhash):
            hits += 1
        lsh.insert(number, minhash)
    write_stats(
        stats_path,
        {
            "keys": len(keys),
            "with_candidates": hits,
            "loop_cpu_s": time.process_time() - started,
            "loop_wall_s": time.perf_counter() - wall,
        },
    )


def _over_chunks(
    function: Callable[[list[str]], _T],
    work: list[list[str]],
    workers: int,
    init: Callable[[], None] = _init_jieba,
) -> list[_T]:
    """``function`` over every chunk, in input order, in a pool of ``workers``
    processes (each with its own jieba) when there are several."""
    if workers <= 1:
        init()
        return [function(c) for c in work]
    import multiprocessing

    with multiprocessing.Pool(workers, initializer=init) as pool:
        results = list(pool.imap(function, work))
        pool.close()
        pool.join()
    return results


def run_tokenize(keys_path: Path, workers: int, stats_path: Path, segmenter: str = "jieba") -> None:
    keys = read_keys(keys_path)
    init = _init_rjieba if segmenter == "rjieba" else _init_jieba
    results = _over_chunks(_tokenize_chunk, chunks(keys), workers, init)
    write_stats(
        stats_path,
        {
            "keys": len(keys),
            "key_bytes": sum(len(k.encode("utf-8")) for k in keys),
            "tokens": sum(t for t, _ in results),
            "tokenize_cpu_s": sum(c for _, c in results),
        },
    )


# --------------------------------------------------------------------------- rjieba vs jieba
def _compare_chunk(keys: list[str]) -> dict[str, Any]:
    import rjieba

    jieba_cpu = rjieba_cpu = 0.0
    tokens_differ = shingles_differ = 0
    examples: list[dict[str, Any]] = []
    for key in keys:
        t0 = time.process_time()
        a = list(_CUT(key, HMM=False))
        t1 = time.process_time()
        b = list(rjieba.cut(key, hmm=False))
        t2 = time.process_time()
        jieba_cpu += t1 - t0
        rjieba_cpu += t2 - t1
        if a != b:
            tokens_differ += 1
            if word_shingles(a) != word_shingles(b):
                shingles_differ += 1
            if len(examples) < 3:
                examples.append({"key": key[:80], "jieba": a[:30], "rjieba": b[:30]})
    return {
        "keys": len(keys),
        "tokens_differ": tokens_differ,
        "shingles_differ": shingles_differ,
        "jieba_cpu_s": jieba_cpu,
        "rjieba_cpu_s": rjieba_cpu,
        "examples": examples,
    }


def run_compare(keys_path: Path, workers: int, stats_path: Path) -> None:
    try:
        import rjieba  # noqa: F401
    except ImportError:
        write_stats(stats_path, {"available": False})
        return
    from importlib.metadata import version

    keys = read_keys(keys_path)
    results = _over_chunks(_compare_chunk, chunks(keys), workers)
    total: dict[str, Any] = {
        "available": True,
        "rjieba": version("rjieba"),
        "jieba": version("jieba"),
        "key_bytes": sum(len(k.encode("utf-8")) for k in keys),
        "examples": [],
    }
    for part in results:
        for name in ("keys", "tokens_differ", "shingles_differ", "jieba_cpu_s", "rjieba_cpu_s"):
            total[name] = total.get(name, 0) + part[name]
        total["examples"].extend(part["examples"])
    total["examples"] = total["examples"][:5]
    write_stats(stats_path, total)


# --------------------------------------------------------------------------- library fallback
def run_api(source: Path, output: Path, report: Path, stats_path: Path) -> None:
    """What ``dedup clean INPUT -o OUT --report REPORT`` does, through the library API."""
    from dataclasses import asdict

    import dedup

    documents = (dedup.Document(id=str(d["id"]), text=d["text"]) for d in read_documents(source))
    count = 0
    with open_text(output, "wt") as out, report.open("w", encoding="utf-8") as rep:
        for result in dedup.clean(documents):
            count += 1
            out.write(json.dumps({"id": result.id, "text": result.cleaned}, ensure_ascii=False) + "\n")
            row = {
                "id": result.id,
                "removed": [asdict(r) for r in result.removed],
                "joins": [asdict(j) for j in result.joins],
                "near_copy_of": asdict(result.near_copy_of) if result.near_copy_of else None,
            }
            rep.write(json.dumps(row, ensure_ascii=False) + "\n")
    write_stats(stats_path, {"articles": count})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("kind", choices=["naive", "tokenize", "compare", "api", "rensa"])
    parser.add_argument("source", type=Path, help="input JSONL(.gz), or the keys file for tokenize/compare")
    parser.add_argument("--stats", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path)
    parser.add_argument("--report", type=Path)
    parser.add_argument("--segmenter", choices=["jieba", "rjieba"], default="jieba")
    args = parser.parse_args(argv)
    if args.kind == "naive":
        run_naive(args.source, args.limit, args.stats)
    elif args.kind == "tokenize":
        run_tokenize(args.source, args.workers, args.stats, args.segmenter)
    elif args.kind == "rensa":
        run_rensa(args.source, args.stats)
    elif args.kind == "compare":
        run_compare(args.source, args.workers, args.stats)
    else:
        run_api(args.source, args.output, args.report, args.stats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
