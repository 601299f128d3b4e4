"""Which inputs a run reads, and in which order: the paths a user gave, as :class:`Source` files.

A directory stands for the text, JSONL, Parquet and HTML files under it, sorted
by path so that a run reads them in the same order on every machine, and the
files it leaves out are said with the reason (:class:`Discovery`); standard
input is ``-``.  Nothing is read here but directory listings, file sizes and,
where a name does not say what a file holds, its first line.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import PurePath
from typing import Literal, cast

from dedup.errors import InputError
from dedup.files.compression import inner_name
from dedup.files.sniff import kind_of_file, kind_of_name

InputFormat = Literal["auto", "text", "jsonl", "parquet", "html"]
SourceKind = Literal["text", "jsonl", "json", "parquet", "html", "stdin"]

STDIN = "-"


@dataclass(frozen=True, slots=True)
class Source:
    """One input file (or standard input) and how it was found.

    ``path`` is the path as given, or joined to the directory it was found in;
    ``root`` is the argument it came from; ``relative`` is its path under
    ``root`` when found in a directory, else its file name.  ``kind`` says how
    it is read: ``json`` is one JSON document (an array of records).
    """

    path: str
    kind: SourceKind
    root: str
    relative: str
    in_directory: bool = False


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file met in a directory and not read, and why."""

    path: str
    why: str


@dataclass(frozen=True, slots=True)
class Discovery:
    """The inputs a run reads, in order, and the files of its directories it leaves out."""

    sources: list[Source]
    skipped: list[Skipped]


def is_jsonl_name(path: str) -> bool:
    """Whether a name says JSON Lines: ``.jsonl`` or ``.ndjson``, case-insensitive,
    optionally compressed (``.gz``, ``.zst``, ``.bz2``, ``.xz``)."""
    return kind_of_name(path) == "jsonl"


def is_parquet_name(path: str) -> bool:
    return kind_of_name(path) == "parquet"


def text_name(path: str) -> str:
    """The name of the text cleaned from an HTML page (``a/page.html.gz`` -> ``a/page.txt``)."""
    return os.path.splitext(inner_name(path))[0] + ".txt"


def _wanted(path: str, name: str, input_format: InputFormat) -> SourceKind | str:
    """The kind of a file met while walking a directory, or why it is skipped."""
    by_name = kind_of_name(name)
    if by_name is None:
        suffix = os.path.splitext(inner_name(name))[1]
        return f"suffix {suffix} is not read" if suffix else "no suffix"
    kind = kind_of_file(path) if by_name == "json?" else by_name
    if kind == "json-object":
        return "one JSON object, not records"
    if input_format not in ("auto", kind) and not (input_format == "jsonl" and kind == "json"):
        return f"not {input_format} (--input-format {input_format})"
    return kind


def _walk(root: str, input_format: InputFormat, globs: Sequence[str]) -> Discovery:
    def fail(err: OSError) -> None:
        raise InputError(f"cannot read directory: {err.strerror}", err.filename or root)

    found: list[tuple[tuple[str, ...], Source]] = []
    skipped: list[tuple[tuple[str, ...], Skipped]] = []
    for directory, subdirs, names in os.walk(root, onerror=fail):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in names:
            if name.startswith("."):
                continue
            full = os.path.join(directory, name)
            relative = os.path.relpath(full, root)
            path = os.path.normpath(full)
            parts = PurePath(relative).parts
            if globs:
                kind: SourceKind | str = _globbed(path, relative, globs, input_format)
            else:
                kind = _wanted(path, name, input_format)
            if kind in _KINDS:
                source = Source(path, cast(SourceKind, kind), root, relative, in_directory=True)
                found.append((parts, source))
            else:
                skipped.append((parts, Skipped(path, kind)))
    found.sort(key=lambda item: item[0])
    skipped.sort(key=lambda item: item[0])
    return Discovery([source for _, source in found], [skip for _, skip in skipped])


_KINDS = ("text", "jsonl", "json", "parquet", "html")


def _globbed(path: str, relative: str, globs: Sequence[str], input_format: InputFormat) -> SourceKind | str:
    """The kind of a file that one of ``globs`` matches (its path under the
    directory, or its name), or why it is skipped."""
    posix = PurePath(relative).as_posix()
    name = posix.rsplit("/", 1)[-1]
    if not any(fnmatchcase(posix, g) or fnmatchcase(name, g) for g in globs):
        return "matches no --glob"
    return _named_kind(path, input_format)


def _named_kind(path: str, input_format: InputFormat) -> SourceKind:
    """The kind of a file named directly: ``input_format``, or (``auto``) its name's
    or its content's (see :mod:`~dedup.files.sniff`)."""
    if input_format == "auto":
        kind = kind_of_file(path)
        return "json" if kind == "json-object" else kind
    if input_format == "jsonl" and kind_of_file(path) in ("json", "json-object"):
        return "json"
    return input_format


def _named_file(path: str, input_format: InputFormat) -> Source:
    return Source(path, _named_kind(path, input_format), path, os.path.basename(path))


def discover(paths: Iterable[str | os.PathLike[str]], input_format: InputFormat = "auto") -> list[Source]:
    """The input files named by ``paths``, in the order they will be read (see :func:`discover_all`)."""
    return discover_all(paths, input_format).sources


def discover_all(
    paths: Iterable[str | os.PathLike[str]], input_format: InputFormat = "auto", globs: Sequence[str] = ()
) -> Discovery:
    """The input files named by ``paths``, in the order they will be read, and
    the files of their directories left out.

    A directory stands for the text (``.txt``, ``.md``, ``.text``), JSON Lines
    (``.jsonl``, ``.ndjson``, ``.json`` holding JSON Lines or an array), Parquet
    and HTML (``.html``, ``.htm``) files under it, suffixes read case-insensitively
    and after a compression suffix (``.gz``, ``.zst``, ``.bz2``, ``.xz``); hidden
    files and directories are left out unsaid, other files are listed in
    ``skipped`` with the reason.  ``globs`` (shell patterns matched against the
    path under the directory, or the name) choose the files of a directory
    instead.  A file named directly (or chosen by a glob) is read as its name
    says, or by its content where the name does not settle it (see
    :mod:`~dedup.files.sniff`), unless ``input_format`` says how; ``-`` is
    standard input.  Files are sorted by path; a file reached twice is read
    once.  Missing paths raise InputError before anything is read.
    """
    sources: list[Source] = []
    skipped: list[Skipped] = []
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
            walked = _walk(path, input_format, globs)
            found = walked.sources
            skipped.extend(walked.skipped)
        elif os.path.exists(path):
            found = [_named_file(path, input_format)]
        else:
            raise InputError("no such file or directory", path)
        for source in found:
            key = os.path.realpath(source.path)
            if key not in seen:
                seen.add(key)
                sources.append(source)
    return Discovery(sources, skipped)


def source_size(source: Source) -> int | None:
    """The size in bytes of a source's file: what :attr:`~dedup.files.record.Record.position`
    counts up to.  None for standard input, or a file whose size cannot be had."""
    if source.kind == "stdin":
        return None
    try:
        return os.path.getsize(source.path)
    except OSError:
        return None
