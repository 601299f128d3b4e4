"""What ``scan`` and ``clean`` read, and their results as they come.

The pipeline (and with it jieba and datasketch) is imported only when a run
starts, so that ``dedup --help`` stays fast.
"""

from __future__ import annotations

import codecs
import os
import sys
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence

import dedup
from dedup import files as dio
from dedup.config import Config
from dedup.errors import InputError, UsageError
from dedup.files import Record
from dedup.records import Document, Result

from .options import RunOptions


def sources(
    paths: Sequence[str], input_format: dio.InputFormat, globs: Sequence[str] = (), quiet: bool = False
) -> list[dio.Source]:
    """The input files named or found under ``paths``; the files of directories
    that are left out are said on stderr (unless ``quiet``), and Parquet and HTML
    support is checked before anything is read."""
    if list(paths).count(dio.STDIN) > 1:
        raise UsageError("standard input (-) given more than once")
    found = dio.discover_all(paths, input_format, globs)
    if found.skipped and not quiet:
        sys.stderr.write(skipped_note(found.skipped, bool(globs)) + "\n")
    if any(s.kind == "parquet" for s in found.sources):
        dio.need_pyarrow("reading")  # before anything is read
    if any(s.kind == "html" for s in found.sources) or input_format == "html":
        dio.need_trafilatura()
    return found.sources


#: skipped files named in the note, at most
_NAMED = 5


def skipped_note(skipped: Sequence[dio.Skipped], globbed: bool) -> str:
    """One line saying which files of the directories were not read, and why:
    ``dedup: skipped 3 files (suffix .csv is not read: 2; ...): a.csv, b.csv, x.pdf``."""
    reasons = Counter(s.why for s in skipped)
    why = "; ".join(f"{reason}: {n}" if len(reasons) > 1 else reason for reason, n in reasons.most_common())
    names = ", ".join(s.path for s in skipped[:_NAMED])
    more = f" and {len(skipped) - _NAMED} more" if len(skipped) > _NAMED else ""
    hint = "" if globbed else "; --glob PATTERN reads them"
    files = "file" if len(skipped) == 1 else "files"
    return f"dedup: skipped {len(skipped)} {files} ({why}{hint}): {names}{more}"


def check_encoding(encoding: str | None) -> None:
    """An unknown --encoding is a usage error, found before anything is read."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise UsageError(f"unknown encoding {encoding!r}") from None


def outside(found: list[dio.Source], output: str | None) -> list[dio.Source]:
    """The inputs found in directories, less the output ``-o`` (a file, or a
    directory and everything under it): cleaned copies written inside an input
    directory are not read back as inputs by the next run.  A file named
    directly is still read."""
    if output is None or output == dio.STDIN or not os.path.exists(output):
        return found
    target = os.path.realpath(output)
    tree = os.path.join(target, "")

    def is_output(source: dio.Source) -> bool:
        path = os.path.realpath(source.path)
        return source.in_directory and (path == target or path.startswith(tree))

    return [s for s in found if not is_output(s)]


class Skipped:
    """The inputs skipped under ``--on-error skip``: each reported on stderr, one
    line, as it is met; ``count`` makes the exit code 3 at the end."""

    def __init__(self) -> None:
        self.count = 0
        self.sources: list[dio.Source] = []

    def __call__(self, source: dio.Source, error: InputError) -> None:
        self.count += 1
        self.sources.append(source)
        sys.stderr.write(f"dedup: error: {error} (skipped)\n")
        sys.stderr.flush()


def read(options: RunOptions, found: list[dio.Source], skipped: Skipped) -> Iterator[Record]:
    """The records of ``found`` as the options say (encoding, what to do with a bad input)."""
    return dio.read_records(
        found,
        options.text_field,
        options.id_field,
        options.input_format,
        encoding=options.encoding,
        skip=skipped if options.on_error == "skip" else None,
    )


def run_workers(workers: int | None) -> int:
    """The processes a local run uses: ``workers``, or (``None``) one per core."""
    if workers is not None:
        return workers
    from dedup.run import default_workers  # heavy: only once a run starts

    return default_workers()


def results(
    records: Iterable[Record], config: Config, workers: int | None, offsets: bool = True
) -> Iterator[tuple[Record, Result]]:
    """Each record with its result (``dedup.clean`` streams them in input order);
    ``offsets``: whether matches need their exact regions (a report)."""
    pending: deque[Record] = deque()

    def documents() -> Iterator[Document]:
        for record in records:
            pending.append(record)
            yield record.document

    for result in dedup.clean(documents(), config, run_workers(workers), offsets):
        yield pending.popleft(), result
