"""``dedup review`` (an HTML review of a saved report) and the ``--review`` file of ``dedup clean``.

Both build a :class:`dedup.review.Review` from report lines and the articles'
texts and write it atomically; the page links every removal to its line of the
report, by the report's path relative to the page.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated, Any

import typer

from dedup import files as dio
from dedup.config import Config, stamp
from dedup.errors import UsageError

from . import render
from .inputs import run_workers, sources
from .options import ConfigOption, IdFieldOption, InputFormatOption, Overrides, QuietOption, TextFieldOption
from .settings import settings

if TYPE_CHECKING:
    from collections import Counter

    from dedup.review import Review
    from dedup.review.apart import ReviewApart

ReportArgument = Annotated[
    str, typer.Argument(metavar="REPORT", help="A report written by dedup clean --report (or scan --jsonl).")
]
InputsOption = Annotated[
    list[str],
    typer.Option(
        "--input",
        "-i",
        metavar="PATH",
        help="The run's inputs, in the run's order (repeat for several); the report holds offsets, not text.",
        show_default=False,
    ),
]
PageOption = Annotated[str, typer.Option("--output", "-o", metavar="FILE", help="The HTML file to write.")]
LimitOption = Annotated[
    int,
    typer.Option(
        "--limit",
        min=10,
        metavar="N",
        help="Show at most N articles in full: beyond it, the most changed and a seeded sample.",
    ),
]


def _report_link(report: str | None, page: str) -> str | None:
    """The report's path as the page (in its own directory) should link it."""
    if report is None or report == dio.STDIN:
        return None
    where = os.path.dirname(os.path.abspath(page))
    return os.path.relpath(os.path.abspath(report), where).replace(os.sep, "/")


def run_meta(config: Config, report: str | None, page: str, note: str = "") -> dict[str, Any]:
    """What the corpus page says about the run: its settings, their fingerprint, the report."""
    shown = {k: v for k, v in config.as_dict().items() if k not in ("index", "files", "exclude")}
    return {
        "settings": shown,
        "fingerprint": config.fingerprint(),
        "settings_note": note,
        "report": _report_link(report, page),
    }


def new_review(
    config: Config,
    report: str | None,
    page: str,
    output: str | None,
    engine: str = "local",
    workers: int | None = 1,
) -> Review | ReviewApart:
    """The review ``dedup clean --review PAGE`` fills as results come: gathered by a process of
    its own where the local engine runs ``workers`` processes (``None``: one per core), since
    its main process, which resolves the corpus in order, is then the run's critical path."""
    from dedup.review import Review
    from dedup.review.apart import ReviewApart

    if page == dio.STDIN:
        raise UsageError("--review needs a file name (the page is not written to stdout)")
    if page in (report, output):
        what = "report" if page == report else "cleaned articles"
        raise UsageError(f"the review and the {what} cannot both go to {page}")
    meta = run_meta(config, report, page, "The settings below made this run.")
    apart = engine == "local" and run_workers(workers) > 1
    made = ReviewApart if apart else Review
    return made(title=f"dedup review: {os.path.basename(page)}", meta=meta)


def review(
    report: ReportArgument,
    inputs: InputsOption,
    output: PageOption,
    limit: LimitOption = 1000,
    text_field: TextFieldOption = "text",
    id_field: IdFieldOption = "id",
    input_format: InputFormatOption = "auto",
    config_file: ConfigOption = None,
    quiet: QuietOption = False,
) -> int:
    """Write an HTML review of a run from its report and its inputs.

    The page opens from disk with no network: the corpus's totals and charts,
    every article with its removed spans marked, each linked to the copy that
    survives and to its report line.
    """
    from dedup.review import Review, saved

    if not inputs:
        raise UsageError("give the run's inputs with --input PATH (the report holds offsets, not text)")
    config, _ = settings(config_file, inputs, Overrides())
    found = sources(inputs, input_format)
    records = dio.read_records(found, text_field, id_field, input_format)
    lines = saved.read_report(report)
    page = Review(title=f"dedup review: {os.path.basename(report)}", limit=limit)
    try:
        for line, text in saved.paired(report, lines, (r.document for r in records)):
            page.add(line, text)
        page.meta = run_meta(config, report, output, _settings_note(config, page.stats.made_by))
        page.write(output)
    finally:
        page.close()
    if not quiet:
        tally = f"{render.count(page.stats.articles, 'article', grouped=True)}"
        render.console(stderr=True).print(f"wrote {output}: {tally}", soft_wrap=True)
    return 0


def _settings_note(config: Config, made_by: Counter[str]) -> str:
    current = stamp(config.fingerprint())
    if set(made_by) <= {current}:
        return "The settings below made this report (their stamp is the report's made_by)."
    return (
        "The settings below are those found now, next to the inputs; the report was made with other "
        f"settings or versions (made_by differs from {current})."
    )
