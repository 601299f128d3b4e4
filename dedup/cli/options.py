"""The options the commands share, each defined once, and the records they fill.

typer reads a command's options from its signature, so every command still
names each option it takes; the definitions (flag, metavar, help text) live
here, as ``Annotated`` aliases.  A command then gathers what it parsed into
:class:`RunOptions` (``scan`` and ``clean``) or :class:`Overrides` (``config``)
once, and passes that on.

``check`` and ``index`` take fewer workers and print findings even when quiet:
their ``--workers`` and ``--quiet`` say so in their own words
(:data:`IndexWorkersOption`, :data:`CheckQuietOption`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

import typer

from dedup.config import ArticlePolicy, KeepPolicy, ParagraphLayout, Scope, Segmenter
from dedup.files import InputFormat

Paths = Annotated[
    list[str],
    typer.Argument(
        metavar="PATH",
        help=(
            "Text files (one article each), directories, JSON Lines (.jsonl, .ndjson, .json), "
            "Parquet files, HTML pages (.html, .htm), or - for stdin; any of them may be "
            "compressed (.gz, .zst, .bz2, .xz)."
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
ParagraphsOption = Annotated[
    ParagraphLayout | None,
    typer.Option(
        "--paragraphs",
        help=(
            "How lines make paragraphs: auto (read from each text), blank-lines (blocks between "
            "blank lines), lines (one per line), wrapped (hard-wrapped, indented paragraph starts)."
        ),
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
        help=(
            "How to read named files and stdin (auto: by file name, else by content: JSON Lines, "
            "a JSON array, Parquet, HTML or text); in a directory, read only files of this format."
        ),
    ),
]
GlobOption = Annotated[
    list[str] | None,
    typer.Option(
        "--glob",
        metavar="PATTERN",
        help=(
            "In directories, read the files whose path (under the directory) or name matches "
            "PATTERN (shell style, case-sensitive; repeatable), instead of every file of a known format."
        ),
        show_default=False,
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
ExitCodeOption = Annotated[
    bool,
    typer.Option(
        "--exit-code",
        "--check",
        help="Exit 1 when anything changed (0 otherwise), for scripts that test for changes.",
    ),
]
MinBodyOption = Annotated[
    int,
    typer.Option(
        "--min-body-chars",
        min=0,
        metavar="N",
        help=(
            "Leave out every article left with fewer than N characters of body (text after its "
            "title line, spaces aside), such as a near-copy stripped to its title (reported as a stub)."
        ),
    ),
]
EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        metavar="CODEC",
        help="Encoding of text files and text on stdin (e.g. gb18030, big5, utf-16); "
        "default: detected (UTF-8, GB18030, Big5, UTF-16 with BOM), and kept when writing back.",
    ),
]
OnError = Literal["skip", "stop"]
OnErrorOption = Annotated[
    OnError,
    typer.Option(
        "--on-error",
        help="An input that cannot be read or decoded: report it and go on (skip; exit 3 at the end) "
        "or stop the run (stop; exit 123).",
    ),
]
Engine = Literal["local", "spark"]
EngineOption = Annotated[
    Engine,
    typer.Option(
        "--engine",
        help="local, or spark: the same cleaning on Apache Spark (needs dedup[spark] and Java 17).",
    ),
]
MasterOption = Annotated[
    str | None,
    typer.Option("--master", metavar="URL", help="The Spark master with --engine spark (default local[2])."),
]
MemoryBudgetOption = Annotated[
    str | None,
    typer.Option(
        "--memory-budget",
        metavar="SIZE",
        help="Memory the kept paragraphs may take before older ones spill to a temporary file "
        "(2GB, 512MB, none; default 2GB). The output is the same for any budget.",
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
WidthOption = Annotated[
    int,
    typer.Option(
        "--width",
        min=0,
        metavar="N",
        help="With --summary: excerpts of at most N characters (0: the whole text).",
    ),
]
ReviewOption = Annotated[
    str | None,
    typer.Option(
        "--review",
        metavar="FILE",
        help="Also write a self-contained HTML review of what was removed, joined and flagged.",
    ),
]

# ---------------------------------------------------------------- check and index

Format = Literal["text", "json"]

IndexOption = Annotated[
    str | None,
    typer.Option(
        "--index",
        metavar="PATH|URL",
        help="Index location: a SQLite file (relative to the repository root) or redis://host:port/db.",
    ),
]
IndexWorkersOption = Annotated[
    int | None,
    typer.Option("--workers", min=1, metavar="N", help="Worker processes for indexing many files."),
]
FormatOption = Annotated[
    Format, typer.Option("--format", help="Findings as linter lines (text) or one JSON document (json).")
]
StatsFormatOption = Annotated[
    Format,
    typer.Option("--format", help="What the index holds as lines of text (text) or one JSON object (json)."),
]
CheckQuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print nothing but findings and errors.")
]


@dataclass(frozen=True, slots=True)
class Overrides:
    """The settings given on the command line; each one given replaces the settings file's."""

    keep: KeepPolicy | None = None
    duplicate_articles: ArticlePolicy | None = None
    scope: Scope | None = None
    join: bool | None = None
    segmenter: Segmenter | None = None
    paragraphs: ParagraphLayout | None = None
    memory_budget: str | None = None


@dataclass(frozen=True, slots=True)
class RunOptions:
    """What ``scan`` and ``clean`` share: the inputs, how to read them, the
    settings, the workers, and how much to say."""

    paths: tuple[str, ...]
    config_file: str | None
    overrides: Overrides
    text_field: str
    id_field: str
    input_format: InputFormat
    workers: int | None
    quiet: bool
    summary: bool
    #: --summary excerpts: at most this many characters (0: whole)
    width: int = 24
    globs: tuple[str, ...] = ()
    min_body_chars: int = 0
    encoding: str | None = None
    on_error: OnError = "skip"
