"""CPU time of resolution alone: ``Corpus.clean`` over documents extracted beforehand.

With two workers the main process (resolution in corpus order) is the critical path; this times it
apart from extraction. The documents are extracted once and pickled into CACHE; each run unpickles
them in a fresh process (resolution mutates items, and remembers things per process) and times
``Corpus.clean`` with ``time.process_time`` (no report offsets, as ``make bench`` runs). It prints
each run's seconds and a digest of the results, which must not change with an optimisation.

    python bench/resolution.py CACHE [--source ../shared/eval/big/input.jsonl.gz] [--limit 5000]
        [--low] [--runs 3]

``--low``: the low-redundancy corpus ``make bench`` builds (each paragraph at its first occurrence,
empty articles dropped: ``versus.low_redundancy``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import subprocess
import sys
import time
from pathlib import Path

from contenders import paragraphs, read_documents

from dedup.config import Config
from dedup.records import Document
from dedup.run.corpus import Corpus
from dedup.run.parallel import extract_all

SOURCE = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "big" / "input.jsonl.gz"


def extract(source: Path, limit: int, low: bool, cache: Path) -> None:
    documents: list[Document] = []
    seen: set[str] = set()
    for i, document in enumerate(read_documents(source, limit)):
        text = document["text"]
        if low:
            new = [p for p in paragraphs(text) if p not in seen]
            seen.update(new)
            if not new:
                continue
            text = "\n\n".join(new)
        documents.append(Document(id=str(document.get("id", i)), text=text))
    cache.write_bytes(pickle.dumps(list(extract_all(iter(documents), Config(), 1)), protocol=5))


def one_run(cache: Path) -> None:
    """Resolve the cached documents once; print CPU seconds and the results' digest."""
    extracted = pickle.loads(cache.read_bytes())
    with Corpus(Config(), offsets=False) as corpus:
        started = time.process_time()
        results = [corpus.clean(e) for e in extracted]
        seconds = time.process_time() - started
    digest = hashlib.sha256()
    for r in results:
        digest.update(r.cleaned.encode())
        digest.update(repr((r.removed, r.joins, r.flags, r.near_copy_of)).encode())
    print(json.dumps({"seconds": round(seconds, 3), "digest": digest.hexdigest()[:16]}))


def cached_corpus_parser(description: str) -> argparse.ArgumentParser:
    """The arguments of a bench over extracted documents pickled in CACHE (this one's, and
    ``speculation.py``'s)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("cache", type=Path)
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--limit", type=int, default=5000)
    parser.add_argument("--low", action="store_true")
    return parser


def ensure_cache(args: argparse.Namespace) -> None:
    """Extract and pickle the documents into ``args.cache`` unless it is there already."""
    if not args.cache.exists():
        extract(args.source, args.limit, args.low, args.cache)


def main() -> int:
    parser = cached_corpus_parser(__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one_run(args.cache)
        return 0
    ensure_cache(args)
    runs = []
    for _ in range(args.runs):
        out = subprocess.run(
            [sys.executable, __file__, str(args.cache), "--one"], capture_output=True, text=True, check=True
        )
        runs.append(json.loads(out.stdout))
        print(f"run: {runs[-1]['seconds']:.2f} s CPU, digest {runs[-1]['digest']}")
    seconds = [r["seconds"] for r in runs]
    print(f"fastest {min(seconds):.2f} s, spread {max(seconds) - min(seconds):.2f} s over {len(runs)} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
