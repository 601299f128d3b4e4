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


def _as_documents(documents: Iterable[Document | str]) -> Iterator[Document]:
    for number, doc in enumerate(documents):
        yield doc if isinstance(doc, Document) else Document(id=str(number), text=doc)


def clean(
    documents: Iterable[Document | str], config: Config | None = None, workers: int = 1, offsets: bool = True
) -> Iterator[Result]:
    """Clean documents in order, streaming one Result per document.

    Each document is compared with itself and with the documents before it;
    plain strings get their position as id.  ``workers`` processes share the
    per-document work (segmentation, signatures); the results are the same
    for any number of workers.  With ``offsets=False`` a removal's ``matches``
    name the repeated paragraphs but span them whole (the region within each is
    not computed: a run that writes no report saves the time); the cleaned text
    is the same.
    """
    from dedup.run import run

    return run(_as_documents(documents), config, workers, offsets)


def clean_text(text: str, config: Config | None = None) -> Result:
    """Clean one article on its own: ``result.cleaned`` is the text to keep."""
    from dedup.run import run

    return next(run([Document(id="0", text=text)], config))


def find_duplicates(
    documents: Iterable[Document | str], config: Config | None = None, workers: int = 1
) -> Report:
    """Every finding of a run, with the settings fingerprint that produced it."""
    config = config or Config()
    return Report(results=tuple(clean(documents, config, workers)), fingerprint=config.fingerprint())
