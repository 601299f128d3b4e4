"""``dedup check`` and ``dedup index``: the pre-commit side of dedup.

Registered on the main app (``dedup/cli.py``) with::

    from dedup.cli.check import register
    register(app)

Like the rest of the command line, each command parses its options, calls one
library function (:mod:`dedup.precommit.check`), renders the result and returns an exit
code: 0 clean, 1 duplicates found or files fixed, 2 usage or configuration
error, 123 unreadable input.  Findings go to stdout, one per line in the style
of linters (``file:line:col: kind: matches other_file:line (score)``) or as
JSON; progress and summaries go to stderr.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from dedup.config import Config, Segmenter, load_config
from dedup.errors import ConfigError

EXIT_CLEAN = 0
EXIT_FOUND = 1

Format = Literal["text", "json"]

ConfigOption = Annotated[
    str | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="Settings file (dedup.toml, or pyproject.toml with [tool.dedup]) instead of the nearest one.",
    ),
]
IndexOption = Annotated[
    str | None,
    typer.Option(
        "--index",
        metavar="PATH|URL",
        help="Index location: a SQLite file (relative to the repository root) or redis://host:port/db.",
    ),
]
SegmenterOption = Annotated[
    Segmenter | None,
    typer.Option(
        "--segmenter", help="Word segmenter (rjieba: jieba's words, faster; auto: rjieba when installed)."
    ),
]
WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", min=1, metavar="N", help="Worker processes for indexing many files."),
]
FormatOption = Annotated[
    Format, typer.Option("--format", help="Findings as linter lines (text) or one JSON document (json).")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but findings and errors.")]


def _say(message: str) -> None:
    sys.stderr.write(f"dedup: {message}\n")
    sys.stderr.flush()


def _settings(
    config_file: str | None, index: str | None, segmenter: Segmenter | None
) -> tuple[Config, Path | None]:
    """Settings from the config file (the nearest one above the current directory,
    or ``--config``), with command-line options over them."""
    path = Path(config_file) if config_file else None
    if path is not None and not path.is_file():
        raise ConfigError(f"{config_file}: no such settings file")
    config, origin = load_config(path, start=Path.cwd())
    return config.replace(index=index, segmenter=segmenter), origin


def _workers(workers: int | None) -> int:
    if workers is not None:
        return workers
    from dedup.run import default_workers

    return min(4, default_workers())


def _shown(path: str, root: Path) -> str:
    """A repo-relative path as the user sees it: relative to the current directory."""
    absolute = root / path
    try:
        return os.path.relpath(absolute)
    except ValueError:
        return str(absolute)


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
    workers: WorkersOption = None,
    quiet: QuietOption = False,
) -> int:
    """Report paragraphs that repeat the rest of the corpus, like a linter.

    The files are compared with every file of the corpus (the repository's
    tracked files that match the `files` setting) through a persistent index,
    built on first use and brought up to date on every run.  Exit code 1 when
    something is found (or fixed).
    """
    from dedup.precommit.check import check as run_check
    from dedup.precommit.repository import find_repository

    config, _ = _settings(config_file, index, segmenter)
    repo = find_repository()
    report = run_check(
        paths or None,
        repo,
        config,
        fix=fix,
        workers=_workers(workers),
        progress=None if quiet else _say,
    )
    if output_format == "json":
        print(json.dumps(_report_json(report, repo.root), ensure_ascii=False, indent=2))
    else:
        for file in report.files:
            for finding in file.findings:
                matches = ", ".join(f"{_shown(m.path, repo.root)}:{m.line}" for m in finding.matches)
                print(
                    f"{_shown(finding.path, repo.root)}:{finding.line}:{finding.col}: "
                    f"{finding.kind}: matches {matches} ({finding.score:.2f})"
                )
        if not quiet:
            for file in report.files:
                if file.unfixed:
                    _say(f"{_shown(file.path, repo.root)}: not fixed: {file.unfixed}")
            _say(_summary(report))
    return EXIT_FOUND if report.duplicates_found else EXIT_CLEAN


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _summary(report: Any) -> str:
    checked = _count(len(report.files), "file")
    against = f"against {report.index.files:,} indexed"
    if not report.duplicates_found:
        return f"no duplicates: {checked} checked {against}"
    flagged = sum(1 for f in report.files if f.findings)
    text = (
        f"{_count(report.findings, 'duplicate')} in {_count(flagged, 'file')} ({checked} checked {against})"
    )
    if report.fixed:
        text += f"; fixed {_count(report.fixed, 'file')}"
    return text


def _report_json(report: Any, root: Path) -> dict[str, Any]:
    return {
        "files": [
            {
                "path": f.path,
                "fixed": f.fixed,
                "unfixed": f.unfixed,
                "findings": [dataclasses.asdict(x) for x in f.findings],
            }
            for f in report.files
        ],
        "summary": {
            "checked": len(report.files),
            "findings": report.findings,
            "files_with_findings": sum(1 for f in report.files if f.findings),
            "fixed": report.fixed,
            "ignored": list(report.ignored),
        },
        "index": dataclasses.asdict(report.index),
        "fingerprint": report.fingerprint,
        "root": str(root),
    }


index_app = typer.Typer(
    name="index",
    help="Build and inspect the persistent index that `dedup check` compares files with.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


def _sync_summary(report: Any, seconds: float | None = None) -> str:
    parts = [f"{report.files:,} files", f"{report.indexed:,} indexed"]
    if report.removed:
        parts.append(f"{report.removed:,} removed")
    parts.append(f"{report.unchanged:,} unchanged")
    if report.skipped:
        parts.append(f"{len(report.skipped):,} unreadable")
    return f"index {report.location}: {', '.join(parts)} in {report.seconds:.1f} s"


@index_app.command("build")
def index_build(
    index: IndexOption = None,
    config_file: ConfigOption = None,
    segmenter: SegmenterOption = None,
    workers: WorkersOption = None,
    quiet: QuietOption = False,
) -> int:
    """Build the index from scratch from the repository's corpus files."""
    return _sync(config_file, index, segmenter, workers, quiet, rebuild=True, rehash=False)


@index_app.command("update")
def index_update(
    index: IndexOption = None,
    config_file: ConfigOption = None,
    segmenter: SegmenterOption = None,
    workers: WorkersOption = None,
    rehash: Annotated[
        bool, typer.Option("--rehash", help="Read every file instead of trusting unchanged sizes and times.")
    ] = False,
    quiet: QuietOption = False,
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

    config, _ = _settings(config_file, index, segmenter)
    report = build(
        find_repository(),
        config,
        rebuild=rebuild,
        rehash=rehash,
        workers=_workers(workers),
        progress=None if quiet else _say,
    )
    if not quiet:
        _report_skipped(report)
        _say(_sync_summary(report))
    return EXIT_CLEAN


def _report_skipped(report: Any) -> None:
    for _, reason in report.skipped:
        _say(f"skipped {reason}")


@index_app.command("stats")
def index_stats(
    index: IndexOption = None,
    config_file: ConfigOption = None,
    output_format: FormatOption = "text",
) -> int:
    """Print what the index holds: files, paragraphs, LSH bands, anchor postings, size, fingerprint."""
    from dedup.precommit.check import stats
    from dedup.precommit.repository import find_repository

    config, _ = _settings(config_file, index, None)
    data = stats(find_repository(), config)
    if output_format == "json":
        print(json.dumps(dataclasses.asdict(data), ensure_ascii=False, indent=2))
        return EXIT_CLEAN
    print(f"location     {data.location} ({data.backend})")
    for key, count in (
        ("files", data.files),
        ("paragraphs", data.paragraphs),
        ("bands", data.bands),
        ("postings", data.postings),
        ("bytes", data.bytes),
    ):
        print(f"{key:<12} {count:,}")
    for key, value in data.fingerprint.items():
        print(f"fingerprint  {key} = {value}")
    return EXIT_CLEAN


@index_app.command("verify")
def index_verify(
    index: IndexOption = None,
    config_file: ConfigOption = None,
    quiet: QuietOption = False,
) -> int:
    """Check the index without changing it: storage integrity (SQLite integrity_check),
    fingerprint, and that every entry matches its file.  Exit code 1 on problems."""
    from dedup.precommit.check import verify
    from dedup.precommit.repository import find_repository

    config, _ = _settings(config_file, index, None)
    result = verify(find_repository(), config)
    for problem in result.problems:
        print(f"{result.location}: {problem}")
    for entry in result.stale:
        print(f"{result.location}: stale: {entry}")
    if not quiet:
        _say(f"index {result.location}: {'ok' if result.ok else 'problems found'}")
    return EXIT_CLEAN if result.ok else EXIT_FOUND


def register(app: typer.Typer) -> None:
    """Add ``check`` and ``index build|update|stats|verify`` to the main app."""
    app.command("check")(check)
    app.add_typer(index_app, name="index")
