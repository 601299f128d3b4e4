"""What ``check`` and ``index`` print.

Findings go to stdout, one per line in the style of linters
(``file:line:col: kind: matches other_file:line (score)``) or as one JSON
document; progress and summaries go to stderr as ``dedup: <message>``.
Paths are shown relative to the current directory.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .render import count

if TYPE_CHECKING:
    from dedup.precommit.check import CheckReport, Finding, Verification
    from dedup.precommit.records import IndexStats
    from dedup.precommit.sync import SyncReport


def say(message: str) -> None:
    """A progress or summary line on stderr."""
    sys.stderr.write(f"dedup: {message}\n")
    sys.stderr.flush()


def shown(path: str, root: Path) -> str:
    """A repo-relative path as the user sees it: relative to the current directory."""
    absolute = root / path
    try:
        return os.path.relpath(absolute)
    except ValueError:
        return str(absolute)


# --------------------------------------------------------------------------- check


def finding_line(finding: Finding, root: Path) -> str:
    """``file:line:col: kind: matches other_file:line (score)``."""
    matches = ", ".join(f"{shown(m.path, root)}:{m.line}" for m in finding.matches)
    return (
        f"{shown(finding.path, root)}:{finding.line}:{finding.col}: "
        f"{finding.kind}: matches {matches} ({finding.score:.2f})"
    )


def print_check(report: CheckReport, root: Path, output_format: str, quiet: bool) -> None:
    """The findings on stdout (linter lines or JSON); with text, unless quiet,
    what ``--fix`` left and the totals on stderr."""
    if output_format == "json":
        print(json.dumps(check_json(report, root), ensure_ascii=False, indent=2))
        return
    for file in report.files:
        for finding in file.findings:
            print(finding_line(finding, root))
    if not quiet:
        for file in report.files:
            if file.unfixed:
                say(f"{shown(file.path, root)}: not fixed: {file.unfixed}")
        say(check_summary(report))


def check_summary(report: CheckReport) -> str:
    checked = count(len(report.files), "file", grouped=True)
    against = f"against {report.index.files:,} indexed"
    if not report.duplicates_found:
        return f"no duplicates: {checked} checked {against}"
    flagged = sum(1 for f in report.files if f.findings)
    text = (
        f"{count(report.findings, 'duplicate', grouped=True)} in {count(flagged, 'file', grouped=True)} "
        f"({checked} checked {against})"
    )
    if report.fixed:
        text += f"; fixed {count(report.fixed, 'file', grouped=True)}"
    return text


def check_json(report: CheckReport, root: Path) -> dict[str, Any]:
    """``check --format json``: the findings of each file, totals, the index and the settings."""
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


# --------------------------------------------------------------------------- index


def print_sync(report: SyncReport) -> None:
    """The corpus files that could not be read, then what the update did."""
    for _, reason in report.skipped:
        say(f"skipped {reason}")
    say(sync_summary(report))


def sync_summary(report: SyncReport) -> str:
    parts = [f"{report.files:,} files", f"{report.indexed:,} indexed"]
    if report.removed:
        parts.append(f"{report.removed:,} removed")
    parts.append(f"{report.unchanged:,} unchanged")
    if report.skipped:
        parts.append(f"{len(report.skipped):,} unreadable")
    return f"index {report.location}: {', '.join(parts)} in {report.seconds:.1f} s"


def print_stats(data: IndexStats, output_format: str) -> None:
    """What the index holds, as aligned lines or one JSON document."""
    if output_format == "json":
        print(json.dumps(dataclasses.asdict(data), ensure_ascii=False, indent=2))
        return
    print(f"location     {data.location} ({data.backend})")
    for key, number in (
        ("files", data.files),
        ("paragraphs", data.paragraphs),
        ("bands", data.bands),
        ("postings", data.postings),
        ("bytes", data.bytes),
    ):
        print(f"{key:<12} {number:,}")
    for key, value in data.fingerprint.items():
        print(f"fingerprint  {key} = {value}")


def print_verification(result: Verification, quiet: bool) -> None:
    """Each problem and stale entry on stdout; unless quiet, the verdict on stderr."""
    for problem in result.problems:
        print(f"{result.location}: {problem}")
    for entry in result.stale:
        print(f"{result.location}: stale: {entry}")
    if not quiet:
        say(f"index {result.location}: {'ok' if result.ok else 'problems found'}")
