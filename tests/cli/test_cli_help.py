"""Help and messages: worked examples, no Python types, whole summaries, plain one-line errors."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from dedup.cli.help import EXAMPLES

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = [
    [],
    ["scan"],
    ["clean"],
    ["config"],
    ["check"],
    ["index"],
    ["index", "build"],
    ["index", "update"],
    ["index", "stats"],
    ["index", "verify"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "dedup")
def test_every_help_ends_with_worked_examples_and_shows_no_python_types(dedup, command) -> None:
    run = dedup(*command, "--help")
    assert run.code == 0
    text = run.text
    examples = text[text.index("Examples:") :].splitlines()[1:]
    lines = [line.strip() for line in examples if line.strip() and not line.strip().startswith("#")]
    assert 2 <= len(lines) <= 3 and all(line.startswith("dedup ") for line in lines)
    assert lines == [line for line, _ in EXAMPLES[command[-1] if command else "dedup"]]
    assert not re.search(r"<(list|str|int|float|bool)\b|list\[|\bNone\b", text), text


@pytest.mark.parametrize("command", [[], ["index"]], ids=["dedup", "index"])
def test_command_summaries_are_whole(dedup, command) -> None:
    text = dedup(*command, "--help").text
    listed = text[text.index("Commands:") :].split("\n\n")[0].splitlines()[1:]
    assert listed and all(line.rstrip().endswith(".") and "..." not in line for line in listed)


def test_index_stats_format_has_its_own_help(dedup) -> None:
    stats = dedup("index", "stats", "--help").text
    check = dedup("check", "--help").text
    assert "What the index holds as lines of text" in " ".join(stats.split())
    assert "Findings as linter lines" not in stats and "Findings as linter lines" in check


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--keep", "last"], "--keep: 'last' is not one of complete, first"),
        (["--workers", "0"], "--workers: must be at least 1"),
        (["--workers", "x"], "--workers: must be a whole number"),
    ],
)
def test_option_values_are_refused_in_plain_words(dedup, tmp_path: Path, args, message) -> None:
    (tmp_path / "a.txt").write_text("正文。\n", "utf-8")
    run = dedup("clean", "a.txt", "-o", "-", *args)
    assert run.code == 2
    assert run.err.splitlines()[-1] == f"dedup: error: {message}"


def test_an_unknown_setting_gets_a_suggestion(dedup, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("正文。\n", "utf-8")
    (tmp_path / "dedup.toml").write_text('kep = "first"\n', "utf-8")
    run = dedup("clean", "a.txt", "-o", "-")
    assert run.code == 2
    assert run.err.endswith("unknown setting 'kep' (did you mean 'keep'?)\n")


def test_the_readme_install_line_lists_every_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    names = [re.split(r"[<>=\[ ]", dep)[0] for dep in project["dependencies"]]
    readme = (ROOT / "README.md").read_text("utf-8")
    lines = readme.splitlines()
    first = next(n for n, line in enumerate(lines) if line.startswith("pip install .  "))
    install = lines[first]
    for line in lines[first + 1 :]:
        # the comment may go on over the lines below it
        if not (line.startswith(" ") and line.lstrip().startswith("#")):
            break
        install += line
    assert [name for name in names if name not in install] == []
    for extra in project["optional-dependencies"]:
        if extra != "dev":
            assert f"pip install '.[{extra}]'" in readme
