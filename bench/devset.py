"""Score dedup on a labelled dev set with the set's own scorer.

Runs ``dedup clean`` on the set's input JSONL (through the real CLI), turns the
report's character offsets into the paragraph indices the scorer expects, and
prints both of its tables.  Paths default to ``../shared/eval/public``;
``EVAL_INPUT`` / ``EVAL_GOLD`` point it at another set of the same format.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
_PARA_SPLIT = re.compile(r"\n\s*\n")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the scorer's paragraphs: blank-line blocks, stripped, empties dropped."""
    spans = []
    position = 0
    for block in _PARA_SPLIT.split(text):
        start = text.index(block, position) if block else position
        position = start + len(block)
        stripped = block.strip()
        if stripped:
            lead = len(block) - len(block.lstrip())
            spans.append((start + lead, start + lead + len(stripped)))
    return spans


def removed_paragraphs(text: str, removed: list[dict]) -> list[int]:
    """Indices of paragraphs whose every non-space character lies in a removed span."""
    out = []
    for i, (start, end) in enumerate(paragraph_spans(text)):
        gone = [False] * (end - start)
        for r in removed:
            for k in range(max(r["start"], start), min(r["end"], end)):
                gone[k - start] = True
        if all(g or text[start + k].isspace() for k, g in enumerate(gone)):
            out.append(i)
    return out


def main() -> int:
    source = Path(os.environ.get("EVAL_INPUT", SHARED / "public" / "input.jsonl"))
    gold = Path(os.environ.get("EVAL_GOLD", SHARED / "public" / "gold.jsonl"))
    scorer = Path(os.environ.get("EVAL_SCORER", SHARED / "score.py"))
    for path in (source, gold, scorer):
        if not path.is_file():
            print(f"eval: {path} not found (set EVAL_INPUT / EVAL_GOLD)", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory(prefix="dedup-eval-") as tmp:
        cleaned = Path(tmp) / "clean.jsonl"
        report = Path(tmp) / "report.jsonl"
        command = [
            sys.executable,
            "-m",
            "dedup",
            "clean",
            str(source),
            "-o",
            str(cleaned),
            "--report",
            str(report),
            "--quiet",
        ]
        done = subprocess.run(command, check=False)
        if done.returncode != 0:
            print(f"eval: dedup exited with {done.returncode}", file=sys.stderr)
            return done.returncode
        texts = {}
        with source.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    row = json.loads(line)
                    texts[row["id"]] = row["text"]
        pred = Path(tmp) / "detect.jsonl"
        with report.open(encoding="utf-8") as fh, pred.open("w", encoding="utf-8") as out:
            for line in fh:
                row = json.loads(line)
                remove = removed_paragraphs(texts[row["id"]], row["removed"])
                out.write(json.dumps({"id": row["id"], "remove": remove}) + "\n")
        for mode, path in (("detect", pred), ("clean", cleaned)):
            subprocess.run(
                [sys.executable, str(scorer), mode, "--gold", str(gold), "--pred", str(path)], check=True
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
