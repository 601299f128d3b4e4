"""``dedup clean --engine spark``: the same files as the local engine (in-process,
on the session's Spark), and the usage errors of the new options."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dedup.cli import main

from .corpus import dev_like

pytestmark = pytest.mark.spark


def _write(path: Path, articles: list[tuple[str, str]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for n, (doc_id, text) in enumerate(articles):
            fields = {"id": doc_id, "text": text, "n": n} if n % 7 else {"text": text, "n": n}
            out.write(json.dumps(fields, ensure_ascii=False) + "\n")
        out.write("\n")  # a blank line is skipped, as by the local engine


def test_jsonl_and_parquet_outputs_and_reports_equal_the_local_engines(spark: Any, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    _write(source, dev_like(30, seed=11))
    for suffix in (".jsonl", ".parquet"):
        written = {}
        for engine in ("local", "spark"):
            out, report = tmp_path / f"{engine}{suffix}", tmp_path / f"{engine}.report.jsonl"
            args = ["clean", str(source), "-o", str(out), "--report", str(report), "-q", "--exit-code"]
            code = main([*args, "--engine", engine])
            assert code == 1  # something changed
            written[engine] = (out.read_bytes(), report.read_bytes())
        assert written["spark"] == written["local"]


def test_master_without_the_spark_engine_is_a_usage_error(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    _write(source, dev_like(2))
    assert main(["clean", str(source), "-o", str(tmp_path / "o.jsonl"), "--master", "local[2]"]) == 2
    assert main(["clean", str(source), "-o", str(tmp_path / "o.jsonl"), "--engine", "ray"]) == 2
    assert not (tmp_path / "o.jsonl").exists()


def test_an_empty_input_gives_an_empty_output(spark: Any, tmp_path: Path) -> None:
    source = tmp_path / "empty.jsonl"
    source.write_text("\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["clean", str(source), "-o", str(out), "-q", "--engine", "spark"]) == 0
    assert out.read_bytes() == b""
