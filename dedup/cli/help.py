"""What ``--help`` shows beyond the options: each command's summary, worked examples, and
argument names without Python types.

Every command is registered with :func:`command_info`: a summary that the
command list shows whole (click cuts a docstring's first sentence at about 45
characters) and two or three examples that end its help, kept verbatim (click's
``\\b`` marker stops it re-wrapping them).  :class:`Command` is the command class
of every command: typer prints an argument's Python type beside its name
(``PATH <list[str]>``), which says nothing to a user; the class leaves it out.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperGroup

#: one line per command in ``dedup --help`` and ``dedup index --help``
SUMMARIES = {
    "scan": "Report what clean would remove or join.",
    "clean": "Write cleaned copies of the articles.",
    "config": "Print the effective settings as TOML.",
    "check": "Find paragraphs that repeat the corpus.",
    "review": "Write an HTML review of a run from its report.",
    "index": "Build and inspect the index of check.",
    "build": "Build the index from scratch.",
    "update": "Bring the index up to date.",
    "stats": "Print what the index holds.",
    "verify": "Check the index without changing it.",
}

#: the examples each command's help ends with: (command line, what it does)
EXAMPLES: dict[str, tuple[tuple[str, str], ...]] = {
    "dedup": (
        ("dedup clean article.txt -o -", "cleaned text to stdout"),
        ("dedup scan corpus/ --summary", "every finding, with its reason"),
        ("dedup clean --help", "the options of a command"),
    ),
    "scan": (
        ("dedup scan corpus/", "a table of the articles with repeats"),
        ("dedup scan in.jsonl.zst --jsonl > report.jsonl", "a JSON report line per article"),
        ("dedup scan pages/ --glob '*.shtml' --input-format html", "scraped pages, chosen by name"),
    ),
    "clean": (
        ("dedup clean corpus/ -o cleaned/ --report r.jsonl", "mirror a directory, with a report"),
        ("dedup clean data.json -o clean.jsonl.zst --min-body-chars 50", "JSON Lines in, no stubs out"),
        ("dedup clean pages/ -o articles.jsonl", "HTML pages to their articles, with URL and title"),
    ),
    "config": (
        ("dedup config", "the settings that apply here"),
        ("dedup config corpus/ --keep first", "with an option over the settings file"),
    ),
    "check": (
        ("dedup check", "every corpus file of the repository"),
        ("dedup check new.txt --fix", "remove what new.txt repeats, in place"),
        ("dedup check --format json", "findings as one JSON document"),
    ),
    "review": (
        ("dedup review r.jsonl --input corpus/ -o review.html", "the review of a run already made"),
        ("dedup clean corpus/ -o cleaned/ --review review.html", "the same while cleaning"),
    ),
    "index": (
        ("dedup index build", "index the repository's corpus from scratch"),
        ("dedup index stats --format json", "what the index holds, as JSON"),
    ),
    "build": (
        ("dedup index build", "index the repository's corpus from scratch"),
        ("dedup index build --index redis://localhost:6379/0", "the index in Redis"),
    ),
    "update": (
        ("dedup index update", "index new and changed files"),
        ("dedup index update --rehash", "read every file again"),
    ),
    "stats": (
        ("dedup index stats", "files, paragraphs, bands, postings, size"),
        ("dedup index stats --format json", "the same as one JSON object"),
    ),
    "verify": (
        ("dedup index verify", "exit 1 when the index and the files disagree"),
        ("dedup index verify --quiet && echo ok", "in a script"),
    ),
}


def examples(name: str) -> str:
    """The ``Examples:`` block that ends a command's help."""
    lines = "\n".join(f"  # {what}\n  {line}" for line, what in EXAMPLES[name])
    return f"Examples:\n\n\b\n{lines}"


def command_info(name: str) -> dict[str, Any]:
    """What to register a command with: its class, summary and examples."""
    return {"cls": Command, "short_help": SUMMARIES[name], "epilog": examples(name)}


def group_info(name: str) -> dict[str, Any]:
    """What to register a group of commands (``index``) with."""
    return {"cls": Group, "short_help": SUMMARIES[name], "epilog": examples(name)}


class _Argument(TyperArgument):
    """An argument shown by its name alone (``PATH...``), without its Python type."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None

    def _rich_display_name(self) -> str:
        return self.display_name_raw + ("..." if self.nargs != 1 else "")


class Command(TyperCommand):
    """A command whose help names arguments without Python types."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if type(param) is TyperArgument:
                # same object and fields; only how its help line is written differs
                param.__class__ = _Argument


class Group(TyperGroup):
    """A group of commands (``index``); its help ends with examples like a command's."""
