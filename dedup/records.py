"""The records that flow between the stages.

Every record is a frozen, slotted dataclass: stages hand each other data, never
behaviour.  Offsets are Python ``str`` indices into the *original* text of a
document, so a report can always be checked against the input it describes.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import MISSING, dataclass, field, fields
from typing import TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    import numpy as np

_Record = TypeVar("_Record", bound=type)


def pickled_by_init(cls: _Record) -> _Record:
    """Pickle the dataclass ``cls`` as a call of itself on its ``__init__`` fields.  A slotted
    dataclass's own pickling (``_dataclass_setstate``) asks ``dataclasses.fields`` again for
    every object: a third of what a Spark worker spent unpickling the paragraphs it was sent.
    Pickles made the old way still load (the class keeps its ``__setstate__``)."""
    names = tuple(f.name for f in fields(cls) if f.init)

    def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
        return (cls, tuple([getattr(self, name) for name in names]))

    setattr(cls, "__reduce__", __reduce__)  # noqa: B010 - a method added to a made class
    return cls


def set_through_slots(cls: _Record) -> _Record:
    """Give the frozen, slotted dataclass ``cls`` an ``__init__`` that stores each field through its
    slot's own setter.  The one ``dataclass`` writes for a frozen class calls ``object.__setattr__``
    per field (the class refuses its own), which costs about twice as much; paragraphs, keys and
    decisions are made hundreds of thousands of times a run.  The parameters, their defaults and the
    result are the same (tests compare the two), and the class stays frozen.  Only plain fields are
    taken: a ``__post_init__``, an ``InitVar``, a keyword-only or an ``init=False`` field would need
    what ``dataclass`` does for them, so such a class is refused."""
    params = fields(cls)
    # (``dataclass``'s own parameters are these fields, in order, positional, or the class is refused)
    wanted = [(f.name, inspect.Parameter.POSITIONAL_OR_KEYWORD) for f in params]
    given = [(q.name, q.kind) for q in list(inspect.signature(vars(cls)["__init__"]).parameters.values())[1:]]
    if hasattr(cls, "__post_init__") or any(not f.init for f in params) or given != wanted:
        raise TypeError(f"{cls.__name__}: only plain fields can be set through slots")
    namespace: dict[str, Any] = {}
    signature, body = [], []
    for i, f in enumerate(params):
        namespace[f"_set{i}"] = getattr(cls, f.name).__set__
        if f.default is not MISSING:
            namespace[f"_default{i}"] = f.default
            signature.append(f"{f.name}=_default{i}")
        elif f.default_factory is not MISSING:
            namespace[f"_factory{i}"] = f.default_factory
            signature.append(f"{f.name}=_NO_VALUE")
            body.append(f"    if {f.name} is _NO_VALUE:\n        {f.name} = _factory{i}()")
        else:
            signature.append(f.name)
        body.append(f"    _set{i}(self, {f.name})")
    namespace["_NO_VALUE"] = _NO_VALUE
    source = f"def __init__(self, {', '.join(signature)}):\n" + "\n".join(body or ["    pass"])
    exec(source, namespace)  # code made from the class's own field names
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = vars(cls)["__init__"].__doc__
    setattr(cls, "__init__", init)  # noqa: B010 - a method replaced on a made class
    return cls


#: a field with a default factory, not given
_NO_VALUE = object()


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


@dataclass(frozen=True, slots=True)
class Document:
    """One article as read from the input."""

    id: str
    text: str
    path: str | None = None


@pickled_by_init
@set_through_slots
@dataclass(frozen=True, slots=True)
class Paragraph:
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

    @property
    def has_content(self) -> bool:
        return self.content_end > self.content_start


@pickled_by_init
@set_through_slots
@dataclass(frozen=True, slots=True)
class Key:
    """Matching key of a paragraph: the normalised ``text``, made from ``source``,
    which starts at ``offset`` in its document.

    A paragraph re-joined from pieces of its page has a ``source`` that is not one
    stretch of the document: from source index ``at`` of each ``(at, shift)`` of
    ``breaks`` on, its characters stand ``shift`` further on than ``offset`` says."""

    text: str
    source: str
    offset: int
    breaks: tuple[tuple[int, int], ...] = ()


@pickled_by_init
@set_through_slots
@dataclass(frozen=True, slots=True, eq=False)
class Shingles:
    """Word n-gram shingles of a key.

    ``hashes[i]`` (uint32) is the hash of shingle ``i``; ``spans[i]`` (int32 pair)
    is the half-open range of key characters it covers.  ``tokens`` is how many
    words the key has; ``distinct`` the hashes sorted, each once.
    """

    hashes: np.ndarray
    spans: np.ndarray
    tokens: int
    distinct: np.ndarray


@set_through_slots
@dataclass(frozen=True, slots=True)
class Match:
    """The region of another paragraph that a removed span repeats."""

    id: str
    paragraph: int
    start: int
    end: int


@set_through_slots
@dataclass(frozen=True, slots=True)
class Removal:
    """A span of a document that the cleaned copy leaves out, and why."""

    paragraph: int
    start: int
    end: int
    kind: RemovalKind
    score: float
    matches: tuple[Match, ...] = ()


@dataclass(frozen=True, slots=True)
class Join:
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


@dataclass(frozen=True, slots=True)
class Flag:
    """Something worth a look that the cleaner deliberately kept."""

    paragraph: int
    start: int
    end: int
    kind: Literal["orphan"]
    note: str


@dataclass(frozen=True, slots=True)
class NearCopy:
    """This article repeats most of an earlier article of the same run."""

    id: str
    similarity: float
    action: Literal["drop", "strip", "keep"]


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
class Result:
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
class Report:
    """The results of one run, in input order, with the settings that made them."""

    results: tuple[Result, ...]
    fingerprint: dict[str, str] = field(default_factory=dict)

    @property
    def duplicates_found(self) -> bool:
        return any(r.removed or r.joins for r in self.results)
