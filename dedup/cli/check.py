"""``dedup check`` and ``dedup index build|update|stats|verify``: the pre-commit side of dedup.

Like the rest of the command line, each command parses its options, calls one
library function (:mod:`dedup.precommit.check`), renders the result
(:mod:`.render_check`) and returns an exit code (:mod:`.exits`).  The
library is imported when a command runs: it loads the pipeline, which
``dedup --help`` must not.
"""

from __future__ import annotations

from typing import Annotated

import typer

from dedup.config import Segmenter

from .exits import EXIT_CLEAN, outcome
from .help import command_info
from .options import (
    CheckQuietOption,
    ConfigOption,
    FormatOption,
    IndexOption,
    IndexWorkersOption,
    SegmenterOption,
    StatsFormatOption,
)
from .render_check import print_check, print_stats, print_sync, print_verification, say
from .settings import repository_settings

#: the most worker processes ``check`` and ``index`` start when --workers is not given
MAX_DEFAULT_WORKERS = 4


def _workers(workers: int | None) -> int:
    if workers is not None:
        return workers
    from dedup.run import default_workers

    return min(MAX_DEFAULT_WORKERS, default_workers())


def check(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PATH",
            help="Corpus files or directories to check (default: every file of the corpus).",
            show_default=False,
        ),
    ] = None,
    fix: Annotated[
        bool, typer.Option("--fix", help="Rewrite the files without their repeated paragraphs (atomically).")
    ] = False,
    output_format: FormatOption = "text",
    index: IndexOption = None,
    config_file: ConfigOption = None,
    segmenter: SegmenterOption = None,
    workers: IndexWorkersOption = None,
    quiet: CheckQuietOption = False,
) -> int:
    """Report paragraphs that repeat the rest of the corpus, like a linter.

    The files are compared with every file of the corpus (the repository's
    tracked files that match the `files` setting) through a persistent index,
    built on first use and brought up to date on every run.  Exit code 1 when
    something is found (or fixed).
    """
    from dedup.precommit.check import check as run_check
    from dedup.precommit.repository import find_repository

    config, _ = repository_settings(config_file, index, segmenter)
    repo = find_repository()
    report = run_check(
        paths or None,
        repo,
        config,
        fix=fix,
        workers=_workers(workers),
        progress=None if quiet else say,
    )
    print_check(report, repo.root, output_format, quiet)
    return outcome(report.duplicates_found)


index_app = typer.Typer(
    name="index",
    help="Build and inspect the persistent index that `dedup check` compares files with.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@index_app.command("build", **command_info("build"))
def index_build(
    index: IndexOption = None,
    config_file: ConfigOption = None,
    segmenter: SegmenterOption = None,
    workers: IndexWorkersOption = None,
    quiet: CheckQuietOption = False,
) -> int:
    """Build the index from scratch from the repository's corpus files."""
    return _sync(config_file, index, segmenter, workers, quiet, rebuild=True, rehash=False)


@index_app.command("update", **command_info("update"))
def index_update(
    index: IndexOption = None,
    config_file: ConfigOption = None,
    segmenter: SegmenterOption = None,
    workers: IndexWorkersOption = None,
    rehash: Annotated[
        bool, typer.Option("--rehash", help="Read every file instead of trusting unchanged sizes and times.")
    ] = False,
    quiet: CheckQuietOption = False,
) -> int:
    """Index new and changed files and forget deleted ones (rebuilding when the
    settings or library versions changed)."""
    return _sync(config_file, index, segmenter, workers, quiet, rebuild=False, rehash=rehash)


def _sync(
    config_file: str | None,
    index: str | None,
    segmenter: Segmenter | None,
    workers: int | None,
    quiet: bool,
    *,
    rebuild: bool,
    rehash: bool,
) -> int:
    """Bring the index up to date with the repository: from scratch (``rebuild``),
    or reading every file again (``rehash``), or only what changed."""
    from dedup.precommit.check import build
    from dedup.precommit.repository import find_repository

    config, _ = repository_settings(config_file, index, segmenter)
    report = build(
        find_repository(),
        config,
        rebuild=rebuild,
        rehash=rehash,
        workers=_workers(workers),
        progress=None if quiet else say,
    )
    if not quiet:
        print_sync(report)
    return EXIT_CLEAN


@index_app.command("stats", **command_info("stats"))
def index_stats(
    index: IndexOption = None,
    config_file: ConfigOption = None,
    output_format: StatsFormatOption = "text",
) -> int:
    """Print what the index holds: files, paragraphs, LSH bands, anchor postings, size, fingerprint."""
    from dedup.precommit.check import stats
    from dedup.precommit.repository import find_repository

    config, _ = repository_settings(config_file, index, None)
    print_stats(stats(find_repository(), config), output_format)
    return EXIT_CLEAN


@index_app.command("verify", **command_info("verify"))
def index_verify(
    index: IndexOption = None,
    config_file: ConfigOption = None,
    quiet: CheckQuietOption = False,
) -> int:
    """Check the index without changing it: storage integrity (SQLite integrity_check),
    fingerprint, and that every entry matches its file.  Exit code 1 on problems."""
    from dedup.precommit.check import verify
    from dedup.precommit.repository import find_repository

    config, _ = repository_settings(config_file, index, None)
    result = verify(find_repository(), config)
    print_verification(result, quiet)
    return outcome(not result.ok)
