"""Shared fixtures of the library test suite (unit, golden, property).

jieba loads its dictionary once per process (about a second); the session
fixture below does it up front so that no single test, and no hypothesis
example, pays for it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# Property suites that set no number of examples take it from the profile: ``ci`` by default, or
# ``pytest --hypothesis-profile=deep`` for a long local run (twenty times as many).
# derandomized: CI runs the same examples every time (a failure is a finding, never a flake)
settings.register_profile("ci", max_examples=700, derandomize=True)
settings.register_profile("deep", max_examples=14000)
settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def read_exact(path: Path) -> str:
    """A fixture file's text exactly as stored (no newline translation)."""
    return path.read_bytes().decode("utf-8")


@pytest.fixture(scope="session", autouse=True)
def _warm_segmenter() -> None:
    from dedup.config import Config
    from dedup.text.words import segmenter

    segmenter("jieba")
    segmenter(Config().segmenter)


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def case_texts() -> list[str]:
    """Every golden case's input text: each ``input.txt``, then each record of each ``input.jsonl``."""
    import json

    texts = [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("cases/*/input.txt"))]
    texts += [
        json.loads(line)["text"]
        for path in sorted(FIXTURES.glob("cases/*/input.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return texts


@pytest.fixture(scope="session")
def seed_article() -> str:
    return read_exact(FIXTURES / "seed" / "article.txt")


@pytest.fixture(scope="session")
def seed_expected() -> str:
    return read_exact(FIXTURES / "seed" / "expected.txt")


@pytest.fixture(scope="session")
def seed_paragraphs(seed_article: str) -> list[str]:
    """The seed article's paragraphs by the scorer's convention."""
    import re

    return [p.strip() for p in re.split(r"\n\s*\n", seed_article) if p.strip()]
