"""Interruptions: SIGINT and SIGTERM leave no temporary file and say so in one
line (exit 130, 143); a run killed at any moment (SIGKILL too) and run again ends
exactly where an uninterrupted run ends, with no stray file."""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: files of the kill test's corpus, and how many times a run of it is killed (more locally:
#: DEDUP_KILL_FILES=5000 DEDUP_KILLS=100)
FILES = int(os.environ.get("DEDUP_KILL_FILES", "1500"))
KILLS = int(os.environ.get("DEDUP_KILLS", "20"))


def _paragraphs() -> list[str]:
    text = (ROOT / "fixtures" / "seed" / "expected.txt").read_text("utf-8")
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _corpus(root: Path, files: int, seed: int = 7) -> None:
    """``files`` small articles of seed paragraphs drawn at random (so most repeat earlier ones)."""
    paragraphs = _paragraphs()
    rng = random.Random(seed)
    for number in range(files):
        folder = root / f"d{number % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        body = "\n\n".join(rng.choice(paragraphs) for _ in range(rng.randint(2, 5))) + "\n"
        (folder / f"a{number:05d}.txt").write_text(body, "utf-8")


def _state(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _clean(root: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "dedup", "clean", str(root), "--in-place", "-q", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # a process group of its own, as a shell job has
    )


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    """A directory on tmpfs when the machine has one (thousands of fsyncs are slow on disk)."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        base = shm / f"dedup-test-{os.getpid()}-{tmp_path.name}"
        base.mkdir()
        yield base
        shutil.rmtree(base, ignore_errors=True)
    else:
        yield tmp_path


def _stray(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob(".*"))


def _mtimes(folder: Path) -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for p in folder.glob("*.txt")}


def _wait_for_a_write(root: Path, process: subprocess.Popen[bytes]) -> None:
    """Until the run has rewritten a file (so it is past its start-up, handlers installed).
    A file is written beside its target and renamed over it, which changes its folder's mtime:
    the folders are watched (ten stats a poll), and only a changed folder's files are read
    (statting all 6,000 files a poll took long enough under load for a fast run to finish
    writing between two polls)."""
    deadline = time.monotonic() + 300
    folders = sorted(p for p in root.iterdir() if p.is_dir())
    seen = {folder: folder.stat().st_mtime_ns for folder in folders}
    files = {folder: _mtimes(folder) for folder in folders}
    while True:
        assert process.poll() is None and time.monotonic() < deadline, "the run ended before writing"
        for folder in folders:
            if folder.stat().st_mtime_ns != seen[folder] and _mtimes(folder) != files[folder]:
                return
        time.sleep(0.005)


@pytest.mark.parametrize(
    ("sent", "code", "line"), [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")]
)
def test_interrupted_run_cleans_up_and_says_so(scratch: Path, sent: int, code: int, line: str) -> None:
    # enough files that the run is still going when the signal lands, even on a loaded machine
    # (1,000 took 0.65 s in all once extraction and verification got faster: too close)
    _corpus(scratch, 6000)
    before = _state(scratch)
    process = _clean(scratch, "--workers", "2")
    _wait_for_a_write(scratch, process)
    if sent == signal.SIGINT:
        os.killpg(process.pid, sent)  # Ctrl-C reaches the whole group, workers too
    else:
        os.kill(process.pid, sent)
    _, err = process.communicate(timeout=120)
    text = err.decode("utf-8")
    assert process.returncode == code, text
    assert text == f"dedup: error: {line}\n"
    assert _stray(scratch) == []
    state = _state(scratch)
    assert state != before and any(state[name] == data for name, data in before.items())


@pytest.mark.parametrize(
    ("sent", "code", "line"), [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")]
)
def test_an_interrupted_run_with_a_review_leaves_no_page_and_no_process(
    scratch: Path, tmp_path: Path, sent: int, code: int, line: str
) -> None:
    # the signal reaches the whole group: the review's process (``review.apart``) as well
    _corpus(scratch, 6000)
    page = tmp_path / "review.html"
    process = _clean(scratch, "--workers", "2", "--review", str(page))
    _wait_for_a_write(scratch, process)
    os.killpg(process.pid, sent)
    _, err = process.communicate(timeout=120)
    assert process.returncode == code
    assert err.decode("utf-8") == f"dedup: error: {line}\n"
    assert not page.exists() and list(tmp_path.iterdir()) == [] and _stray(scratch) == []
    time.sleep(0.5)  # (the group's last processes reaped)
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)


@pytest.mark.slow
def test_killed_runs_resume_to_the_uninterrupted_end(scratch: Path) -> None:
    original_root, reference_root, work = scratch / "original", scratch / "reference", scratch / "work"
    _corpus(original_root, FILES)
    shutil.copytree(original_root, reference_root)
    shutil.copytree(original_root, work)
    original = _state(original_root)
    started = time.monotonic()
    assert _clean(reference_root).wait(timeout=600) == 0
    full = time.monotonic() - started
    reference = _state(reference_root)
    assert reference != original

    rng = random.Random(11)
    signals = [signal.SIGKILL, signal.SIGTERM, signal.SIGINT]
    for kill in range(KILLS):
        # a SIGKILL's leftovers stay until a run sweeps them, which a run stopped early may not reach
        left = set(_stray(work))
        process = _clean(work)
        time.sleep(rng.uniform(0.2, full))
        sent = signals[kill % 3]
        os.kill(process.pid, sent)
        _, err = process.communicate(timeout=120)
        # (a SIGINT during Python's own start-up, before dedup runs, may still print a traceback)
        assert "ForkPoolWorker" not in err.decode("utf-8")
        state = _state(work)
        for name, data in state.items():
            if not name.rsplit("/", 1)[-1].startswith("."):
                assert data in (original[name], reference[name]), name
        if sent != signal.SIGKILL:
            # an interrupted run removes its own temporary files
            assert set(_stray(work)) <= left, sent
    assert _clean(work).wait(timeout=600) == 0
    assert _stray(work) == []
    assert _state(work) == reference
