"""Scraped HTML pages: the article's paragraphs, extracted with trafilatura, as one record.

A page is one article.  trafilatura finds the main text (menus, sidebars, footers
and comments left out) and gives it as blocks; each heading, paragraph, list item,
quotation and table row becomes one paragraph of the article, in page order,
separated by blank lines, so that the cleaner sees the page's own paragraph
boundaries and keeps headings as the short lines they are.  The metadata found
(URL, title, author, date, site name) go with the record: JSONL and Parquet
outputs carry them beside the cleaned text.  trafilatura is the ``html`` extra
(``pip install 'dedup[html]'``), imported only when a page is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from dedup.errors import DedupError, InputError
from dedup.files.compression import DECOMPRESSION_ERRORS, read_all
from dedup.files.reasons import reason
from dedup.files.record import Record
from dedup.files.sources import Source, source_size
from dedup.records import Document

#: the metadata kept with a page's record, as trafilatura names them (its
#: ``filedate``, the day of extraction, is left out: outputs must not change by the day)
METADATA = ("url", "title", "author", "date", "sitename")

#: trafilatura's block elements that make one paragraph each
_BLOCKS = {"head", "p", "item", "quote", "row", "code"}
_CONTAINERS = {"list", "table", "div", "body", "main", "cell"}

_NEWLINES = re.compile(r"[ \t\r\f\v]*\n\s*")


def need_trafilatura() -> Any:
    """The trafilatura module, or a DedupError saying how to install it."""
    try:
        import trafilatura
    except ImportError as err:
        why = "" if isinstance(err, ModuleNotFoundError) and err.name == "trafilatura" else f" ({err})"
        raise DedupError(f"reading HTML pages needs trafilatura{why}: pip install 'dedup[html]'") from None
    return trafilatura


def extract_article(page: bytes | str, url: str | None = None) -> tuple[str, dict[str, str]]:
    """The article text of an HTML page (paragraphs between blank lines, headings
    as their own lines) and the metadata found; ``("", {})`` when no article is found."""
    trafilatura = need_trafilatura()
    found = trafilatura.bare_extraction(
        page,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_formatting=True,
        include_tables=True,
        output_format="python",
    )
    if found is None or found.body is None:
        return "", {}
    paragraphs = [p for p in _paragraphs(found.body) if p]
    metadata = {name: str(getattr(found, name)) for name in METADATA if getattr(found, name, None)}
    return ("\n\n".join(paragraphs) + "\n" if paragraphs else ""), metadata


def _paragraphs(element: Any) -> Iterator[str]:
    """The text of each block of trafilatura's tree, in order."""
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "row":  # a table row: its cells on one line
            yield " ".join(cell for cell in map(_flatten, child) if cell)
        elif tag in _BLOCKS and not any(grand.tag in _BLOCKS for grand in child.iter() if grand is not child):
            yield _flatten(child)
        elif tag in _CONTAINERS or tag in _BLOCKS:
            yield from _paragraphs(child)
        else:
            yield _flatten(child)


def _flatten(element: Any) -> str:
    """An element's text on one line: source line breaks inside a block are the
    HTML's layout, not the article's (joined without a space between CJK
    characters, with one elsewhere)."""
    text = "".join(element.itertext()).strip()
    return _NEWLINES.sub(_joint, text)


def _joint(match: re.Match[str]) -> str:
    text = match.string
    before = text[match.start() - 1] if match.start() > 0 else ""
    after = text[match.end()] if match.end() < len(text) else ""
    return "" if before > "\u2e7f" and after > "\u2e7f" else " "


def html_record(data: bytes, source: Source, position: int, text_field: str, id_field: str) -> Record:
    """The article of an HTML page whose bytes are ``data``: its id is its path;
    its fields are the id, the extracted text and the metadata found."""
    text, metadata = extract_article(data)
    fields: dict[str, Any] = {id_field: source.path, text_field: text, **metadata}
    document = Document(source.path, text, source.path)
    return Record(document, source, "html", fields=fields, position=position)


def read_html(source: Source, text_field: str, id_field: str) -> Record:
    """The article of an HTML file (decompressed when it is gzip, Zstandard, bzip2 or xz)."""
    need_trafilatura()
    try:
        data = read_all(source.path)
    except DECOMPRESSION_ERRORS as err:
        raise InputError(f"cannot read: {reason(err)}", source.path) from None
    return html_record(data, source, source_size(source) or len(data), text_field, id_field)
