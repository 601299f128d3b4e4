"""What ``scan`` and ``clean`` print: totals, the table of findings, the JSON
document of ``scan --json`` and the article-by-article explanations of ``--summary``.

rich is imported only when something is drawn, so that ``dedup --help`` stays fast.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from dedup import files as dio
from dedup.config import Config
from dedup.records import Flag, Join, Removal, Result
from dedup.review.stats import covered

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

#: characters of removed text ``--summary`` shows unless ``--width`` says otherwise
EXCERPT_WIDTH = 24


def count(n: int, noun: str, *, grouped: bool = False) -> str:
    """``1 file``, ``2 files``; with ``grouped``, thousands separated (``1,234 files``)."""
    number = f"{n:,}" if grouped else str(n)
    return f"{number} {noun}{'' if n == 1 else 's'}"


def has_findings(result: Result) -> bool:
    """Anything removed, joined or flagged in the article, or the article is a near-copy."""
    return bool(result.removed or result.joins or result.flags or result.near_copy_of)


@dataclass
class Tally:
    """Totals of a run."""

    articles: int = 0
    changed: int = 0
    with_findings: int = 0
    removed: Counter[str] = field(default_factory=Counter)
    joins: int = 0
    flags: int = 0
    near_copies: int = 0
    chars_in: int = 0
    chars_removed: int = 0
    #: articles cleaned down to their title (``Result.stub``)
    stubs: int = 0
    #: articles left out for too little body (``clean --min-body-chars``)
    short: int = 0
    #: everything the summary line says is counted; else (a quiet ``clean``: its exit code reads
    #: ``changed`` alone) only the articles and those changed, 2 % of a big run's critical path saved
    summary: bool = True

    def add(self, result: Result) -> None:
        self.articles += 1
        self.changed += result.changed
        if not self.summary:
            return
        self.chars_in += len(result.text)
        self.with_findings += has_findings(result)
        self.joins += len(result.joins)
        self.flags += len(result.flags)
        self.near_copies += result.near_copy_of is not None
        if result.removed or result.near_copy_of is not None:
            # (an article with nothing removed, most of a corpus, has nothing more to count)
            self.chars_removed += removed_characters(result)
            self.removed.update([r.kind for r in result.removed])
            self.stubs += result.stub

    @property
    def found(self) -> bool:
        """Anything would be removed or joined."""
        return bool(self.removed) or bool(self.joins)

    def describe(self) -> str:
        parts = [count(self.articles, "article")]
        if self.found or self.flags or self.near_copies:
            findings = [f"{count(sum(self.removed.values()), 'removal')}{_kinds(self.removed)}"]
            findings.append(count(self.joins, "join"))
            if self.flags:
                findings.append(f"{self.flags} flagged")
            if self.near_copies:
                findings.append(count(self.near_copies, "near-copy article"))
            if self.stubs:
                findings.append(f"{count(self.stubs, 'stub')} left with little more than a title")
            parts.append(", ".join(findings) + "; " + self.characters())
        else:
            parts.append("no duplicates found")
        return ": ".join(parts)

    def characters(self) -> str:
        """``1,234 of 56,789 characters removed (2.2 %)``."""
        share = 100 * self.chars_removed / self.chars_in if self.chars_in else 0.0
        total = count(self.chars_in, "character", grouped=True)
        return f"{self.chars_removed:,} of {total} removed ({share:.1f} %)"


def removed_characters(result: Result) -> int:
    """Characters inside the article's removed spans, each once (all of it when dropped);
    the review's corpus page counts the same (``dedup.review.stats``)."""
    near = result.near_copy_of
    if near is not None and near.action == "drop":
        return len(result.text)
    return covered((r.start, r.end) for r in result.removed)


def _kinds(removed: Counter[str]) -> str:
    if not removed:
        return ""
    return " (" + ", ".join(f"{kind} {n}" for kind, n in sorted(removed.items())) + ")"


def cleaned_summary(tally: Tally, written: list[str], in_place: bool) -> str:
    """The line ``clean`` ends with: the totals, and the files it wrote."""
    done = tally.describe()
    if in_place:
        done += f"; rewrote {count(len(written), 'file')}"
    elif written:
        done += f"; wrote {count(len(written), 'file')}"
    return done


#: the width of stdout when it is not a terminal: wide enough that no table row wraps
PIPE_WIDTH = 10_000


def say(line: str) -> None:
    """``line`` on stderr as it is: no rich (a one-article run would import it for this alone)."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def console(stderr: bool) -> Console:
    """A console on stderr, or on stdout; a pipe or file gets rows as wide as they are."""
    from rich.console import Console

    out = Console(stderr=stderr, highlight=False, soft_wrap=stderr)
    if not stderr and not out.is_terminal:
        out = Console(stderr=False, highlight=False, width=PIPE_WIDTH)
    return out


# --------------------------------------------------------------------------- scan


class JsonDocument:
    """``scan --json``: one JSON object on stdout, ``{"fingerprint": ..., "results": [...]}``,
    written result by result as they come."""

    def __init__(self, config: Config) -> None:
        dio.write_stdout(b'{"fingerprint": ' + dio.json_bytes(config.fingerprint()) + b', "results": [')
        self._first = True

    def add(self, result: Result) -> None:
        dio.write_stdout((b"" if self._first else b", ") + dio.json_bytes(dio.result_to_json(result)))
        self._first = False

    def close(self) -> None:
        dio.write_stdout(b"]}\n", flush=True)


def without_text(result: Result) -> Result:
    """A result to keep for the table: the texts are not needed and may be large."""
    return replace(result, text="", cleaned="")


def scan_table(rows: list[Result], tally: Tally, out: Console) -> None:
    """The articles with findings, one row each, then the totals."""
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
        out.print(table)
    out.print(Text(tally.describe()), soft_wrap=True)


# --------------------------------------------------------------------------- --summary


def explain(result: Result, out: Console, width: int = EXCERPT_WIDTH) -> None:
    """What was removed, joined and flagged in one article, and why (for --summary).

    Paragraphs are numbered from 0, as in the report; line numbers count from 1.
    Excerpts of removed text are cut at ``width`` characters (0: given whole).
    """
    from rich.text import Text

    text = result.text
    head = Text()
    head.append(result.id, style="bold")
    head.append(f": {count(result.paragraphs, 'paragraph')}, {count(len(result.removed), 'removal')}, ")
    head.append(f"{count(len(result.joins), 'join')}, {len(result.flags)} flagged")
    out.print(head)
    near = result.near_copy_of
    if near is not None:
        done = {"drop": "dropped whole", "strip": "its repeats removed", "keep": "kept whole"}[near.action]
        out.print(f"  near-copy of {near.id} (similarity {near.similarity:.2f}): {done}")
        if near.action == "drop":
            return
    for removal in result.removed:
        out.print(_removal_line(result, removal, width))
    for join in result.joins:
        out.print(_join_line(text, join))
    for flag in result.flags:
        out.print(_flag_line(text, flag))


def _excerpt(text: str, width: int = EXCERPT_WIDTH) -> str:
    """The text on one line, cut at ``width`` characters (0: whole)."""
    flat = " ".join(text.split())
    return flat if width == 0 or len(flat) <= width else flat[: max(1, width - 1)] + "…"


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _removal_line(result: Result, removal: Removal, width: int) -> Text:
    """``removed ¶3  line 7  exact  1.00  repeats other ¶2  “excerpt”``."""
    from rich.text import Text

    text = result.text
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
    line.append(f"  “{_excerpt(text[removal.start : removal.end], width)}”", style="dim")
    return line


def _join_line(text: str, join: Join) -> Text:
    """``joined ¶3+¶4  line 7  join  0.90  evidence  “…before|after…”``."""
    from rich.text import Text

    line = Text("  ")
    line.append(f"joined ¶{join.head}+¶{join.tail}".ljust(12), style="green")
    line.append(f" line {_line_of(text, join.start)}".ljust(11))
    line.append(f"{'join':<11} {join.score:.2f}", style="bold")
    before = " ".join(text[max(0, join.start - 12) : join.start].split())
    after = " ".join(text[join.end : join.end + 12].split())
    line.append(f"  {'; '.join(join.evidence)}")
    line.append(f"  “…{before}|{after}…”", style="dim")
    return line


def _flag_line(text: str, flag: Flag) -> Text:
    """``flagged ¶3  line 7  kind  kept: note``."""
    from rich.text import Text

    line = Text("  ")
    line.append(f"flagged ¶{flag.paragraph}".ljust(12), style="yellow")
    line.append(f" line {_line_of(text, flag.start)}".ljust(11))
    line.append(f"{flag.kind:<11} kept: {flag.note}")
    return line
