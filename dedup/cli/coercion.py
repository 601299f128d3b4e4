"""Option values checked as typer checks them, without pydantic where the check is an identity.

typer (0.29) coerces the value of every parameter of the invoked command through a pydantic
``TypeAdapter``, built at parse time whether the option was given or not: importing pydantic and
building the command's ~25 adapters costs about 0.15 CPU s, a quarter of a one-article run.  Most
values need no pydantic at all: ``None`` (an option not given), a string for a ``str`` option,
strings for a ``list[str]`` one, an exact choice of a ``Literal``, an ``int`` (or the plain decimal
digits of one) within the option's bounds.  :func:`install` gives each parameter of the command
tree a coercion that answers those as typer's would, and hands any other value to typer's own
coercion, built on first need (so every error message is typer's).  ``tests/cli/test_coercion.py``
compares the two on every parameter of every command.  Where typer has no such layer (another
version), :func:`install` changes nothing.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable, Iterator
from typing import Any

import typer.core

#: what typer builds a parameter's coercion with (``None``: a typer without that layer)
_BUILD: Callable[[Any], Any] | None = getattr(typer.core, "build_runtime_param", None)
#: an int as pydantic reads it from a string, in the plainest spelling only
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,17}")
#: "no plain answer: ask typer"
_ASK = object()


class PlainCoercion:
    """A parameter's coercion (typer's ``RuntimeParam`` interface: ``coerce``)."""

    def __init__(self, descriptor: Any) -> None:
        self.descriptor = descriptor
        self._typer: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        multiple = bool(param.multiple or param.nargs == -1)
        if value is None:
            return () if multiple else None
        answer = plain_value(self.descriptor, value, multiple, ctx)
        if answer is not _ASK:
            return answer
        if self._typer is None:
            assert _BUILD is not None
            self._typer = _BUILD(self.descriptor)
        return self._typer.coerce(value, param=param, ctx=ctx)


def plain_value(descriptor: Any, value: Any, multiple: bool, ctx: Any) -> Any:
    """What typer's coercion gives ``value`` where that is plain, else ``_ASK``."""
    info = descriptor.parameter_info
    annotation = descriptor.annotation
    if info.parser is not None or descriptor.file_annotation is not None:
        return _ASK
    if multiple:
        strings = isinstance(value, (list, tuple)) and all(type(v) is str for v in value)
        if annotation == list[str] and strings:
            return list(value)
        return _ASK
    if annotation is str and type(value) is str:
        return value
    if annotation is int and not info.clamp:
        return _plain_int(value, info.min, info.max)
    if typing.get_origin(annotation) is typing.Literal:
        choices = typing.get_args(annotation)
        normalizes = ctx is not None and ctx.token_normalize_func is not None
        plain = all(type(c) is str for c in choices) and info.case_sensitive and not normalizes
        if plain and type(value) is str and value in choices:
            return value
    return _ASK


def _plain_int(value: Any, low: Any, high: Any) -> Any:
    if type(value) is int:
        number = value
    elif type(value) is str and _DECIMAL.fullmatch(value):
        number = int(value)
    else:
        return _ASK
    if (low is not None and number < low) or (high is not None and number > high):
        return _ASK  # typer's message
    return number


def commands(command: Any) -> Iterator[Any]:
    """``command`` and its subcommands, depth first."""
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from commands(sub)


def _plain(param: Any) -> None:
    if hasattr(param, "type_descriptor") and getattr(param, "_runtime_param", False) is None:
        param._runtime_param = PlainCoercion(param.type_descriptor)


def _plain_help(command: Any) -> None:
    """The help option too, which typer makes when a context first asks for it."""
    find = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = find(ctx)
        if option is not None:
            _plain(option)
        return option

    command.get_help_option = get_help_option


def install(command: Any) -> None:
    """Plain coercion for every typer parameter of the command tree (where typer has the layer)."""
    if _BUILD is None:
        return
    for each in commands(command):
        for param in each.params:
            _plain(param)
        _plain_help(each)
