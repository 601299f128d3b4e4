"""Score dedup on the real scraped pages of ``../shared/eval``: ``real`` (annotated) and ``wild`` (a month).

``python bench/realpages.py real`` cleans every page of ``real/raw/`` on its own through the CLI (as a
user would, one file in, one file out) and prints the set's scorer table; ``wild`` cleans the whole month
as one corpus and prints ``check.py``'s figures.  ``--keep DIR`` leaves the outputs there to read.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"


def _dedup(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "dedup", "clean", *args, "--quiet"], check=False)
    if done.returncode != 0:
        sys.exit(f"realpages: dedup clean {' '.join(args)} exited with {done.returncode}")


def real(out: Path, extra: list[str]) -> int:
    pages = SHARED / "real"
    for raw in sorted((pages / "raw").glob("*.txt")):
        _dedup(str(raw), "-o", str(out / raw.name), *extra)
    return subprocess.run([sys.executable, str(pages / "score.py"), str(out)], check=False).returncode


def wild(out: Path, extra: list[str]) -> int:
    pages = SHARED / "wild"
    cleaned = out / "wild.out.jsonl"
    _dedup(str(pages / "pages.jsonl.gz"), "-o", str(cleaned), "--report", str(out / "report.jsonl"), *extra)
    check = [sys.executable, str(pages / "check.py"), str(pages / "pages.jsonl.gz"), str(cleaned)]
    return subprocess.run(check, check=False).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", choices=["real", "wild"])
    parser.add_argument("--keep", type=Path, help="write the cleaned pages here instead of a scratch folder")
    parser.add_argument("extra", nargs="*", help="further options for dedup clean (after --)")
    args = parser.parse_args()
    if not (SHARED / args.set).is_dir():
        print(f"realpages: {SHARED / args.set} not found", file=sys.stderr)
        return 2
    run = real if args.set == "real" else wild
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        return run(args.keep, args.extra)
    with tempfile.TemporaryDirectory(prefix=f"dedup-{args.set}-") as tmp:
        return run(Path(tmp), args.extra)


if __name__ == "__main__":
    sys.exit(main())
