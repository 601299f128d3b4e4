"""Snapshot dedup's output and report on fixed corpora, to prove a change keeps behaviour byte for byte.

`python bench/snapshot.py DIR` writes, for every corpus and worker count, the cleaned output and the
report into DIR (`made_by` dropped, as it names the version; the scratch folder's name masked);
`--compare OLD NEW` lists the files that differ.
The corpora: every fixture input, the dev set, the first 5,000 articles of the big set, and the wild month.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"


def _corpora(work: Path, big_limit: int) -> dict[str, Path]:
    corpora: dict[str, Path] = {}
    fixtures = work / "fixtures.jsonl"
    with fixtures.open("w", encoding="utf-8") as out:
        for path in sorted((ROOT / "fixtures").rglob("*")):
            if path.is_file() and path.suffix == ".txt" and path.name not in {"why.txt", "expected.txt"}:
                text = path.read_text(encoding="utf-8", errors="surrogateescape")
                out.write(
                    json.dumps({"id": str(path.relative_to(ROOT)), "text": text}, ensure_ascii=False) + "\n"
                )
    corpora["fixtures"] = fixtures
    if (SHARED / "public" / "input.jsonl").exists():
        corpora["dev"] = SHARED / "public" / "input.jsonl"
    if (SHARED / "big" / "input.jsonl.gz").exists():
        big = work / "big.jsonl"
        with (
            gzip.open(SHARED / "big" / "input.jsonl.gz", "rt", encoding="utf-8") as src,
            big.open("w") as out,
        ):
            for number, line in enumerate(src):
                if number >= big_limit:
                    break
                out.write(line)
        corpora["big"] = big
    if (SHARED / "wild" / "pages.jsonl.gz").exists():
        corpora["wild"] = SHARED / "wild" / "pages.jsonl.gz"
    return corpora


def _without_made_by(report: Path, work: Path) -> bytes:
    lines = []
    for line in report.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        record.pop("made_by", None)
        if isinstance(record.get("path"), str):
            record["path"] = record["path"].replace(str(work), "<work>")
        lines.append(json.dumps(record, ensure_ascii=False, sort_keys=True))
    return ("\n".join(lines) + "\n").encode()


def snapshot(target: Path, big_limit: int, workers: list[int], extra: list[str]) -> None:
    target.mkdir(parents=True, exist_ok=True)
    dedup = str(Path(sys.executable).with_name("dedup"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, source in _corpora(work, big_limit).items():
            for count in workers:
                out = work / f"{name}.{count}.jsonl"
                report = work / f"{name}.{count}.report.jsonl"
                command = [dedup, "clean", str(source), "-o", str(out), "--report", str(report)]
                command += ["--workers", str(count), *extra]
                done = subprocess.run(command, capture_output=True, text=True)
                if done.returncode != 0:
                    sys.exit(f"snapshot: {name} with {count} workers failed: {done.stderr.strip()}")
                shutil.copyfile(out, target / out.name)
                (target / report.name).write_bytes(_without_made_by(report, work))
                digest = hashlib.sha256(out.read_bytes()).hexdigest()[:12]
                print(f"{name:9} workers={count} output {digest}")


def compare(old: Path, new: Path) -> int:
    names = sorted({p.name for p in old.iterdir()} | {p.name for p in new.iterdir()})
    differ = [
        n
        for n in names
        if not (old / n).exists()
        or not (new / n).exists()
        or (old / n).read_bytes() != (new / n).read_bytes()
    ]
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(names) - len(differ)} of {len(names)} files identical")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", nargs="?", type=Path)
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("OLD", "NEW"))
    parser.add_argument("--big-limit", type=int, default=5000)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("extra", nargs="*", help="further options for dedup clean (after --)")
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    if args.target is None:
        parser.error("name a target folder or --compare OLD NEW")
    snapshot(args.target, args.big_limit, [int(w) for w in args.workers.split(",")], args.extra)
    return 0


if __name__ == "__main__":
    sys.exit(main())
