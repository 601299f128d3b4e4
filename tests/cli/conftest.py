"""Helpers for the command-line tests.

Most tests call :func:`dedup.cli.main` in-process (jieba's dictionary is loaded
once per session by the root conftest); a few run ``python -m dedup`` in a
subprocess to check the real entry point end to end.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from dedup.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "seed"


@dataclass
class Run:
    code: int
    out: bytes
    err: str

    @property
    def text(self) -> str:
        return self.out.decode("utf-8")

    def json_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.out.decode("utf-8").splitlines() if line.strip()]


@pytest.fixture
def dedup(capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Run ``dedup ARGS...`` in-process; ``stdin`` is fed to standard input."""

    def run(*args: str | os.PathLike[str], stdin: bytes | None = None) -> Run:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
        capsysbinary.readouterr()
        code = main([os.fspath(a) for a in args])
        captured = capsysbinary.readouterr()
        return Run(code, captured.out, captured.err.decode("utf-8"))

    return run


@pytest.fixture
def dedup_process() -> Callable[..., Run]:
    """Run ``python -m dedup ARGS...`` as its own process (from the current directory)."""

    def run(*args: str | os.PathLike[str], stdin: bytes | None = None) -> Run:
        done = subprocess.run(
            [sys.executable, "-m", "dedup", *map(os.fspath, args)],
            input=stdin if stdin is not None else b"",
            capture_output=True,
            timeout=120,
            check=False,
        )
        return Run(done.returncode, done.stdout, done.stderr.decode("utf-8"))

    return run


@pytest.fixture(autouse=True)
def _no_stray_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Work in a fresh directory, with no settings file of the machine in the way."""
    monkeypatch.chdir(tmp_path)
    yield


def seed_paragraphs() -> list[str]:
    text = (SEED / "expected.txt").read_bytes().decode("utf-8")
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


@dataclass(frozen=True)
class Articles:
    """Small articles made of real paragraphs of the seed article.

    ``first`` and ``second`` share one paragraph (``shared``) word for word;
    ``copy`` repeats all of ``first`` under another title; ``unique`` shares
    nothing with any of them.
    """

    first: str
    second: str
    copy: str
    unique: str
    shared: str


def _article(paragraphs: Sequence[str]) -> str:
    return "\n\n".join(paragraphs) + "\n"


@pytest.fixture(scope="session")
def articles() -> Articles:
    p = seed_paragraphs()
    return Articles(
        first=_article([p[6], p[7], p[9], p[12]]),
        second=_article([p[13], p[15], p[9], p[17]]),
        copy=_article(["复工复产工作积极有序推进", p[7], p[9], p[12]]),
        unique=_article([p[22], p[24], p[25]]),
        shared=p[9],
    )


class Jsonl:
    """Write and read JSONL files in tests."""

    @staticmethod
    def write(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        return path

    @staticmethod
    def read(path: Path) -> list[dict[str, Any]]:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def jsonl() -> type[Jsonl]:
    return Jsonl


@pytest.fixture
def pair(tmp_path: Path, articles: Articles) -> Path:
    """``in.jsonl``: article ``a`` (``articles.first``), then ``b`` (``articles.second``)."""
    return Jsonl.write(
        tmp_path / "in.jsonl", [{"id": "a", "text": articles.first}, {"id": "b", "text": articles.second}]
    )
