"""The records that flow between the stages.

Every record is a frozen, slotted dataclass: stages hand each other data, never
behaviour.  Offsets are Python ``str`` indices into the *original* text of a
document, so a report can always be checked against the input it describes.

Each record writes its ``__init__`` out, storing every field with ``object.__setattr__`` as
``dataclass`` does for a frozen class: this module is compiled with the typed core
(``typed_core.MODULES``), where an ``__init__`` written in the class body becomes C that stores
the fields directly (a paragraph in about 0.1 µs), while the one ``dataclass`` generates would stay
interpreted (0.5 µs; a run makes records by the hundred thousand), and reading a field from the
compiled code is a load instead of an attribute lookup.  ``tests/test_records_init.py`` holds
every hand-written ``__init__`` to its class's fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar

if TYPE_CHECKING:
    import numpy as np

#: a numpy array, named by a string: numpy is not imported with the records (``dedup --help``
#: stays fast), and compiled, a record's annotations are read when the module loads
Array: TypeAlias = "np.ndarray"

_Class = TypeVar("_Class", bound=type)


def _interpreted(cls: _Class) -> _Class:
    """``cls`` left a Python class where this module is compiled (mypyc makes a class under a
    decorator it does not know an ordinary Python class).  ``Document`` is the record callers
    make: compiled, it would refuse a value of the wrong type at once, in mypyc's words, where
    ``dedup.clean`` names the argument and what it must be, as the pure path does."""
    return cls


#: each record class's ``__init__`` fields, in order (``PickledByInit.__reduce__``)
_INIT_FIELDS: dict[type, tuple[str, ...]] = {}


class PickledByInit:
    """A record pickled as a call of its class on its ``__init__`` fields.  A slotted dataclass's
    own pickling (``_dataclass_setstate``) asks ``dataclasses.fields`` again for every object (a
    third of what a Spark worker spent unpickling the paragraphs it was sent); compiled
    (``typed_core``), a frozen record pickled the default way could not be loaded at all (it
    refuses each attribute being set).  Pickles live within a run (the workers' pipes, Spark's
    local checkpoints): one made by another version of dedup is never read."""

    __slots__ = ()

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        cls = type(self)
        names = _INIT_FIELDS.get(cls)
        if names is None:
            names = _INIT_FIELDS[cls] = tuple(f.name for f in fields(cls) if f.init)  # type: ignore[arg-type]
        return (cls, tuple([getattr(self, name) for name in names]))


#: Why a span of text was removed.
#:
#: ``exact``        the same paragraph after normalisation
#: ``near``         an edited copy (re-punctuated, re-spaced, a few characters or a phrase changed)
#: ``fragment``     a piece of one other paragraph (its start or end; furniture: any part)
#: ``splice``       pieces of two or more other paragraphs glued together
#: ``boilerplate``  a short line (source, editor, share buttons) already seen in an earlier article
#: ``marker``       a newspaper continuation marker such as ``（上接第一版）``
#: ``label``        a box's or figure's bare label (核心阅读, 2.5%) gone with what it labelled
RemovalKind = Literal["exact", "near", "fragment", "splice", "boilerplate", "marker", "label"]

#: How the rest of a paragraph reads, decided from its shape (see ``text/shape.py``).
Shape = Literal["heading", "body"]


@_interpreted
@dataclass(frozen=True, slots=True)
class Document:
    """One article as read from the input."""

    id: str
    text: str
    path: str | None = None

    def __reduce__(self) -> tuple[type[Document], tuple[str, str, str | None]]:
        # a call on its fields: a slotted dataclass's own pickling asks ``dataclasses.fields``
        # again for every document (``PickledByInit``), and a run sends its workers all of them
        return (Document, (self.id, self.text, self.path))


@dataclass(frozen=True, slots=True)
class Paragraph(PickledByInit):
    """A paragraph of a document, with its place in the original text.

    ``start``/``end`` delimit the paragraph with surrounding whitespace stripped;
    ``content_start``/``content_end`` delimit what is left once continuation
    markers at its edges are cut off (equal to ``start``/``end`` when there are none).
    """

    doc: int
    index: int
    start: int
    end: int
    content_start: int
    content_end: int
    shape: Shape
    is_marker: bool = False

    def __init__(
        self,
        doc: int,
        index: int,
        start: int,
        end: int,
        content_start: int,
        content_end: int,
        shape: Shape,
        is_marker: bool = False,
    ) -> None:
        object.__setattr__(self, "doc", doc)
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "content_start", content_start)
        object.__setattr__(self, "content_end", content_end)
        object.__setattr__(self, "shape", shape)
        object.__setattr__(self, "is_marker", is_marker)

    @property
    def has_content(self) -> bool:
        return self.content_end > self.content_start


@dataclass(frozen=True, slots=True)
class Key(PickledByInit):
    """Matching key of a paragraph: the normalised ``text``, made from ``source``,
    which starts at ``offset`` in its document.

    A paragraph re-joined from pieces of its page has a ``source`` that is not one
    stretch of the document: from source index ``at`` of each ``(at, shift)`` of
    ``breaks`` on, its characters stand ``shift`` further on than ``offset`` says."""

    text: str
    source: str
    offset: int
    breaks: tuple[tuple[int, int], ...] = ()

    def __init__(self, text: str, source: str, offset: int, breaks: tuple[tuple[int, int], ...] = ()) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "offset", offset)
        object.__setattr__(self, "breaks", breaks)


@dataclass(frozen=True, slots=True, eq=False)
class Shingles(PickledByInit):
    """Word n-gram shingles of a key.

    ``hashes[i]`` (uint32) is the hash of shingle ``i``; ``spans[i]`` (int32 pair)
    is the half-open range of key characters it covers.  ``tokens`` is how many
    words the key has; ``distinct`` the hashes sorted, each once.
    """

    hashes: Array
    spans: Array
    tokens: int
    distinct: Array

    def __init__(self, hashes: np.ndarray, spans: np.ndarray, tokens: int, distinct: np.ndarray) -> None:
        object.__setattr__(self, "hashes", hashes)
        object.__setattr__(self, "spans", spans)
        object.__setattr__(self, "tokens", tokens)
        object.__setattr__(self, "distinct", distinct)


@dataclass(frozen=True, slots=True)
class Match(PickledByInit):
    """The region of another paragraph that a removed span repeats."""

    id: str
    paragraph: int
    start: int
    end: int

    def __init__(self, id: str, paragraph: int, start: int, end: int) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "paragraph", paragraph)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)


@dataclass(frozen=True, slots=True)
class Removal(PickledByInit):
    """A span of a document that the cleaned copy leaves out, and why."""

    paragraph: int
    start: int
    end: int
    kind: RemovalKind
    score: float
    matches: tuple[Match, ...] = ()

    def __init__(
        self,
        paragraph: int,
        start: int,
        end: int,
        kind: RemovalKind,
        score: float,
        matches: tuple[Match, ...] = (),
    ) -> None:
        object.__setattr__(self, "paragraph", paragraph)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "matches", matches)


@dataclass(frozen=True, slots=True)
class Join(PickledByInit):
    """Two paragraphs that the page layout broke apart and the cleaned copy re-joins.

    ``start``/``end`` is the text between the two halves (blank lines, markers)
    that the join replaces; ``evidence`` names the signals that decided it.
    """

    head: int
    tail: int
    start: int
    end: int
    score: float
    evidence: tuple[str, ...]

    def __init__(
        self, head: int, tail: int, start: int, end: int, score: float, evidence: tuple[str, ...]
    ) -> None:
        object.__setattr__(self, "head", head)
        object.__setattr__(self, "tail", tail)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "evidence", evidence)


@dataclass(frozen=True, slots=True)
class Flag(PickledByInit):
    """Something worth a look that the cleaner deliberately kept."""

    paragraph: int
    start: int
    end: int
    kind: Literal["orphan"]
    note: str

    def __init__(self, paragraph: int, start: int, end: int, kind: Literal["orphan"], note: str) -> None:
        object.__setattr__(self, "paragraph", paragraph)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "note", note)


@dataclass(frozen=True, slots=True)
class NearCopy(PickledByInit):
    """This article repeats most of an earlier article of the same run."""

    id: str
    similarity: float
    action: Literal["drop", "strip", "keep"]

    def __init__(self, id: str, similarity: float, action: Literal["drop", "strip", "keep"]) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "similarity", similarity)
        object.__setattr__(self, "action", action)


#: an article cleaned down to less body than this is a stub (``Result.stub``)
STUB_BODY_CHARS = 20


def body_chars(text: str) -> int:
    """Non-whitespace characters of ``text`` after its first non-blank line."""
    stripped = text.lstrip()
    newline = stripped.find("\n")
    if newline < 0:
        return 0
    body = stripped[newline:]
    # str.split() splits at exactly the characters str.isspace() accepts (U+3000 among them)
    return sum(map(len, body.split()))


#: the whitespace a text may open with (``\\s`` is exactly what ``str.isspace`` accepts)
_LEADING_SPACE = re.compile(r"\s*")


def body_reaches(text: str, chars: int) -> bool:
    """``body_chars(text) >= chars``, reading only as much of the body as that takes: whether an
    article is a stub asks each cleaned text for 20 characters of body, not how many it has."""
    start = _LEADING_SPACE.match(text)
    newline = text.find("\n", start.end() if start else 0)
    if newline < 0:
        return chars <= 0
    found, at, step = 0, newline, 4 * max(chars, 1)
    while found < chars and at < len(text):
        found += sum(map(len, text[at : at + step].split()))
        at += step
        step *= 2
    return found >= chars


@dataclass(frozen=True, slots=True)
class Result(PickledByInit):
    """Everything decided about one document: its cleaned text and the reasons."""

    id: str
    path: str | None
    text: str
    cleaned: str
    paragraphs: int
    #: how the text lays out its paragraphs (``text.layout``): blank-lines, lines or wrapped
    layout: str = "blank-lines"
    removed: tuple[Removal, ...] = ()
    joins: tuple[Join, ...] = ()
    flags: tuple[Flag, ...] = ()
    near_copy_of: NearCopy | None = None
    #: what made this result: segmenter and a digest of the settings and library
    #: versions (``Config.stamp``), so results of different runs are never mixed silently
    made_by: str = ""

    def __init__(
        self,
        id: str,
        path: str | None,
        text: str,
        cleaned: str,
        paragraphs: int,
        layout: str = "blank-lines",
        removed: tuple[Removal, ...] = (),
        joins: tuple[Join, ...] = (),
        flags: tuple[Flag, ...] = (),
        near_copy_of: NearCopy | None = None,
        made_by: str = "",
    ) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "cleaned", cleaned)
        object.__setattr__(self, "paragraphs", paragraphs)
        object.__setattr__(self, "layout", layout)
        object.__setattr__(self, "removed", removed)
        object.__setattr__(self, "joins", joins)
        object.__setattr__(self, "flags", flags)
        object.__setattr__(self, "near_copy_of", near_copy_of)
        object.__setattr__(self, "made_by", made_by)

    @property
    def changed(self) -> bool:
        return self.cleaned != self.text

    @property
    def body_chars(self) -> int:
        """Characters of the cleaned text after its first line (the title), whitespace aside."""
        return body_chars(self.cleaned)

    @property
    def stub(self) -> bool:
        """Cleaning removed paragraphs and left little more than the title
        (under :data:`STUB_BODY_CHARS` characters of body): a remnant that a
        corpus for training or search is better without (``clean --min-body-chars``)."""
        return bool(self.removed) and not body_reaches(self.cleaned, STUB_BODY_CHARS)


@dataclass(frozen=True, slots=True)
class Report(PickledByInit):
    """The results of one run, in input order, with the settings that made them."""

    results: tuple[Result, ...]
    fingerprint: dict[str, str] = field(default_factory=dict)

    @property
    def duplicates_found(self) -> bool:
        return any(r.removed or r.joins for r in self.results)
