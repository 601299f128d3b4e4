"""``dedup scan`` and ``dedup clean``: read the inputs, call :func:`dedup.clean`,
write or report what it did, return an exit code.

Each command gathers its shared options into one :class:`RunOptions`; the
pipeline, jieba and datasketch load only once a run starts (:mod:`.inputs`).
While a run goes, a progress bar is shown on stderr when it is a terminal
(:mod:`.progress`); pipes, files and tests see none.
"""

from __future__ import annotations

from typing import Annotated

import typer

from dedup import files as dio
from dedup.config import Config
from dedup.errors import UsageError
from dedup.records import Result

from . import render
from .exits import outcome
from .inputs import results, sources
from .options import (
    ArticlesOption,
    ConfigOption,
    IdFieldOption,
    InputFormatOption,
    JoinOption,
    KeepOption,
    MemoryBudgetOption,
    Overrides,
    ParagraphsOption,
    Paths,
    QuietOption,
    RunOptions,
    ScopeOption,
    SegmenterOption,
    SummaryOption,
    TextFieldOption,
    WorkersOption,
)
from .outputs import cleaned_output
from .progress import Progress, progress
from .settings import settings

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
            "inputs for a directory or several inputs, or a .jsonl / .jsonl.gz / .parquet file for "
            "everything."
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
    paragraphs: ParagraphsOption = None,
    workers: WorkersOption = None,
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
    )
    return outcome(_scan(options, json_out, jsonl_out).found)


def _scan(options: RunOptions, json_out: bool, jsonl_out: bool) -> render.Tally:
    """Read and resolve every article; print a JSON document, JSON lines or, at the end, a table."""
    config, _ = settings(options.config_file, options.paths, options.overrides)
    found = sources(options.paths, options.input_format)
    records = dio.read_records(found, options.text_field, options.id_field, options.input_format)
    tally = render.Tally()
    rows: list[Result] | None = None if options.quiet or json_out or jsonl_out else []
    bar = progress(found, "scanning", options.quiet, stdout_busy=json_out or jsonl_out)
    explain_to = bar.console if options.summary and not options.quiet else None
    report = dio.JsonlWriter(dio.STDIN) if jsonl_out and not options.quiet else None
    document = render.JsonDocument(config) if json_out and not options.quiet else None
    with bar:
        for record, result in results(records, config, options.workers):
            if document is not None:
                document.add(result)
            tally.add(result)
            if report is not None:
                report.write(dio.result_to_json(result))
            if explain_to is not None and render.has_findings(result):
                render.explain(result, explain_to)
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
    paragraphs: ParagraphsOption = None,
    workers: WorkersOption = None,
    memory_budget: MemoryBudgetOption = None,
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
    _check_destinations(output, in_place, report)
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
    )
    config, _ = settings(options.config_file, options.paths, options.overrides)
    found = sources(options.paths, options.input_format)
    out = cleaned_output(options, found, output, in_place)
    bar = progress(found, "cleaning", options.quiet, stdout_busy=output == dio.STDIN)
    tally = _write_cleaned(options, config, found, out, report, bar)
    if not options.quiet:
        render.console(stderr=True).print(render.cleaned_summary(tally, out.written, in_place))
    return outcome(bool(tally.changed))


def _check_destinations(output: str | None, in_place: bool, report: str | None) -> None:
    """Exactly one of -o and --in-place, and the report not where the articles go."""
    if in_place and output is not None:
        raise UsageError("-o and --in-place exclude each other")
    if not in_place and output is None:
        raise UsageError("say where cleaned articles go: -o OUT, -o - (stdout) or --in-place")
    if report is not None and report == output:
        what = "stdout" if report == dio.STDIN else report
        raise UsageError(f"the cleaned articles and the report cannot both go to {what}")


def _write_cleaned(
    options: RunOptions,
    config: Config,
    found: list[dio.Source],
    out: dio.CleanedOutput,
    report_path: str | None,
    bar: Progress,
) -> render.Tally:
    """Clean every article into ``out`` (and its report line into ``report_path``);
    on any error, nothing half-written stays."""
    explain_to = bar.console if options.summary and not options.quiet else None
    reporter: dio.JsonlWriter | None = None
    tally = render.Tally()
    try:
        reporter = dio.JsonlWriter(report_path) if report_path is not None else None
        records = dio.read_records(found, options.text_field, options.id_field, options.input_format)
        with bar:
            for record, result in results(records, config, options.workers):
                out.write(record, result)
                if reporter is not None:
                    reporter.write(dio.result_to_json(result))
                tally.add(result)
                if explain_to is not None and render.has_findings(result):
                    render.explain(result, explain_to)
                bar.advance(record)
        out.close()
        if reporter is not None:
            reporter.commit()
    except BaseException:
        out.abort()
        if reporter is not None:
            reporter.discard()
        raise
    return tally
