"""``dedup config``: the settings in effect for some inputs, as TOML."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from .exits import EXIT_CLEAN
from .options import (
    ArticlesOption,
    ConfigOption,
    JoinOption,
    KeepOption,
    Overrides,
    ParagraphsOption,
    ScopeOption,
    SegmenterOption,
)
from .settings import settings


def show_config(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PATH", help="Show the settings that apply to these inputs.", show_default=False
        ),
    ] = None,
    config_file: ConfigOption = None,
    keep: KeepOption = None,
    duplicate_articles: ArticlesOption = None,
    scope: ScopeOption = None,
    join: JoinOption = None,
    segmenter: SegmenterOption = None,
    paragraphs: ParagraphsOption = None,
) -> int:
    """Print the effective settings, as TOML, and the file they came from."""
    overrides = Overrides(keep, duplicate_articles, scope, join, segmenter, paragraphs)
    config, origin = settings(config_file, paths or [], overrides)
    if origin is None:
        print("# no dedup.toml or pyproject.toml with [tool.dedup] found: defaults")
    elif origin.name == "pyproject.toml":
        print(f"# from {origin} [tool.dedup]")
    else:
        print(f"# from {origin}")
    for key, value in config.as_dict().items():
        print(f"{key} = {toml_value(value)}")
    fingerprint = " ".join(f"{k}={v}" for k, v in config.fingerprint().items())
    print(f"# fingerprint: {fingerprint}")
    return EXIT_CLEAN


def toml_value(value: Any) -> str:
    """A setting's value as TOML writes it (strings quoted, booleans lower-case)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)
