"""dedup: near-duplicate paragraph detection and cleaning for scraped (Chinese) articles.

    >>> import dedup
    >>> result = dedup.clean_text(text)
    >>> result.cleaned, result.removed, result.joins

The public API is the names in ``__all__``; everything else is private.  Importing
this package is cheap: jieba and datasketch load on first use.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from dedup.config import Config, load_config
from dedup.errors import ConfigError, DedupError, InputError
from dedup.records import (
    Document,
    Flag,
    Join,
    Match,
    NearCopy,
    Removal,
    Report,
    Result,
)

__all__ = [
    "Config",
    "ConfigError",
    "DedupError",
    "Document",
    "Flag",
    "InputError",
    "Join",
    "Match",
    "NearCopy",
    "Removal",
    "Report",
    "Result",
    "clean",
    "clean_text",
    "find_duplicates",
    "load_config",
]


def _type_error(what: str, expected: str, value: object) -> TypeError:
    hint = (
        " (decode bytes first: dedup.files.decode_text detects the encoding)"
        if isinstance(value, bytes | bytearray)
        else ""
    )
    return TypeError(f"{what} must be {expected}, not {type(value).__name__}{hint}")


def _as_documents(documents: Iterable[Document | str]) -> Iterator[Document]:
    for number, doc in enumerate(documents):
        if isinstance(doc, str):
            yield Document(id=str(number), text=doc)
        elif not isinstance(doc, Document):
            raise _type_error(f"documents[{number}]", "a Document or a str", doc)
        elif not isinstance(doc.text, str):
            raise _type_error(f"documents[{number}].text", "a str", doc.text)
        else:
            yield doc


def clean(
    documents: Iterable[Document | str], config: Config | None = None, workers: int = 1
) -> Iterator[Result]:
    """Clean documents in order, streaming one Result per document.

    Each document is compared with itself and with the documents before it;
    plain strings get their position as id.  ``workers`` processes share the
    per-document work (segmentation, signatures); the results are the same
    for any number of workers.
    """
    from dedup.run import run

    return run(_as_documents(documents), config, workers)


def clean_text(text: str, config: Config | None = None) -> Result:
    """Clean one article on its own: ``result.cleaned`` is the text to keep.

    ``text`` must be a ``str``: anything else (None, bytes) is a TypeError naming it."""
    from dedup.run import run

    if not isinstance(text, str):
        raise _type_error("clean_text(text)", "a str", text)

    return next(run([Document(id="0", text=text)], config))


def find_duplicates(
    documents: Iterable[Document | str], config: Config | None = None, workers: int = 1
) -> Report:
    """Every finding of a run, with the settings fingerprint that produced it."""
    config = config or Config()
    return Report(results=tuple(clean(documents, config, workers)), fingerprint=config.fingerprint())
