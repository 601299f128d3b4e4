"""The ``dedup`` command: parse, call the library, render, return an exit code.

Exit codes: 0 nothing to do; 1 duplicates found (``scan``) or files changed
(``clean``); 2 usage or configuration error; 123 an input cannot be read or
parsed (or an output cannot be written).  Expected errors are one line on
stderr, ``dedup: error: <message>``, never a traceback.

Keep this module cheap to import (``dedup --help`` must be fast): the pipeline,
jieba and datasketch load inside :func:`dedup.clean`, rich inside the renderers,
pyarrow only when a Parquet file is read or written.

While ``scan`` and ``clean`` run, a progress bar is shown on stderr when it is
a terminal (see :class:`_Progress`); pipes, files and tests see none.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

import dedup
from dedup.config import ArticlePolicy, Config, KeepPolicy, Scope, Segmenter
from dedup.errors import ConfigError, DedupError
from dedup.files import io as dio
from dedup.files.io import InputFormat, Record
from dedup.records import Result

if TYPE_CHECKING:
    from rich.console import Console

EXIT_CLEAN = 0
EXIT_FOUND = 1
EXIT_USAGE = 2
EXIT_INPUT = 123


class UsageError(DedupError):
    """Options that do not fit together (exit code 2)."""


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("dedup")
    except PackageNotFoundError:
        return "unknown"


def _show_version(value: bool) -> None:
    if value:
        print(f"dedup {_package_version()}")
        raise typer.Exit()


app = typer.Typer(
    name="dedup",
    epilog=(
        "Exit codes: 0 nothing to do, 1 duplicates found (scan) or files changed (clean), "
        "2 usage or configuration error, 123 unreadable or invalid input."
    ),
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Find and remove near-duplicate paragraphs in scraped (Chinese) articles.

    Settings come from the nearest dedup.toml, or pyproject.toml with a
    [tool.dedup] table, above the inputs (or from --config); options override them.
    """


# --------------------------------------------------------------------------- options

Paths = Annotated[
    list[str],
    typer.Argument(
        metavar="PATH",
        help=(
            "Text files (one article each), directories, JSONL files (.jsonl, .jsonl.gz), "
            "Parquet files (.parquet), or - for stdin."
        ),
        show_default=False,
    ),
]
ConfigOption = Annotated[
    str | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="Settings file (dedup.toml, or pyproject.toml with [tool.dedup]) instead of the nearest one.",
    ),
]
KeepOption = Annotated[
    KeepPolicy | None,
    typer.Option(
        "--keep", help="Which copy of a repeated paragraph survives: the most complete or the first."
    ),
]
ArticlesOption = Annotated[
    ArticlePolicy | None,
    typer.Option(
        "--duplicate-articles",
        help="An article that repeats most of an earlier one: strip its repeats, drop it, or keep it whole.",
    ),
]
ScopeOption = Annotated[
    Scope | None,
    typer.Option("--scope", help="Compare paragraphs across all inputs, or only within each article."),
]
JoinOption = Annotated[
    bool | None,
    typer.Option(
        "--join/--no-join", help="Re-join paragraphs broken by the page layout.", show_default=False
    ),
]
SegmenterOption = Annotated[
    Segmenter | None,
    typer.Option(
        "--segmenter", help="Word segmenter (rjieba: jieba's words, faster; auto: rjieba when installed)."
    ),
]
TextFieldOption = Annotated[
    str,
    typer.Option(
        "--text-field", metavar="NAME", help="JSONL field (Parquet column) holding the article text."
    ),
]
IdFieldOption = Annotated[
    str,
    typer.Option("--id-field", metavar="NAME", help="JSONL field (Parquet column) holding the article id."),
]
InputFormatOption = Annotated[
    InputFormat,
    typer.Option(
        "--input-format",
        help="How to read named files and stdin (auto: by file name; stdin by its first character).",
    ),
]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        min=1,
        metavar="N",
        help="Worker processes for segmentation and signatures (default: all cores). "
        "The output is the same for any N.",
    ),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")]
SummaryOption = Annotated[
    bool,
    typer.Option(
        "--summary",
        help="Explain on stderr, article by article, what is removed and joined and why (¶ counts from 0).",
    ),
]


def _config_start(paths: Sequence[str]) -> Path | None:
    """Where to look for settings: the deepest directory holding every input."""
    places = [p if os.path.isdir(p) else os.path.dirname(p) or "." for p in paths if p != dio.STDIN]
    if not places:
        return None
    try:
        return Path(os.path.commonpath([os.path.abspath(p) for p in places]))
    except ValueError:
        return None


def _settings(
    config_file: str | None,
    paths: Sequence[str],
    *,
    keep: KeepPolicy | None = None,
    duplicate_articles: ArticlePolicy | None = None,
    scope: Scope | None = None,
    join: bool | None = None,
    segmenter: Segmenter | None = None,
) -> tuple[Config, Path | None]:
    """Settings from the config file, then command-line options over them."""
    config, origin = dedup.load_config(Path(config_file) if config_file else None, start=_config_start(paths))
    config = config.replace(
        keep=keep, duplicate_articles=duplicate_articles, scope=scope, join_broken=join, segmenter=segmenter
    )
    return config, origin


def _sources(paths: Sequence[str], input_format: InputFormat) -> list[dio.Source]:
    if list(paths).count(dio.STDIN) > 1:
        raise UsageError("standard input (-) given more than once")
    sources = dio.discover(paths, input_format)
    if any(s.kind == "parquet" for s in sources):
        dio.need_pyarrow("reading")  # before anything is read
    return sources


def _results(
    records: Iterable[Record], config: Config, workers: int | None
) -> Iterator[tuple[Record, Result]]:
    """Each record with its result (``dedup.clean`` streams them in input order)."""
    pending: deque[Record] = deque()

    def documents() -> Iterator[dedup.Document]:
        for record in records:
            pending.append(record)
            yield record.document

    if workers is None:
        from dedup.run import default_workers

        workers = default_workers()
    for result in dedup.clean(documents(), config, workers):
        yield pending.popleft(), result


# --------------------------------------------------------------------------- rendering


@dataclass
class _Tally:
    """Totals of a run."""

    articles: int = 0
    changed: int = 0
    with_findings: int = 0
    removed: Counter[str] = field(default_factory=Counter)
    joins: int = 0
    flags: int = 0
    near_copies: int = 0

    def add(self, result: Result) -> None:
        self.articles += 1
        self.changed += result.changed
        self.with_findings += _has_findings(result)
        self.removed.update(r.kind for r in result.removed)
        self.joins += len(result.joins)
        self.flags += len(result.flags)
        self.near_copies += result.near_copy_of is not None

    @property
    def found(self) -> bool:
        """Anything would be removed or joined."""
        return bool(self.removed) or bool(self.joins)

    def describe(self) -> str:
        parts = [_count(self.articles, "article")]
        if self.found or self.flags or self.near_copies:
            findings = [f"{_count(sum(self.removed.values()), 'removal')}{_kinds(self.removed)}"]
            findings.append(_count(self.joins, "join"))
            if self.flags:
                findings.append(f"{self.flags} flagged")
            if self.near_copies:
                findings.append(_count(self.near_copies, "near-copy article"))
            parts.append(", ".join(findings))
        else:
            parts.append("no duplicates found")
        return ": ".join(parts)


def _has_findings(result: Result) -> bool:
    return bool(result.removed or result.joins or result.flags or result.near_copy_of)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _kinds(removed: Counter[str]) -> str:
    if not removed:
        return ""
    return " (" + ", ".join(f"{kind} {n}" for kind, n in sorted(removed.items())) + ")"


def _console(stderr: bool) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=stderr)


def _excerpt(text: str, width: int = 24) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _explain(result: Result, console: Console) -> None:
    """What was removed, joined and flagged in one article, and why (for --summary).

    Paragraphs are numbered from 0, as in the report; line numbers count from 1.
    """
    from rich.text import Text

    text = result.text
    head = Text()
    head.append(result.id, style="bold")
    head.append(f": {_count(result.paragraphs, 'paragraph')}, {_count(len(result.removed), 'removal')}, ")
    head.append(f"{_count(len(result.joins), 'join')}, {len(result.flags)} flagged")
    console.print(head)
    near = result.near_copy_of
    if near is not None:
        done = {"drop": "dropped whole", "strip": "its repeats removed", "keep": "kept whole"}[near.action]
        console.print(f"  near-copy of {near.id} (similarity {near.similarity:.2f}): {done}")
        if near.action == "drop":
            return
    for removal in result.removed:
        line = Text("  ")
        line.append(f"removed ¶{removal.paragraph}".ljust(12), style="red")
        line.append(f" line {_line_of(text, removal.start)}".ljust(11))
        line.append(f"{removal.kind:<11} {removal.score:.2f}", style="bold")
        sources: dict[str, set[int]] = {}
        for match in removal.matches:
            sources.setdefault(match.id, set()).add(match.paragraph)
        if sources:
            where = "; ".join(
                ("" if doc == result.id else f"{doc} ") + " ".join(f"¶{n}" for n in sorted(numbers))
                for doc, numbers in sources.items()
            )
            line.append(f"  repeats {where}")
        line.append(f"  “{_excerpt(text[removal.start : removal.end])}”", style="dim")
        console.print(line)
    for join in result.joins:
        line = Text("  ")
        line.append(f"joined ¶{join.head}+¶{join.tail}".ljust(12), style="green")
        line.append(f" line {_line_of(text, join.start)}".ljust(11))
        line.append(f"{'join':<11} {join.score:.2f}", style="bold")
        before = " ".join(text[max(0, join.start - 12) : join.start].split())
        after = " ".join(text[join.end : join.end + 12].split())
        line.append(f"  {'; '.join(join.evidence)}")
        line.append(f"  “…{before}|{after}…”", style="dim")
        console.print(line)
    for flag in result.flags:
        line = Text("  ")
        line.append(f"flagged ¶{flag.paragraph}".ljust(12), style="yellow")
        line.append(f" line {_line_of(text, flag.start)}".ljust(11))
        line.append(f"{flag.kind:<11} kept: {flag.note}")
        console.print(line)


def _scan_table(rows: list[Result], tally: _Tally, console: Console) -> None:
    from rich.table import Table
    from rich.text import Text

    if rows:
        table = Table(show_edge=False, pad_edge=False)
        table.add_column("article", overflow="fold")
        table.add_column("¶", justify="right")
        table.add_column("removed")
        table.add_column("joins", justify="right")
        table.add_column("flags", justify="right")
        table.add_column("near-copy of")
        for result in rows:
            kinds = Counter(r.kind for r in result.removed)
            near = result.near_copy_of
            table.add_row(
                Text(result.id),
                str(result.paragraphs),
                Text(", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items())) or "-"),
                str(len(result.joins)),
                str(len(result.flags)),
                Text(f"{near.id} ({near.similarity:.2f}, {near.action})" if near else "-"),
            )
        console.print(table)
    console.print(Text(tally.describe()), soft_wrap=True)


# --------------------------------------------------------------------------- progress

#: set to 1 to show the progress bar even when stderr is not a terminal (tests)
FORCE_PROGRESS = "DEDUP_FORCE_PROGRESS"


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class _Progress:
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
        self.console = _console(stderr=True)
        self._bar: Any = None
        if not show:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = Console(stderr=True, highlight=False, soft_wrap=True, force_terminal=True)
        sizes = [dio.source_size(source) for source in sources]
        total = None if None in sizes else sum(size or 0 for size in sizes)
        self._offsets: dict[dio.Source, int] = {}
        offset = 0
        for source, size in zip(sources, sizes, strict=True):
            self._offsets[source] = offset
            offset += size or 0
        expected = dio.article_count(sources)
        self._of = "" if expected is None else f"/{expected:,}"
        self._articles = 0
        self._text_bytes = 0
        self._start = time.monotonic()
        columns = [
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[articles]}  {task.fields[speed]}"),
            TimeElapsedColumn(),
        ]
        if total is not None:
            columns += [TextColumn("ETA"), TimeRemainingColumn()]
        self._bar = Progress(
            *columns, console=self.console, transient=True, redirect_stdout=False, redirect_stderr=False
        )
        self._task = self._bar.add_task(description, total=total, articles=self._done(), speed="")

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

    def __enter__(self) -> _Progress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def _progress(sources: Sequence[dio.Source], description: str, quiet: bool, stdout_busy: bool) -> _Progress:
    """The progress bar of a run: shown when stderr is a terminal, unless --quiet,
    or stdout is a terminal too and gets the results as they come (the two would
    overwrite each other)."""
    if quiet:
        show = False
    elif os.environ.get(FORCE_PROGRESS) == "1":
        show = True
    else:
        show = _isatty(sys.stderr) and not (stdout_busy and _isatty(sys.stdout))
    return _Progress(sources, description, show)


# --------------------------------------------------------------------------- commands


@app.command()
def scan(
    paths: Paths,
    json_out: Annotated[
        bool, typer.Option("--json", help='One JSON object: {"fingerprint": ..., "results": [...]}.')
    ] = False,
    jsonl_out: Annotated[bool, typer.Option("--jsonl", help="One JSON report line per article.")] = False,
    summary: SummaryOption = False,
    quiet: QuietOption = False,
    config_file: ConfigOption = None,
    keep: KeepOption = None,
    duplicate_articles: ArticlesOption = None,
    scope: ScopeOption = None,
    join: JoinOption = None,
    text_field: TextFieldOption = "text",
    id_field: IdFieldOption = "id",
    input_format: InputFormatOption = "auto",
    segmenter: SegmenterOption = None,
    workers: WorkersOption = None,
) -> int:
    """Report what clean would remove or join, changing nothing.

    Prints a table of the articles with findings (or a JSON report with --json
    / --jsonl).  Exits 1 when anything would be removed or joined.
    """
    if json_out and jsonl_out:
        raise UsageError("--json and --jsonl exclude each other")
    config, _ = _settings(
        config_file,
        paths,
        keep=keep,
        duplicate_articles=duplicate_articles,
        scope=scope,
        join=join,
        segmenter=segmenter,
    )
    sources = _sources(paths, input_format)
    records = dio.read_records(sources, text_field, id_field, input_format)
    tally = _Tally()
    rows: list[Result] = []
    progress = _progress(sources, "scanning", quiet, stdout_busy=json_out or jsonl_out)
    explain = progress.console if summary and not quiet else None
    report = dio.JsonlWriter(dio.STDIN) if jsonl_out and not quiet else None
    stdout = dio.stdout_bytes() if json_out and not quiet else None
    if stdout is not None:
        stdout.write(b'{"fingerprint": ' + dio.json_bytes(config.fingerprint()) + b', "results": [')
    with progress:
        for record, result in _results(records, config, workers):
            if stdout is not None:
                stdout.write((b", " if tally.articles else b"") + dio.json_bytes(dio.result_to_json(result)))
            tally.add(result)
            if report is not None:
                report.write(dio.result_to_json(result))
            if explain is not None and _has_findings(result):
                _explain(result, explain)
            if not (quiet or json_out or jsonl_out) and _has_findings(result):
                rows.append(_without_text(result))
            progress.advance(record)
    if stdout is not None:
        stdout.write(b"]}\n")
        stdout.flush()
    if report is not None:
        report.commit()
    if not (quiet or json_out or jsonl_out):
        _scan_table(rows, tally, _console(stderr=False))
    return EXIT_FOUND if tally.found else EXIT_CLEAN


def _without_text(result: Result) -> Result:
    """A result to keep for the table: the texts are not needed and may be large."""
    from dataclasses import replace

    return replace(result, text="", cleaned="")


def _mirror_target(source: dio.Source, out: str, nested: bool) -> str:
    if not source.in_directory:
        return os.path.join(out, source.relative)
    if nested:
        name = os.path.basename(os.path.abspath(source.root))
        return os.path.join(out, name, source.relative)
    return os.path.join(out, source.relative)


def _cleaned_output(
    paths: Sequence[str],
    sources: list[dio.Source],
    output: str | None,
    in_place: bool,
    text_field: str,
    id_field: str,
) -> dio.CleanedOutput:
    """Where the cleaned articles go, from -o / --in-place and the inputs."""
    has_stdin = any(s.kind == "stdin" for s in sources)
    if in_place or output is None:
        if has_stdin:
            raise UsageError("standard input cannot be rewritten in place; use -o")
        return dio.PerFileOutput(
            lambda s: s.path, only_changed=True, text_field=text_field, id_field=id_field
        )
    if dio.is_jsonl_name(output):
        return dio.JsonlOutput(output, text_field=text_field, id_field=id_field)
    if dio.is_parquet_name(output):
        return dio.ParquetOutput(output, text_field=text_field, id_field=id_field, sources=sources)
    single_file = len(paths) == 1 and not os.path.isdir(paths[0])
    if output == dio.STDIN:
        if single_file:
            return dio.PerFileOutput(
                lambda s: dio.STDIN, sources=sources, text_field=text_field, id_field=id_field
            )
        if all(s.kind in ("jsonl", "parquet") for s in sources):
            return dio.JsonlOutput(dio.STDIN, text_field=text_field, id_field=id_field)
        raise UsageError(
            "several text files cannot go to stdout; use -o DIR, -o FILE.jsonl or -o FILE.parquet"
        )
    if single_file:
        target = output
        if os.path.isdir(output) or output.endswith(("/", os.sep)):
            if has_stdin:
                raise UsageError(f"{output}: standard input needs -o FILE or -o -, not a directory")
            target = os.path.join(output, sources[0].relative) if sources else output
        return dio.PerFileOutput(lambda s: target, sources=sources, text_field=text_field, id_field=id_field)
    if os.path.exists(output) and not os.path.isdir(output):
        raise UsageError(f"{output}: not a directory (a directory or several inputs need -o DIR)")
    if has_stdin:
        raise UsageError(
            "standard input cannot be mixed with other inputs; use -o FILE.jsonl or -o FILE.parquet"
        )
    nested = len(paths) > 1
    targets: dict[dio.Source, str] = {}
    claimed: dict[str, dio.Source] = {}
    for source in sources:
        target = _mirror_target(source, output, nested)
        key = os.path.normcase(os.path.abspath(target))
        if key in claimed:
            raise UsageError(f"{claimed[key].path} and {source.path} would both be written to {target}")
        claimed[key] = source
        targets[source] = target
    return dio.PerFileOutput(targets.__getitem__, sources=sources, text_field=text_field, id_field=id_field)


@app.command()
def clean(
    paths: Paths,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="OUT",
            help=(
                "Where cleaned copies go: a file for one file (- for stdout), a directory mirroring the "
                "inputs for a directory or several inputs, or a .jsonl / .jsonl.gz / .parquet file for "
                "everything."
            ),
        ),
    ] = None,
    in_place: Annotated[
        bool, typer.Option("--in-place", help="Rewrite the inputs that change, atomically.")
    ] = False,
    report: Annotated[
        str | None,
        typer.Option(
            "--report", metavar="FILE", help="Write a JSON report line per article (offsets, reasons)."
        ),
    ] = None,
    summary: SummaryOption = False,
    quiet: QuietOption = False,
    config_file: ConfigOption = None,
    keep: KeepOption = None,
    duplicate_articles: ArticlesOption = None,
    scope: ScopeOption = None,
    join: JoinOption = None,
    text_field: TextFieldOption = "text",
    id_field: IdFieldOption = "id",
    input_format: InputFormatOption = "auto",
    segmenter: SegmenterOption = None,
    workers: WorkersOption = None,
) -> int:
    """Write cleaned copies: repeated paragraphs removed, broken paragraphs re-joined.

    Text files are written as text in the encoding they were read in, JSONL as
    JSONL with every other field kept, Parquet as Parquet with every other
    column kept (stdout gets JSONL).  An -o FILE ending in .jsonl / .jsonl.gz or
    .parquet takes every article in that format.  An article that is a
    near-copy to drop (--duplicate-articles drop) is left out of JSONL and
    Parquet output; as a text file it is not written to -o, and with --in-place
    it is left as it is (dedup never deletes files; the report lists it).
    Exits 1 when anything changed.
    """
    if in_place and output is not None:
        raise UsageError("-o and --in-place exclude each other")
    if not in_place and output is None:
        raise UsageError("say where cleaned articles go: -o OUT, -o - (stdout) or --in-place")
    if report is not None and report == output:
        what = "stdout" if report == dio.STDIN else report
        raise UsageError(f"the cleaned articles and the report cannot both go to {what}")
    config, _ = _settings(
        config_file,
        paths,
        keep=keep,
        duplicate_articles=duplicate_articles,
        scope=scope,
        join=join,
        segmenter=segmenter,
    )
    sources = _sources(paths, input_format)
    out = _cleaned_output(paths, sources, output, in_place, text_field, id_field)
    reporter: dio.JsonlWriter | None = None
    progress = _progress(sources, "cleaning", quiet, stdout_busy=output == dio.STDIN)
    explain = progress.console if summary and not quiet else None
    tally = _Tally()
    try:
        reporter = dio.JsonlWriter(report) if report is not None else None
        records = dio.read_records(sources, text_field, id_field, input_format)
        with progress:
            for record, result in _results(records, config, workers):
                out.write(record, result)
                if reporter is not None:
                    reporter.write(dio.result_to_json(result))
                tally.add(result)
                if explain is not None and _has_findings(result):
                    _explain(result, explain)
                progress.advance(record)
        out.close()
        if reporter is not None:
            reporter.commit()
    except BaseException:
        out.abort()
        if reporter is not None:
            reporter.discard()
        raise
    if not quiet:
        done = tally.describe()
        if in_place:
            done += f"; rewrote {_count(len(out.written), 'file')}"
        elif out.written:
            done += f"; wrote {_count(len(out.written), 'file')}"
        _console(stderr=True).print(done)
    return EXIT_FOUND if tally.changed else EXIT_CLEAN


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        import json

        return json.dumps(value, ensure_ascii=False)
    return repr(value)


@app.command("config")
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
) -> int:
    """Print the effective settings, as TOML, and the file they came from."""
    config, origin = _settings(
        config_file,
        paths or [],
        keep=keep,
        duplicate_articles=duplicate_articles,
        scope=scope,
        join=join,
        segmenter=segmenter,
    )
    if origin is None:
        print("# no dedup.toml or pyproject.toml with [tool.dedup] found: defaults")
    elif origin.name == "pyproject.toml":
        print(f"# from {origin} [tool.dedup]")
    else:
        print(f"# from {origin}")
    for key, value in config.as_dict().items():
        print(f"{key} = {_toml_value(value)}")
    fingerprint = " ".join(f"{k}={v}" for k, v in config.fingerprint().items())
    print(f"# fingerprint: {fingerprint}")
    return EXIT_CLEAN


from dedup.cli.check import register as _register_check  # noqa: E402 - `check` and `index`, after the app's own

_register_check(app)


# --------------------------------------------------------------------------- entry point


def _error(message: str) -> None:
    sys.stderr.write(f"dedup: error: {message}\n")
    sys.stderr.flush()


def _exit_code(error: DedupError) -> int:
    return EXIT_USAGE if isinstance(error, ConfigError | UsageError) else EXIT_INPUT


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (``argv`` without the program name) and return its exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        code = app(args=args, prog_name="dedup", standalone_mode=False)
    except typer.TyperException as err:
        # a usage error found while parsing
        message = err.format_message().strip()
        if type(err).__name__ == "NoArgsIsHelpError":  # typer's own test; the message is the help
            sys.stderr.write(message + "\n")
        elif message:
            context = getattr(err, "ctx", None)
            if context is not None:
                sys.stderr.write(
                    f"{context.get_usage().strip()}\nTry '{context.command_path} --help' for help.\n"
                )
            _error(message)
        return int(getattr(err, "exit_code", EXIT_USAGE))
    except DedupError as err:
        _error(str(err))
        return _exit_code(err)
    except typer.Abort:
        _error("aborted")
        return 130
    except KeyboardInterrupt:
        return 130
    except SystemExit as stop:
        # typer exits by itself when stdout is closed early (dedup ... | head): status 1, no message
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    return code if isinstance(code, int) else EXIT_CLEAN
