"""A saved report read back (``dedup review REPORT --input ...``), each line paired
with the text of the article it describes.

A report line holds offsets, not text, so the review needs the run's input
too: the same articles in the same order.  Every line is checked as it is
read; a line that is not a report line, or that names another article than the
input has at that place, is an :class:`~dedup.errors.InputError` naming the
report's line.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from dedup.errors import InputError
from dedup.records import Document

#: the fields a review reads from every report line
_FIELDS = ("id", "paragraphs", "removed", "joins", "flags")


def _open(path: str) -> IO[bytes]:
    try:
        if path.endswith(".gz"):
            return gzip.open(path, "rb")  # type: ignore[return-value]
        return open(path, "rb")
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", path) from None


def read_report(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """The report lines of ``path`` with their line numbers (blank lines skipped)."""
    with _open(path) as stream:
        try:
            for number, raw in enumerate(stream, start=1):
                if raw.strip():
                    yield number, _parse(raw, path, number)
        except (OSError, EOFError) as err:
            raise InputError(f"cannot read: {err}", path) from None


def _parse(raw: bytes, path: str, number: int) -> dict[str, Any]:
    try:
        line = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise InputError(f"not valid UTF-8 (byte {err.start + 1})", path, number) from None
    except json.JSONDecodeError as err:
        raise InputError(f"invalid JSON: {err.msg} (column {err.colno})", path, number) from None
    if not isinstance(line, dict) or any(name not in line for name in _FIELDS):
        raise InputError(f"not a dedup report line (needs {', '.join(_FIELDS)})", path, number)
    return line


def paired(
    report: str, lines: Iterable[tuple[int, dict[str, Any]]], documents: Iterable[Document]
) -> Iterator[tuple[dict[str, Any], str]]:
    """Each report line with its article's text, checking that both name the same article."""
    articles = iter(documents)
    for number, line in lines:
        document = next(articles, None)
        if document is None:
            raise InputError(
                "the report has more articles than the input: give the run's inputs", report, number
            )
        if str(line["id"]) != document.id:
            raise InputError(
                f"the report's article {line['id']!r} is {document.id!r} in the input: "
                "give the run's inputs, in the run's order",
                report,
                number,
            )
        for removal in line["removed"]:
            if not 0 <= removal["start"] <= removal["end"] <= len(document.text):
                raise InputError(
                    f"a removal [{removal['start']}, {removal['end']}) lies outside article "
                    f"{document.id!r} ({len(document.text)} characters): not the run's input",
                    report,
                    number,
                )
        yield line, document.text
    if next(articles, None) is not None:
        raise InputError("the input has more articles than the report: give the run's inputs", report)
