"""``dedup scan`` and ``dedup clean``: read the inputs, call :func:`dedup.clean`,
write or report what it did, return an exit code.

Each command gathers its shared options into one :class:`RunOptions`; the
pipeline, jieba and datasketch load only once a run starts (:mod:`.inputs`).
While a run goes, a progress bar is shown on stderr when it is a terminal
(:mod:`.progress`); pipes, files and tests see none.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from dedup import files as dio
from dedup.config import Config
from dedup.errors import UsageError
from dedup.records import Result

from . import render
from .exits import EXIT_CLEAN, EXIT_SKIPPED, outcome
from .inputs import Skipped, check_encoding, outside, read, results, sources
from .options import (
    ArticlesOption,
    ConfigOption,
    EncodingOption,
    EngineOption,
    ExitCodeOption,
    GlobOption,
    IdFieldOption,
    InputFormatOption,
    JoinOption,
    KeepOption,
    MasterOption,
    MemoryBudgetOption,
    MinBodyOption,
    OnErrorOption,
    Overrides,
    ParagraphsOption,
    Paths,
    QuietOption,
    ReviewOption,
    RunOptions,
    ScopeOption,
    SegmenterOption,
    SummaryOption,
    TextFieldOption,
    WidthOption,
    WorkersOption,
)
from .outputs import cleaned_output
from .progress import Progress, progress
from .review import new_review
from .settings import settings

if TYPE_CHECKING:
    from dedup.review import Review
    from dedup.review.apart import ReviewApart

JsonOption = Annotated[
    bool, typer.Option("--json", help='One JSON object: {"fingerprint": ..., "results": [...]}.')
]
JsonlOption = Annotated[bool, typer.Option("--jsonl", help="One JSON report line per article.")]
OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="OUT",
        help=(
            "Where cleaned copies go: a file for one file (- for stdout), a directory mirroring the "
            "inputs for a directory or several inputs, or a .jsonl / .ndjson (.gz, .zst, .bz2, .xz) "
            "or .parquet file for everything."
        ),
    ),
]
InPlaceOption = Annotated[
    bool, typer.Option("--in-place", help="Rewrite the inputs that change, atomically.")
]
ReportOption = Annotated[
    str | None,
    typer.Option("--report", metavar="FILE", help="Write a JSON report line per article (offsets, reasons)."),
]


def scan(
    paths: Paths,
    json_out: JsonOption = False,
    jsonl_out: JsonlOption = False,
    summary: SummaryOption = False,
    width: WidthOption = 24,
    quiet: QuietOption = False,
    config_file: ConfigOption = None,
    keep: KeepOption = None,
    duplicate_articles: ArticlesOption = None,
    scope: ScopeOption = None,
    join: JoinOption = None,
    text_field: TextFieldOption = "text",
    id_field: IdFieldOption = "id",
    input_format: InputFormatOption = "auto",
    glob: GlobOption = None,
    segmenter: SegmenterOption = None,
    paragraphs: ParagraphsOption = None,
    workers: WorkersOption = None,
    encoding: EncodingOption = None,
    on_error: OnErrorOption = "skip",
    memory_budget: MemoryBudgetOption = None,
) -> int:
    """Report what clean would remove or join, changing nothing.

    Prints a table of the articles with findings (or a JSON report with --json
    / --jsonl).  Exits 1 when anything would be removed or joined.
    """
    if json_out and jsonl_out:
        raise UsageError("--json and --jsonl exclude each other")
    options = RunOptions(
        paths=tuple(paths),
        config_file=config_file,
        overrides=Overrides(keep, duplicate_articles, scope, join, segmenter, paragraphs, memory_budget),
        text_field=text_field,
        id_field=id_field,
        input_format=input_format,
        workers=workers,
        quiet=quiet,
        summary=summary,
        width=width,
        globs=tuple(glob or ()),
        encoding=encoding,
        on_error=on_error,
    )
    check_encoding(encoding)
    skipped = Skipped()
    return outcome(_scan(options, json_out, jsonl_out, skipped).found, skipped.count)


def _scan(options: RunOptions, json_out: bool, jsonl_out: bool, skipped: Skipped) -> render.Tally:
    """Read and resolve every article; print a JSON document, JSON lines or, at the end, a table."""
    config, _ = settings(options.config_file, options.paths, options.overrides)
    found = sources(options.paths, options.input_format, options.globs, options.quiet)
    records = read(options, found, skipped)
    tally = render.Tally()
    rows: list[Result] | None = None if options.quiet or json_out or jsonl_out else []
    bar = progress(found, "scanning", options.quiet, stdout_busy=json_out or jsonl_out)
    explain_to = bar.console if options.summary and not options.quiet else None
    report = dio.JsonlWriter(dio.STDIN) if jsonl_out and not options.quiet else None
    document = render.JsonDocument(config) if json_out and not options.quiet else None
    with bar:
        # match regions are only printed in JSON
        offsets = document is not None or report is not None
        for record, result in results(records, config, options.workers, offsets):
            if document is not None:
                document.add(result)
            tally.add(result)
            if report is not None:
                report.write(dio.result_to_json(result))
            if explain_to is not None and render.has_findings(result):
                render.explain(result, explain_to, options.width)
            if rows is not None and render.has_findings(result):
                rows.append(render.without_text(result))
            bar.advance(record)
    if document is not None:
        document.close()
    if report is not None:
        report.commit()
    if rows is not None:
        render.scan_table(rows, tally, render.console(stderr=False))
    return tally


def clean(
    paths: Paths,
    output: OutputOption = None,
    in_place: InPlaceOption = False,
    report: ReportOption = None,
    review: ReviewOption = None,
    exit_code: ExitCodeOption = False,
    min_body_chars: MinBodyOption = 0,
    summary: SummaryOption = False,
    width: WidthOption = 24,
    quiet: QuietOption = False,
    config_file: ConfigOption = None,
    keep: KeepOption = None,
    duplicate_articles: ArticlesOption = None,
    scope: ScopeOption = None,
    join: JoinOption = None,
    text_field: TextFieldOption = "text",
    id_field: IdFieldOption = "id",
    input_format: InputFormatOption = "auto",
    glob: GlobOption = None,
    segmenter: SegmenterOption = None,
    paragraphs: ParagraphsOption = None,
    workers: WorkersOption = None,
    encoding: EncodingOption = None,
    on_error: OnErrorOption = "skip",
    engine: EngineOption = "local",
    master: MasterOption = None,
    memory_budget: MemoryBudgetOption = None,
) -> int:
    """Write cleaned copies: repeated paragraphs removed, broken paragraphs re-joined.

    Text files are written as text in the encoding they were read in, JSONL as
    JSONL with every other field kept, Parquet as Parquet with every other
    column kept, a JSON array as a JSON array, an HTML page as the text of its
    article (stdout gets JSONL).  An -o FILE ending in .jsonl / .ndjson
    (compressed or not) or .parquet takes every article in that format, with the
    metadata found in HTML pages (url, title, author, date, sitename).  An article that is a
    near-copy to drop (--duplicate-articles drop) is left out of JSONL and
    Parquet output; as a text file it is not written to -o, and with --in-place
    it is left as it is (dedup never deletes files; the report lists it).
    Exits 0 when done, changed or not; with --exit-code (--check), 1 when
    anything changed.
    """
    _check_destinations(output, in_place, report)
    if master is not None and engine != "spark":
        raise UsageError("--master needs --engine spark")
    options = RunOptions(
        paths=tuple(paths),
        config_file=config_file,
        overrides=Overrides(keep, duplicate_articles, scope, join, segmenter, paragraphs, memory_budget),
        text_field=text_field,
        id_field=id_field,
        input_format=input_format,
        workers=workers,
        quiet=quiet,
        summary=summary,
        width=width,
        globs=tuple(glob or ()),
        min_body_chars=min_body_chars,
        encoding=encoding,
        on_error=on_error,
    )
    check_encoding(encoding)
    config, _ = settings(options.config_file, options.paths, options.overrides)
    found = outside(sources(options.paths, options.input_format, options.globs, options.quiet), output)
    out = cleaned_output(options, found, output, in_place)
    bar = progress(found, "cleaning", options.quiet, stdout_busy=output == dio.STDIN)
    skipped = Skipped()
    # match regions are only written in a report (and linked by the review)
    offsets = report is not None or review is not None
    cleaned = (
        _spark_results(options, config, found, master)
        if engine == "spark"
        else _local_results(options, config, found, skipped, offsets)
    )
    page = new_review(config, report, review, output, engine, options.workers) if review is not None else None
    try:
        tally = _write_cleaned(options, cleaned, out, report, bar, skipped, page)
        if page is not None and review is not None:
            page.write(review)
    finally:
        if page is not None:
            page.close()
    if not options.quiet:
        done = render.cleaned_summary(tally, out.written, in_place)
        if min_body_chars and tally.short:
            done += (
                f"; left out {render.count(tally.short, 'article')} under {min_body_chars} body characters"
            )
        render.say(done)
    if exit_code:
        return outcome(bool(tally.changed), skipped.count)
    return EXIT_SKIPPED if skipped.count else EXIT_CLEAN


def _check_destinations(output: str | None, in_place: bool, report: str | None) -> None:
    """Exactly one of -o and --in-place, and the report not where the articles go."""
    if in_place and output is not None:
        raise UsageError("-o and --in-place exclude each other")
    if not in_place and output is None:
        raise UsageError("say where cleaned articles go: -o OUT, -o - (stdout) or --in-place")
    if report is not None and report == output:
        what = "stdout" if report == dio.STDIN else report
        raise UsageError(f"the cleaned articles and the report cannot both go to {what}")


Cleaned = Iterator[tuple[dio.Record, Result, dict[str, Any]]]


def _local_results(
    options: RunOptions, config: Config, found: list[dio.Source], skipped: Skipped, offsets: bool
) -> Cleaned:
    """Each record with its result and (with ``offsets``, for a report) its report line, from the
    local engine."""
    records = read(options, found, skipped)
    for record, result in results(records, config, options.workers, offsets):
        yield record, result, dio.result_to_json(result) if offsets else {}


def _spark_results(
    options: RunOptions, config: Config, found: list[dio.Source], master: str | None
) -> Cleaned:
    """Each record with its result and report line, from Spark (``dedup.spark.files``)."""
    from dedup.spark.files import clean_files

    yield from clean_files(found, config, options.text_field, options.id_field, options.input_format, master)


def _write_cleaned(
    options: RunOptions,
    cleaned: Cleaned,
    out: dio.CleanedOutput,
    report_path: str | None,
    bar: Progress,
    skipped: Skipped,
    page: Review | ReviewApart | None = None,
) -> render.Tally:
    """Clean every article into ``out`` (and its report line into ``report_path``);
    on any error, nothing half-written stays."""
    explain_to = bar.console if options.summary and not options.quiet else None
    reporter: dio.JsonlWriter | None = None
    tally = render.Tally(summary=not options.quiet)
    try:
        reporter = dio.JsonlWriter(report_path) if report_path is not None else None
        with bar:
            for record, result, line in cleaned:
                out.write(record, result)
                serialized = reporter.write(line) if reporter is not None else None
                if page is not None:
                    page.add(line, result.text, serialized)
                tally.add(result)
                # (``body_chars`` reads the whole cleaned text: only when there is a minimum)
                tally.short += bool(options.min_body_chars) and _short(result, options.min_body_chars)
                if explain_to is not None and render.has_findings(result):
                    render.explain(result, explain_to, options.width)
                bar.advance(record)
        for source in skipped.sources:
            out.leave_out(source)
        out.close()
        if reporter is not None:
            reporter.commit()
    except BaseException:
        out.abort()
        if reporter is not None:
            reporter.discard()
        raise
    return tally


def _short(result: Result, min_body_chars: int) -> bool:
    return result.body_chars < min_body_chars and not _near_copy_dropped(result)


def _near_copy_dropped(result: Result) -> bool:
    return result.near_copy_of is not None and result.near_copy_of.action == "drop"
