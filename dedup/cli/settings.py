"""The settings a command runs with: the settings file, then its options over it.

``scan``, ``clean`` and ``config`` look for the settings file above their
inputs; ``check`` and ``index`` above the current directory (the repository
they work on), and a ``--config`` file that does not exist is an error there.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from dedup import files as dio
from dedup.config import Config, Segmenter, load_config
from dedup.errors import ConfigError

from .options import Overrides


def config_start(paths: Sequence[str]) -> Path | None:
    """Where to look for settings: the deepest directory holding every input."""
    places = [p if os.path.isdir(p) else os.path.dirname(p) or "." for p in paths if p != dio.STDIN]
    if not places:
        return None
    try:
        return Path(os.path.commonpath([os.path.abspath(p) for p in places]))
    except ValueError:
        return None


def settings(
    config_file: str | None, paths: Sequence[str], overrides: Overrides
) -> tuple[Config, Path | None]:
    """Settings from the config file, then command-line options over them."""
    config, origin = load_config(Path(config_file) if config_file else None, start=config_start(paths))
    config = config.replace(
        keep=overrides.keep,
        duplicate_articles=overrides.duplicate_articles,
        scope=overrides.scope,
        join_broken=overrides.join,
        segmenter=overrides.segmenter,
        paragraphs=overrides.paragraphs,
        memory_budget=overrides.memory_budget,
    )
    return config, origin


def repository_settings(
    config_file: str | None, index: str | None, segmenter: Segmenter | None
) -> tuple[Config, Path | None]:
    """Settings from the config file (the nearest one above the current directory,
    or ``--config``), with command-line options over them."""
    path = Path(config_file) if config_file else None
    if path is not None and not path.is_file():
        raise ConfigError(f"{config_file}: no such settings file")
    config, origin = load_config(path, start=Path.cwd())
    return config.replace(index=index, segmenter=segmenter), origin
