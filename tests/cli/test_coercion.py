"""coercion: every parameter of every command gets from the plain coercion what typer's own gives.

typer's coercion (``typer.core.build_runtime_param``, pydantic underneath) is the definition; the
plain one must give the same value, or raise the same error, for values a user or a default can
give: none, defaults, strings, numbers in and out of bounds, choices in and out of the list.
"""

from __future__ import annotations

from typing import Any

import pytest
import typer.core

from dedup.cli.app import app
from dedup.cli.coercion import PlainCoercion, commands, install

build = getattr(typer.core, "build_runtime_param", None)
pytestmark = pytest.mark.skipif(build is None, reason="this typer has no runtime coercion layer")


def _outcome(coercion: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
    try:
        result = coercion.coerce(value, param=param, ctx=ctx)
    except Exception as err:  # the error itself is what is compared
        return "error", (type(err).__name__, str(err))
    return type(result).__name__, result


def _values(param: Any) -> list[Any]:
    values: list[Any] = [None, param.default, "", "0", "1", "2", "007", "-1", " 3", "+4", "1_000", "9" * 30]
    values += ["abc", "AUTO", "auto", "Auto", "text", "jsonl", "skip", "corpus", "first", "é"]
    values += [0, 1, -5, 10**9]
    values += [True, False, 1.5, ("a", "b"), ["a"], (), ("a", 1)]
    annotation = param.type_descriptor.annotation
    values += [str(choice) for choice in getattr(annotation, "__args__", ()) if isinstance(choice, str)]
    return values


def _parameters() -> list[tuple[str, Any, Any]]:
    root = typer.main.get_command(app)
    found = []
    for command in commands(root):
        ctx = command.context_class(command, info_name=command.name)
        help_option = command.get_help_option(ctx)
        for param in [*command.params, *([help_option] if help_option is not None else [])]:
            if hasattr(param, "type_descriptor"):
                found.append((f"{command.name} {param.name}", param, ctx))
    return found


@pytest.mark.parametrize("name, param, ctx", _parameters(), ids=lambda x: x if isinstance(x, str) else "")
def test_plain_coercion_gives_what_typer_gives(name: str, param: Any, ctx: Any) -> None:
    assert build is not None
    plain = PlainCoercion(param.type_descriptor)
    for value in _values(param):
        theirs = build(param.type_descriptor)
        assert _outcome(plain, value, param, ctx) == _outcome(theirs, value, param, ctx), (name, value)


def test_install_reaches_every_parameter_and_the_help_options() -> None:
    root = typer.main.get_command(app)
    install(root)
    for command in commands(root):
        ctx = command.context_class(command, info_name=command.name)
        for param in [*command.params, command.get_help_option(ctx)]:
            if param is not None and hasattr(param, "type_descriptor"):
                assert isinstance(param.get_runtime_param(), PlainCoercion), (command.name, param.name)
