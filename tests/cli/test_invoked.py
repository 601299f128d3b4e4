"""app: a run builds only the command it invokes, and that command is the whole app's, byte for byte."""

from __future__ import annotations

import pytest
import typer

from dedup.cli.app import app, build_app, invoked, main

COMMANDS = ["scan", "clean", "config", "check", "review", "index"]


@pytest.mark.parametrize(
    "args, name",
    [
        (["clean", "a.txt"], "clean"),
        (["--debug", "scan", "x"], "scan"),
        (["index", "build"], "index"),
        ([], None),
        (["--help"], None),
        (["--version"], None),
        (["--debug"], None),
        (["clena"], None),
        (["--", "clean"], None),
        (["-h", "clean"], None),
    ],
)
def test_invoked_names_the_command_or_leaves_it_to_the_whole_app(args: list[str], name: str | None) -> None:
    assert invoked(args) == name


def _whole_app(args: list[str]) -> int:
    try:
        code = typer.main.get_command(app)(args=args, prog_name="dedup", standalone_mode=False)
    except typer.Exit as done:
        return done.exit_code
    return code if isinstance(code, int) else 0


@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_alone_helps_as_in_the_whole_app(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    main([name, "--help"])
    alone = capsys.readouterr()
    _whole_app([name, "--help"])
    whole = capsys.readouterr()
    assert alone.out == whole.out and alone.out.startswith(f"Usage: dedup {name}")


def test_a_command_alone_is_the_only_one_built() -> None:
    group = typer.main.get_command(build_app("clean"))
    assert list(group.commands) == ["clean"]  # type: ignore[attr-defined]
    assert list(typer.main.get_command(build_app()).commands) == COMMANDS  # type: ignore[attr-defined]
