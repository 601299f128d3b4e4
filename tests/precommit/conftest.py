"""Fixtures for ``dedup check`` and its index.

``corpus/`` holds ten articles of real news text (the cleaned copies of ten
dev-set articles: no paragraph repeats another), from which each test makes a
git repository of its own.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "corpus"
ROOT = Path(__file__).resolve().parents[2]
GIT_USER = [
    "-c",
    "user.name=dedup tests",
    "-c",
    "user.email=tests@example.invalid",
    "-c",
    "commit.gpgsign=false",
]


#: paragraphs that repeat nothing in the corpus (written for these tests)
UNIQUE = (
    "这是一段全新的文字，讲述了与语料库中任何文章都无关的事情：山脚下的小镇今年新开了一家书店，店主每天清晨把当天的报纸整齐地摆在门口。",
    "第二段也是新写的内容，描写书店里的常客们如何在午后聚在一起讨论天气、庄稼和孩子们的功课，气氛轻松而热闹，没有任何重复之处。",
    "到了傍晚，店主会泡上一壶茶，把白天卖出的书一一记在本子上，再给远方的朋友写一封信，讲讲镇上这一天发生的新鲜事情。",
    "结尾同样是专门写的一段话：这样平凡的日子日复一日地过去，小镇的人们却觉得生活比从前更有滋味了，书店也成了大家离不开的地方。",
    "另一篇的开头：江边的渡口新修了一座石桥，过去要等半个时辰的渡船，如今走上几分钟就能到对岸的集市去买菜。",
    "老船工把用了三十年的木船系在柳树下，每天傍晚仍会坐在船头抽一袋烟，看孩子们在新桥上追逐打闹，一直到天黑才回家。",
)


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *GIT_USER, *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


def paragraphs(path: Path) -> list[str]:
    """A file's paragraphs (blank-line blocks, stripped)."""
    text = path.read_text(encoding="utf-8")
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def body(path: Path, index: int = 1) -> str:
    """A long body paragraph of a corpus file (the ``index``-th of those over 60 characters)."""
    return [p for p in paragraphs(path) if len(p) > 60][index]


def edited(paragraph: str) -> str:
    """A near copy: half-width commas, a space, one character changed."""
    text = paragraph.replace("，", ",", 2)
    middle = len(text) // 2
    return text[:middle] + ("的" if text[middle] != "的" else "了") + text[middle + 1 :]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding the ten corpus articles, committed; the current directory."""
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "corpus")
    monkeypatch.chdir(root)
    return root


def write(repo: Path, name: str, *blocks: str, stage: bool = True) -> Path:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    if stage:
        git(repo, "add", name)
    return path


@dataclass
class Run:
    code: int
    out: str
    err: str

    def lines(self) -> list[str]:
        return [line for line in self.out.splitlines() if line.strip()]


@pytest.fixture
def dedup(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """``dedup ARGS...`` in-process, from the current directory."""
    from dedup.cli.app import main

    def run(*args: str | os.PathLike[str]) -> Run:
        capsys.readouterr()
        code = main([os.fspath(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run
