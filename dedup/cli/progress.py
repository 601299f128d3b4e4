"""The progress bar of ``scan`` and ``clean``, on stderr when it is a terminal.

Pipes, files and tests see none (unless :data:`FORCE_PROGRESS` is set).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dedup import files as dio
from dedup.files import Record

from .render import console

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress as Bar

#: set to 1 to show the progress bar even when stderr is not a terminal (tests)
FORCE_PROGRESS = "DEDUP_FORCE_PROGRESS"


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class Progress:
    """A progress bar on stderr while a run reads and cleans its articles.

    It shows the articles done, the MB/s of their text (UTF-8), the time
    elapsed and, when the size of the input is known (files, not standard
    input), the share done and the time left.  The share counts bytes of the
    input files (:attr:`dio.Record.position`), so files of any kind, and of any
    size, weigh what they hold; ``n/N articles`` when the count is known
    beforehand (text files, Parquet metadata).  The bar is gone when the run
    ends; the one-line summary stays.

    When ``show`` is false nothing is drawn.  ``console`` is where other
    messages to stderr go meanwhile: printed above the bar while it is shown.
    """

    def __init__(self, sources: Sequence[dio.Source], description: str, show: bool) -> None:
        self._console: Console | None = None
        self._bar: Bar | None = None
        if not show:
            return
        from rich.console import Console

        self._console = Console(stderr=True, highlight=False, soft_wrap=True, force_terminal=True)
        total = self._measure(sources)
        self._articles = 0
        self._text_bytes = 0
        self._start = time.monotonic()
        self._bar = _bar(self._console, eta=total is not None)
        self._task = self._bar.add_task(description, total=total, articles=self._done(), speed="")

    @property
    def console(self) -> Console:
        """Where other messages to stderr go; made when first used (rich costs ~0.07 s to import,
        and a run without a bar, --summary or warnings never needs it)."""
        if self._console is None:
            self._console = console(stderr=True)
        return self._console

    def _measure(self, sources: Sequence[dio.Source]) -> int | None:
        """The size of the whole input (``None`` when unknown: standard input), where
        each file starts in it, and the number of articles when known beforehand."""
        sizes = [dio.source_size(source) for source in sources]
        total = None if None in sizes else sum(size or 0 for size in sizes)
        self._offsets: dict[dio.Source, int] = {}
        offset = 0
        for source, size in zip(sources, sizes, strict=True):
            self._offsets[source] = offset
            offset += size or 0
        expected = dio.article_count(sources)
        self._of = "" if expected is None else f"/{expected:,}"
        return total

    def _done(self) -> str:
        return f"{self._articles:,}{self._of} {'article' if self._articles == 1 else 'articles'}"

    def advance(self, record: Record) -> None:
        """One more article done."""
        if self._bar is None:
            return
        self._articles += 1
        self._text_bytes += len(record.document.text.encode("utf-8", "surrogatepass"))
        elapsed = time.monotonic() - self._start
        speed = f"{self._text_bytes / elapsed / 1e6:.1f} MB/s" if elapsed > 0 else ""
        completed = self._offsets.get(record.source, 0) + record.position
        self._bar.update(self._task, completed=completed, articles=self._done(), speed=speed)

    def __enter__(self) -> Progress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def _bar(out: Console, eta: bool) -> Bar:
    """rich's bar: description, bar, share, articles and speed, time elapsed (and left)."""
    from rich.progress import (
        BarColumn,
        ProgressColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as Bar

    columns: list[ProgressColumn] = [
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[articles]}  {task.fields[speed]}"),
        TimeElapsedColumn(),
    ]
    if eta:
        columns += [TextColumn("ETA"), TimeRemainingColumn()]
    return Bar(*columns, console=out, transient=True, redirect_stdout=False, redirect_stderr=False)


def progress(sources: Sequence[dio.Source], description: str, quiet: bool, stdout_busy: bool) -> Progress:
    """The progress bar of a run: shown when stderr is a terminal, unless --quiet,
    or stdout is a terminal too and gets the results as they come (the two would
    overwrite each other)."""
    if quiet:
        show = False
    elif os.environ.get(FORCE_PROGRESS) == "1":
        show = True
    else:
        show = _isatty(sys.stderr) and not (stdout_busy and _isatty(sys.stdout))
    return Progress(sources, description, show)
