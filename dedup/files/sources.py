"""Which inputs a run reads, and in which order: the paths a user gave, as :class:`Source` files.

A directory stands for the text, JSONL and Parquet files under it, sorted by path
so that a run reads them in the same order on every machine; standard input is
``-``.  Nothing is read here but directory listings and file sizes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

from dedup.errors import InputError

InputFormat = Literal["auto", "text", "jsonl", "parquet"]
SourceKind = Literal["text", "jsonl", "parquet", "stdin"]

#: file names picked up when walking a directory
TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
PARQUET_SUFFIXES = (".parquet",)

STDIN = "-"


@dataclass(frozen=True, slots=True)
class Source:
    """One input file (or standard input) and how it was found.

    ``path`` is the path as given, or joined to the directory it was found in;
    ``root`` is the argument it came from; ``relative`` is its path under
    ``root`` when found in a directory, else its file name.
    """

    path: str
    kind: SourceKind
    root: str
    relative: str
    in_directory: bool = False


def is_jsonl_name(path: str) -> bool:
    return path.endswith(JSONL_SUFFIXES)


def is_parquet_name(path: str) -> bool:
    return path.endswith(PARQUET_SUFFIXES)


def _wanted(name: str, input_format: InputFormat) -> SourceKind | None:
    """The kind of a file met while walking a directory, or None to skip it."""
    if name.startswith("."):
        return None
    if input_format in ("auto", "jsonl") and name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if input_format in ("auto", "parquet") and name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    if input_format in ("auto", "text") and name.endswith(TEXT_SUFFIXES):
        return "text"
    return None


def _walk(root: str, input_format: InputFormat) -> list[Source]:
    def fail(err: OSError) -> None:
        raise InputError(f"cannot read directory: {err.strerror}", err.filename or root)

    found: list[tuple[tuple[str, ...], Source]] = []
    for directory, subdirs, names in os.walk(root, onerror=fail):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in names:
            kind = _wanted(name, input_format)
            if kind is None:
                continue
            full = os.path.join(directory, name)
            relative = os.path.relpath(full, root)
            path = os.path.normpath(full)
            found.append((PurePath(relative).parts, Source(path, kind, root, relative, in_directory=True)))
    found.sort(key=lambda item: item[0])
    return [source for _, source in found]


def _named_file(path: str, input_format: InputFormat) -> Source:
    """A file named directly: its kind from its name, unless ``input_format`` says which."""
    if input_format == "auto":
        kind: SourceKind = "jsonl" if is_jsonl_name(path) else "parquet" if is_parquet_name(path) else "text"
    else:
        kind = input_format
    return Source(path, kind, path, os.path.basename(path))


def discover(paths: Iterable[str | os.PathLike[str]], input_format: InputFormat = "auto") -> list[Source]:
    """The input files named by ``paths``, in the order they will be read.

    A directory stands for the ``.txt``, ``.md``, ``.jsonl``, ``.jsonl.gz`` and
    ``.parquet`` files under it (hidden files and directories skipped), sorted by
    path; a file named directly is JSONL if its name ends in ``.jsonl`` /
    ``.jsonl.gz``, Parquet if it ends in ``.parquet`` and text otherwise, unless
    ``input_format`` says which; ``-`` is standard input.
    A file reached twice is read once.  Missing paths raise InputError before
    anything is read.
    """
    sources: list[Source] = []
    seen: set[str] = set()
    for raw in paths:
        path = os.fspath(raw)
        if path == STDIN:
            if STDIN in seen:
                raise InputError("standard input given more than once", STDIN)
            seen.add(STDIN)
            sources.append(Source(STDIN, "stdin", STDIN, STDIN))
            continue
        if os.path.isdir(path):
            found = _walk(path, input_format)
        elif os.path.exists(path):
            found = [_named_file(path, input_format)]
        else:
            raise InputError("no such file or directory", path)
        for source in found:
            key = os.path.realpath(source.path)
            if key not in seen:
                seen.add(key)
                sources.append(source)
    return sources


def source_size(source: Source) -> int | None:
    """The size in bytes of a source's file: what :attr:`~dedup.files.record.Record.position`
    counts up to.  None for standard input, or a file whose size cannot be had."""
    if source.kind == "stdin":
        return None
    try:
        return os.path.getsize(source.path)
    except OSError:
        return None
