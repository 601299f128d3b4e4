"""Settings: defaults in one frozen record, validation, the ``[tool.dedup]`` loader
and the fingerprint saved with every report and index."""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import re
from dataclasses import dataclass, fields
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from dedup.errors import ConfigError

KeepPolicy = Literal["complete", "first"]
ArticlePolicy = Literal["strip", "drop", "keep"]
Scope = Literal["corpus", "document"]
Segmenter = Literal["auto", "jieba", "rjieba"]
#: how a document's lines make paragraphs (``text.layout``); ``auto`` reads it from each text
ParagraphLayout = Literal["auto", "blank-lines", "lines", "wrapped"]

#: datasketch 2.0 changed the default permutation scheme; saying which one we use
#: keeps signatures comparable across datasketch releases.
HASH_SCHEME = "affine32"


@dataclass(frozen=True, slots=True)
class Config:
    """Every setting that changes what dedup decides."""

    #: words per shingle
    shingle_size: int = 3
    #: MinHash permutations
    num_perm: int = 128
    #: MinHash seed (permutations are drawn from it)
    seed: int = 1
    #: Jaccard estimate at which LSH proposes a candidate; candidates are verified exactly
    lsh_threshold: float = 0.5
    #: share of a paragraph that must occur in the other copy, both ways, for ``near``
    near_threshold: float = 0.8
    #: character-level similarity (difflib ratio of the keys) of an edited copy
    near_ratio: float = 0.85
    #: share of a paragraph that must occur elsewhere for ``fragment`` / ``splice``
    cover_threshold: float = 0.9
    #: coverage a paragraph pieced together from two or more others needs
    splice_threshold: float = 0.95
    #: longest run of characters found nowhere else that a removed paragraph may have
    max_gap: int = 8
    #: paragraphs whose key is shorter than this are only matched exactly
    min_chars: int = 12
    #: which copy survives: the most complete one, or the first one
    keep: KeepPolicy = "complete"
    #: what to do with an article that is a near-copy of an earlier one
    duplicate_articles: ArticlePolicy = "strip"
    #: share of an article's text found in one earlier article that makes it a near-copy
    near_copy_threshold: float = 0.6
    #: compare paragraphs across the documents of a run, or only within each document
    scope: Scope = "corpus"
    #: how lines make paragraphs: ``auto`` (decided per document from its own evidence),
    #: ``blank-lines`` (blocks between blank lines), ``lines`` (one per line), ``wrapped``
    paragraphs: ParagraphLayout = "auto"
    #: re-join paragraphs broken by the page layout
    join_broken: bool = True
    #: remove newspaper continuation markers
    remove_markers: bool = True
    #: word segmenter: ``jieba``, or ``rjieba`` (its Rust port, the ``fast`` extra: the same
    #: words with HMM off, ten times faster); ``auto`` takes rjieba when it is installed
    segmenter: Segmenter = "auto"
    #: where ``dedup check`` keeps its index: a path relative to the repository root, or ``redis://host:port/db``
    index: str = ".dedup/index.sqlite"
    #: which files of a repository are articles: a regular expression searched in the repo-relative path
    files: str = r"\.(txt|md)$"
    #: files left out of the corpus even when ``files`` matches them (a regular expression; empty: none)
    exclude: str = ""
    #: how much memory the run's kept-paragraph indexes may take before the older part
    #: spills to a temporary SQLite file (``run.spill``): ``2GB``, ``512MB``, or ``none``
    #: (never spill); where the state lives, never what is decided
    memory_budget: str = "2GB"

    def __post_init__(self) -> None:
        _check(self.shingle_size >= 1, "shingle_size", "must be at least 1")
        _check(16 <= self.num_perm <= 1024, "num_perm", "must be between 16 and 1024")
        for name in (
            "lsh_threshold",
            "near_threshold",
            "near_ratio",
            "splice_threshold",
            "cover_threshold",
            "near_copy_threshold",
        ):
            value = getattr(self, name)
            _check(0.0 < value <= 1.0, name, f"must be in (0, 1], got {value}")
        _check(self.min_chars >= 1, "min_chars", "must be at least 1")
        _check(self.max_gap >= 0, "max_gap", "must not be negative")
        _choice(self.keep, "keep", ("complete", "first"))
        _choice(self.duplicate_articles, "duplicate_articles", ("strip", "drop", "keep"))
        _choice(self.scope, "scope", ("corpus", "document"))
        _choice(self.segmenter, "segmenter", ("auto", "jieba", "rjieba"))
        _choice(self.paragraphs, "paragraphs", ("auto", "blank-lines", "lines", "wrapped"))
        _check(bool(self.index.strip()), "index", "must not be empty")
        for name in ("files", "exclude"):
            _pattern(getattr(self, name), name)
        budget_bytes(self.memory_budget)

    def replace(self, **changes: Any) -> Config:
        """A copy with some settings changed; ``None`` values are ignored."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def fingerprint(self) -> dict[str, str]:
        """What a saved result depends on: settings, library versions, hashing scheme."""
        from dedup.versions import installed_version as _version

        # the memory budget changes where a run keeps its state, never a result
        decisive = {k: v for k, v in self.as_dict().items() if k not in RUN_ONLY}
        settings = json.dumps(decisive, sort_keys=True)
        segmenter = resolved_segmenter(self.segmenter)
        return {
            "dedup": _version("dedup"),
            "datasketch": _version("datasketch"),
            "hash_scheme": HASH_SCHEME,
            "segmenter": f"{segmenter}-{_version(segmenter)}-hmm-off",
            # the fact guard reads proper nouns with jieba's tagger (HMM on), and keys fold
            # Traditional to Simplified with OpenCC's table: both change decisions
            "tagger": f"jieba-{_version('jieba')}-posseg",
            "opencc": _version("opencc"),
            "settings": hashlib.sha256(settings.encode()).hexdigest()[:16],
        }


#: settings that change how a run is carried out but never what it decides (left out of
#: the fingerprint, so results made under different values are the same results)
RUN_ONLY = frozenset({"memory_budget"})

_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?\s*", re.IGNORECASE)


def budget_bytes(text: str) -> int | None:
    """The memory budget in bytes (``3GB``, ``512MiB``, ``1.5G``; units of 1024), or
    ``None`` for ``none`` (never spill)."""
    if text.strip().lower() in {"none", "unlimited"}:
        return None
    found = _SIZE.fullmatch(text)
    _check(found is not None, "memory_budget", f"must be a size such as 3GB, 512MB or none, got {text!r}")
    assert found is not None
    number, unit = found.groups()
    return int(float(number) * 1024 ** "BKMGT".index(unit.upper() or "B"))


def stamp(fingerprint: dict[str, str]) -> str:
    """A short label of a fingerprint for every saved result: the segmenter in
    clear, the rest as a digest (``rjieba-0.2.2-hmm-off/3f2a9c0d1e4b``)."""
    digest = hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode()).hexdigest()[:12]
    return f"{fingerprint.get('segmenter', '?')}/{digest}"


def pure_requested() -> bool:
    """``DEDUP_PURE=1`` (any value but empty or 0): run none of the compiled code (the matching
    core, the word cut), the pure twins instead (same results, for tests and comparisons)."""
    import os

    return os.environ.get("DEDUP_PURE", "") not in ("", "0")


def compiled_extension(name: str) -> ModuleType | None:
    """The compiled extension module ``name`` (``dedup.matching.compiled``, ...), or ``None``:
    not built here (no C compiler at install time) or ``DEDUP_PURE=1``.  Each caller keeps
    the pure twin it falls back on."""
    if pure_requested():
        return None
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def resolved_segmenter(name: str) -> str:
    """The segmenter ``name`` stands for on this machine (``auto``: rjieba if installed)."""
    if name != "auto":
        return name
    from importlib.util import find_spec

    return "rjieba" if find_spec("rjieba") is not None else "jieba"


def _check(ok: bool, key: str, why: str) -> None:
    if not ok:
        raise ConfigError(f"setting {key!r} {why}")


def _choice(value: str, key: str, allowed: tuple[str, ...]) -> None:
    _check(value in allowed, key, f"must be one of {', '.join(allowed)}, got {value!r}")


def _pattern(value: str, key: str) -> None:
    try:
        re.compile(value)
    except re.error as err:
        raise ConfigError(f"setting {key!r} is not a valid regular expression: {err}") from None


def _key_name(raw: str) -> str:
    return raw.replace("-", "_")


def config_from_mapping(table: dict[str, Any], source: str, base: Config | None = None) -> Config:
    """Build a Config from a ``[tool.dedup]``-style table; unknown keys are an error."""
    known = {f.name: f for f in fields(Config)}
    changes: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = _key_name(raw_key)
        if key not in known:
            close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(f"{source}: unknown setting {raw_key!r}{hint}")
        expected = type(getattr(Config(), key))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ConfigError(f"{source}: setting {raw_key!r} must be {expected.__name__}, got {value!r}")
        changes[key] = value
    try:
        return dataclasses.replace(base or Config(), **changes)
    except ConfigError as err:
        raise ConfigError(f"{source}: {err}") from None


def find_config_file(start: Path) -> Path | None:
    """The nearest ``dedup.toml``, or ``pyproject.toml`` with a ``[tool.dedup]`` table."""
    for directory in (start, *start.parents):
        candidate = directory / "dedup.toml"
        if candidate.is_file():
            return candidate
        candidate = directory / "pyproject.toml"
        if candidate.is_file() and "dedup" in _read_toml(candidate).get("tool", {}):
            return candidate
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # (here: most runs find no file to read, and its import is 5 ms of every start)

    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"{path}: cannot read configuration: {err}") from None


def load_config(path: Path | None = None, start: Path | None = None) -> tuple[Config, Path | None]:
    """Load settings from ``path`` or from the nearest config file above ``start``."""
    if path is None:
        path = find_config_file((start or Path.cwd()).resolve())
    if path is None:
        return Config(), None
    data = _read_toml(path)
    table = data.get("tool", {}).get("dedup", {}) if path.name == "pyproject.toml" else data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.dedup] must be a table")
    return config_from_mapping(table, str(path)), path
