"""The real entry point, ``python -m dedup``, in its own process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def test_clean_seed_through_pipes(dedup_process, fixtures_dir: Path) -> None:
    article = (fixtures_dir / "seed" / "article.txt").read_bytes()
    run = dedup_process("clean", "-", "-o", "-", "--summary", stdin=article)
    assert run.code == 0
    assert run.out == (fixtures_dir / "seed" / "expected.txt").read_bytes()
    assert "removed ¶" in run.err and "joined ¶" in run.err
    assert "Traceback" not in run.err


def test_scan_json_and_errors(dedup_process, articles, tmp_path: Path) -> None:
    rows = [{"id": "a", "text": articles.first}, {"id": "b", "text": articles.second}]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows) + "[]\n", "utf-8")
    run = dedup_process("scan", "in.jsonl", "--json")
    assert run.code == 123
    assert run.err == "dedup: error: in.jsonl:3: expected a JSON object, got an array\n"

    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    run = dedup_process("scan", "in.jsonl", "--json")
    assert run.code == 1
    assert [r["id"] for r in json.loads(run.out)["results"]] == ["a", "b"]

    (tmp_path / "dedup.toml").write_text("no_such_setting = true\n", "utf-8")
    run = dedup_process("scan", "in.jsonl")
    assert run.code == 2
    assert run.err.startswith("dedup: error: ") and run.err.count("\n") == 1


def test_help_does_not_load_the_pipeline() -> None:
    code = (
        "import sys\n"
        "from dedup.cli import main\n"
        "assert main(['--help']) == 0\n"
        "assert main(['clean', '--help']) == 0\n"
        "heavy = [m for m in ('jieba', 'datasketch', 'dedup.run') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert "HEAVY []" in done.stderr


def test_one_article_run_loads_only_what_it_uses(fixtures_dir: Path, tmp_path: Path) -> None:
    # a plain `dedup clean ARTICLE -o OUT` draws nothing with rich, starts no pool, spills
    # nothing to SQLite and tags no proper noun: none of those modules is imported (~0.1 s);
    # its option values need no pydantic (cli/coercion.py, 0.15 s)
    article = fixtures_dir / "seed" / "article.txt"
    code = (
        "import sys\n"
        "from dedup.cli import main\n"
        f"assert main(['clean', {str(article)!r}, '-o', {str(tmp_path / 'out.txt')!r}]) == 0\n"
        "assert 'dedup.run' in sys.modules\n"
        "from dedup.matching.core import implementation\n"
        "unused = ('rich', 'multiprocessing', 'sqlite3', 'dedup.matching.tagger', 'jieba', 'pydantic')\n"
        # the compiled core cuts words itself: rjieba's dictionary (0.12 s) is not loaded
        "unused += ('rjieba',) if implementation() == 'compiled' else ()\n"
        "print('LOADED', [m for m in unused if m in sys.modules], file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert "LOADED []" in done.stderr
    assert (tmp_path / "out.txt").read_bytes() == (fixtures_dir / "seed" / "expected.txt").read_bytes()


@pytest.mark.parametrize("given, expected", [(None, "1"), ("3", "3")])
def test_a_run_starts_no_blas_thread_unless_told(
    fixtures_dir: Path, tmp_path: Path, given: str | None, expected: str
) -> None:
    # dedup does no linear algebra; OpenBLAS would start a thread per core when numpy loads
    article = fixtures_dir / "seed" / "article.txt"
    code = (
        "import os, sys\n"
        "from dedup.cli import main\n"
        f"assert main(['clean', {str(article)!r}, '-o', {str(tmp_path / 'out.txt')!r}]) == 0\n"
        "print('BLAS', os.environ.get('OPENBLAS_NUM_THREADS'), file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True, env=env
    )
    assert f"BLAS {expected}" in done.stderr


def test_the_commands_fast_exit_still_runs_exit_handlers_and_writes_everything(
    fixtures_dir: Path, tmp_path: Path
) -> None:
    # ``run`` skips freeing the run's objects (os._exit), not the exit handlers (child processes
    # joined, temporary files removed) nor what is buffered for standard output
    article = (fixtures_dir / "seed" / "article.txt").read_text("utf-8")
    rows = "".join(json.dumps({"id": str(n), "text": article}, ensure_ascii=False) + "\n" for n in range(300))
    (tmp_path / "in.jsonl").write_text(rows, "utf-8")
    code = (
        "import atexit, sys\n"
        "from dedup.cli import run\n"
        f"atexit.register(lambda: open({str(tmp_path / 'handled')!r}, 'w').close())\n"
        "run(['clean', 'in.jsonl', '-o', '-', '--workers', '2', '--exit-code'])\n"
        "print('NOT REACHED', file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, timeout=120, check=False
    )
    assert done.returncode == 1, done.stderr  # --exit-code: the copies were removed
    assert b"NOT REACHED" not in done.stderr and b"Traceback" not in done.stderr
    assert (tmp_path / "handled").exists()
    lines = done.stdout.decode("utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [str(n) for n in range(300)]


@pytest.mark.parametrize(
    ("error", "code"), [("OSError(28, 'No space left on device')", 120), ("BrokenPipeError()", 0)]
)
def test_a_standard_stream_that_cannot_be_flushed_at_the_end_is_not_a_success(
    fixtures_dir: Path, tmp_path: Path, error: str, code: int
) -> None:
    # what an ordinary exit does when it cannot flush stdout (status 120), unless the reader is gone
    article = fixtures_dir / "seed" / "article.txt"
    script = (
        "import io, sys\n"
        "from dedup.cli import run\n"
        "class Unflushable(io.StringIO):\n"
        f"    def flush(self): raise {error}\n"
        "sys.stdout = Unflushable()\n"
        f"run(['clean', {str(article)!r}, '-o', 'out.txt', '-q'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, timeout=60, check=False
    )
    assert done.returncode == code, done.stderr
    assert (tmp_path / "out.txt").read_bytes() == (fixtures_dir / "seed" / "expected.txt").read_bytes()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize(
    "args",
    [["clean", "dev.jsonl", "-o", "-"], ["clean", "seed.txt", "-o", "-"], ["scan", "dev.jsonl", "--json"]],
)
def test_standard_output_on_a_full_disk_is_one_line_naming_it(
    fixtures_dir: Path, tmp_path: Path, args: list[str]
) -> None:
    shutil.copy(fixtures_dir / "review" / "dev_sample.jsonl", tmp_path / "dev.jsonl")
    shutil.copy(fixtures_dir / "seed" / "article.txt", tmp_path / "seed.txt")
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "dedup", *args],
            cwd=tmp_path,
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=120,
        )
    assert done.returncode == 123
    assert done.stderr.decode("utf-8") == "dedup: error: <stdout>: cannot write: No space left on device\n"
