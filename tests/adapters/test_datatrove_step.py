"""The datatrove pipeline step, in a real datatrove pipeline (reader, step, writer)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytest.importorskip("datatrove", reason="the datatrove extra is not installed")

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

from dedup.adapters.datatrove_step import DedupCleaner

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_cleaner_in_a_datatrove_pipeline(tmp_path: Path) -> None:
    text = (FIXTURES / "seed" / "expected.txt").read_bytes().decode("utf-8")
    p = [x.strip() for x in re.split(r"\n\s*\n", text) if x.strip()]
    rows = [
        {"id": "a", "text": "\n\n".join([p[6], p[7], p[9], p[12]]) + "\n"},
        {"id": "b", "text": "\n\n".join([p[13], p[15], p[9], p[17]]) + "\n"},
        {"id": "c", "text": "\n\n".join(["复工复产工作积极有序推进", p[7], p[9], p[12]]) + "\n"},
    ]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "part.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    pipeline = [
        JsonlReader(str(tmp_path / "in")),
        DedupCleaner(min_body_chars=20),
        JsonlWriter(str(tmp_path / "out"), compression=None),
    ]
    LocalPipelineExecutor(pipeline, tasks=1, logging_dir=str(tmp_path / "logs")).run()
    [written] = (tmp_path / "out").glob("*.jsonl")
    out = [json.loads(line) for line in written.read_text("utf-8").splitlines()]
    assert [r["id"] for r in out] == ["a", "b"]  # c, stripped to its title, is dropped
    assert out[0]["text"] == rows[0]["text"] and p[9] not in out[1]["text"]
    assert out[1]["metadata"]["dedup"]["dedup_removed"] == 1
