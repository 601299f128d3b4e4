"""Installed distributions' versions, as ``importlib.metadata.version`` gives them.

A run records the versions its results depend on (``Config.fingerprint``, the fold table's check),
but importing ``importlib.metadata`` costs about 30 ms, a twentieth of a one-article run.  So the
common case is read directly, the way importlib.metadata finds it: the first ``sys.path`` entry
holding a ``NAME-VERSION.dist-info`` or ``NAME.egg-info`` folder of the name, and the ``Version``
header of its ``METADATA``, else of its ``PKG-INFO`` (an egg-info's; a checkout installed in place
has one in its working directory, the first entry of ``sys.path``).  Anything less plain (an
egg-info file, two candidates in one folder, a zip on the path, another distribution finder,
nothing found) is left to importlib.metadata itself.
"""

from __future__ import annotations

import os
import re
import sys
from functools import cache
from pathlib import Path

#: "absent": what a fingerprint records for a distribution that is not installed
ABSENT = "absent"


def installed_version(name: str) -> str:
    """``importlib.metadata.version(name)``, or :data:`ABSENT` where it is not installed."""
    found = _dist_info(name)
    if found is not None:
        # as importlib.metadata's ``PathDistribution`` reads its metadata
        for file in ("METADATA", "PKG-INFO"):
            if (found / file).is_file():
                version = _metadata_version(found / file)
                if version is not None:
                    return version
                break
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as metadata_version

    try:
        return metadata_version(name)
    except PackageNotFoundError:
        return ABSENT


def _normalized(name: str) -> str:
    """``importlib.metadata.Prepared.normalize``."""
    return re.sub(r"[-_.]+", "-", name).lower().replace("-", "_")


def _dist_info(name: str) -> Path | None:
    """The ``.dist-info`` or ``.egg-info`` folder importlib.metadata would read ``name``'s version
    from, where that is plain to see; ``None`` otherwise."""
    if any(
        hasattr(finder, "find_distributions") and finder.__name__ != "PathFinder"  # type: ignore[union-attr]
        if isinstance(finder, type)
        else hasattr(finder, "find_distributions")
        for finder in sys.meta_path
    ):
        return None  # another finder of distributions may answer first
    wanted = _normalized(name)
    for entry in sys.path:
        root = entry or os.getcwd()
        if os.path.isfile(root):
            return None  # a zip: importlib.metadata reads it
        found = _distributions(root).get(wanted)
        if found:
            plain = len(found) == 1 and os.path.isdir(os.path.join(root, found[0]))
            return Path(root, found[0]) if plain else None
    return None


@cache
def _distributions(root: str) -> dict[str, list[str]]:
    """The ``.dist-info`` and ``.egg-info`` entries of a folder by normalized name, in listing
    order (``importlib.metadata``'s ``Lookup``); read once per process."""
    found: dict[str, list[str]] = {}
    try:
        children = os.listdir(root)
    except OSError:
        return found
    for child in children:
        low = child.lower()
        if low.endswith((".dist-info", ".egg-info")):
            found.setdefault(_normalized(low.rpartition(".")[0].partition("-")[0]), []).append(child)
    return found


def _metadata_version(path: Path) -> str | None:
    """The ``Version`` header of a METADATA file, or ``None``."""
    try:
        with path.open(encoding="utf-8") as file:
            for line in file:
                if not line.strip():
                    return None  # the headers ended
                if line.startswith("Version:"):
                    return line[len("Version:") :].strip() or None
    except (OSError, UnicodeDecodeError):
        return None
    return None
