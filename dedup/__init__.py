"""dedup: near-duplicate paragraph detection and cleaning for scraped (Chinese) articles.

    >>> import dedup
    >>> result = dedup.clean_text(text)
    >>> result.cleaned, result.removed, result.joins

The public API is the names in ``__all__``; everything else is private.  Importing
this package is cheap: jieba and datasketch load on first use.
"""

from __future__ import annotations

from collections.abc import Iterable as _Iterable
from collections.abc import Iterator as _Iterator
from typing import Any as _Any
from typing import overload as _overload

from dedup.typed_core import choose as _choose_typed_core

# the compiled modules or their sources, decided before any of them is imported (the records too)
_choose_typed_core()

from dedup.config import Config, load_config  # noqa: E402
from dedup.errors import ConfigError, DedupError, InputError  # noqa: E402
from dedup.records import (  # noqa: E402
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


def __dir__() -> list[str]:
    """Only the public API (``dir(dedup)``, tab completion)."""
    return sorted(__all__)


def _type_error(what: str, expected: str, value: object) -> TypeError:
    if isinstance(value, bytes | bytearray):
        hint = " (decode bytes first: dedup.files.decode_text detects the encoding)"
    elif isinstance(value, dict):
        hint = " (a list of dicts, a DataFrame or a Dataset is cleaned when passed whole, not row by row)"
    else:
        hint = ""
    return TypeError(f"{what} must be {expected}, not {type(value).__name__}{hint}")


def _as_documents(documents: _Iterable[Document | str]) -> _Iterator[Document]:
    for number, doc in enumerate(documents):
        if isinstance(doc, str):
            yield Document(id=str(number), text=doc)
        elif not isinstance(doc, Document):
            raise _type_error(f"documents[{number}]", "a Document or a str", doc)
        elif not isinstance(doc.text, str):
            raise _type_error(f"documents[{number}].text", "a str", doc.text)
        else:
            yield doc


@_overload
def clean(
    documents: list[dict[str, _Any]],
    config: Config | None = None,
    workers: int = 1,
    offsets: bool = True,
    *,
    text_field: str = "text",
    id_field: str = "id",
) -> list[dict[str, _Any]]: ...


@_overload
def clean(
    documents: _Iterable[Document | str],
    config: Config | None = None,
    workers: int = 1,
    offsets: bool = True,
    *,
    text_field: str = "text",
    id_field: str = "id",
) -> _Iterator[Result]: ...


@_overload
def clean(
    documents: _Any,
    config: Config | None = None,
    workers: int = 1,
    offsets: bool = True,
    *,
    text_field: str = "text",
    id_field: str = "id",
) -> _Any: ...


def clean(
    documents: _Any,
    config: Config | None = None,
    workers: int = 1,
    offsets: bool = True,
    *,
    text_field: str = "text",
    id_field: str = "id",
) -> _Any:
    """Clean documents in order: each is compared with itself and with the ones before it.

    Documents (or plain strings, whose id is their position) give an iterator
    of one :class:`Result` per document, streamed::

        >>> for result in dedup.clean([dedup.Document("a", text_a), dedup.Document("b", text_b)]):
        ...     print(result.id, result.changed, [r.kind for r in result.removed])

    A table gives the same kind of table back, row for row: a pandas DataFrame,
    a pyarrow Table, a ``datasets`` Dataset or IterableDataset, or a list of
    dicts, with ``text_field`` holding each article (cleaned in the copy) and
    ``id_field`` its id (the row's position without it), plus the report
    columns ``dedup_changed``, ``dedup_removed``, ``dedup_joins``,
    ``dedup_near_copy_of``, ``dedup_drop``, ``dedup_stub`` and
    ``dedup_body_chars``; no row is dropped::

        >>> df = dedup.clean(df, text_field="content")
        >>> df = df[~df.dedup_drop & ~df.dedup_stub]

    ``workers`` processes share the per-document work (segmentation,
    signatures); the results are the same for any number of workers.  With
    ``offsets=False`` a removal's ``matches`` name the repeated paragraphs but
    span them whole (the region within each is not computed: a run that writes
    no report saves the time); the cleaned text is the same.
    """
    from dedup.adapters.tables import clean_table, table_kind
    from dedup.run import run

    kind = table_kind(documents)
    if kind is not None:
        return clean_table(
            documents, kind, lambda docs: run(docs, config, workers, offsets), text_field, id_field
        )
    if isinstance(documents, str | bytes):
        raise TypeError("dedup.clean takes many documents; for one text use dedup.clean_text(text)")
    return run(_as_documents(documents), config, workers, offsets)


def clean_text(text: str, config: Config | None = None) -> Result:
    r"""Clean one article on its own and say what was done.

    The :class:`Result` holds ``cleaned`` (the text to keep), ``text`` (the
    input), ``changed``, ``removed`` (one :class:`Removal` per paragraph or
    marker left out: ``kind`` is exact, near, fragment, splice, boilerplate,
    marker or label; ``start``/``end`` are offsets into ``text``; ``matches``
    say which paragraph it repeats), ``joins`` (paragraphs the page layout
    broke apart, re-joined, with their ``evidence``), ``flags``, ``stub``
    (cleaned down to little more than its title) and ``body_chars``.

        >>> import dedup
        >>> text = "标题\n\n第一段说了一件事，说得很完整。\n\n第一段说了一件事，说得很完整。\n"
        >>> result = dedup.clean_text(text)
        >>> result.cleaned
        '标题\n\n第一段说了一件事，说得很完整。\n'
        >>> [(r.paragraph, r.kind, text[r.start : r.end]) for r in result.removed]
        [(2, 'exact', '第一段说了一件事，说得很完整。')]

    :class:`Config` holds every setting (the same as ``[tool.dedup]`` in
    ``pyproject.toml``); unknown or out-of-range values raise :class:`ConfigError`:

        >>> result = dedup.clean_text(text, dedup.Config(keep="first", join_broken=False))

    ``text`` must be a ``str``: anything else (None, bytes) is a TypeError naming it.
    """
    from dedup.run import run

    if not isinstance(text, str):
        raise _type_error("clean_text(text)", "a str", text)

    return next(run([Document(id="0", text=text)], config, single=True))


def find_duplicates(
    documents: _Iterable[Document | str], config: Config | None = None, workers: int = 1
) -> Report:
    """Every finding of a run, with the settings fingerprint that produced it."""
    config = config or Config()
    return Report(results=tuple(clean(documents, config, workers)), fingerprint=config.fingerprint())
