"""The parts of a page around its body: headline block, front matter (decks, pull quotes, boxes).

A scraped news page prints its headline lines first (kicker, title, subtitle), then often a deck, a
pull quote, a ``■`` highlight list or a ``核心阅读`` box that repeats sentences of the body, and then
the body itself, from its lead paragraph on.  Repeats in the front matter are furniture: the copy in the
body is the one that stays.  Repeats of body sentences by lines inside the body (subheadings, an
emphatic line, a quoted heading) are the page's structure and stay.

Everything here is read from the page's own form, not from its words: line shapes (``text.shape``),
indentation, bullets, quotation marks, the first separator line, and which text the page repeats.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from dedup.records import Shape
from dedup.text.normalize import fold
from dedup.text.shape import shape_of

#: a bullet opens a highlight line (■ 要坚持…); such lines repeat the body by design
BULLETS = "■□●○◆◇▲△▶►★☆▪•"
#: the longest headline block: kicker, two title lines, subtitle
HEADLINE_MAX_LINES = 4
#: the lead is looked for among this many paragraphs after the headline (else: no front matter)
LEAD_WITHIN = 40
#: opening quotation marks and the marks that close them
_QUOTES = {"“": "”", "「": "」", "『": "』", "‘": "’", '"': '"'}
#: where a sentence ends, for telling a deck stitched from body sentences
_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』]?")
#: a sentence shorter than this (folded) says too little to count as repeated
_MIN_SENTENCE = 6


@dataclass(frozen=True, slots=True)
class PageLine:
    """What the page's structure is read from, for one paragraph with content."""

    index: int
    #: the matching key (``text.normalize``): what repeats are found on
    key: str
    shape: Shape
    bulleted: bool
    #: the whitespace before it on its line
    indent: str
    #: a blank or separator line stands right before it
    after_separator: bool = False
    #: the keys of its sentences (``sentence_keys``), when it has more than one; ``None``:
    #: those of ``source``, made when asked (only the lines read in looking for the lead are)
    sentences: tuple[str, ...] | None = ()
    #: a short line with no clause in it (``is_label``): a figure, a box title
    label: bool = False
    #: its raw text (needed only when ``sentences`` is ``None``)
    source: str = ""

    # written out, not left to ``dataclass``: compiled, it is C (``records`` says why); one is
    # made for every paragraph of every page
    def __init__(
        self,
        index: int,
        key: str,
        shape: Shape,
        bulleted: bool,
        indent: str,
        after_separator: bool = False,
        sentences: tuple[str, ...] | None = (),
        label: bool = False,
        source: str = "",
    ) -> None:
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "shape", shape)
        object.__setattr__(self, "bulleted", bulleted)
        object.__setattr__(self, "indent", indent)
        object.__setattr__(self, "after_separator", after_separator)
        object.__setattr__(self, "sentences", sentences)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "source", source)


@dataclass(frozen=True, slots=True)
class Structure:
    """Paragraph indices by part of the page."""

    headline: frozenset[int]
    front_matter: frozenset[int]
    #: bulleted lines above the lead (■ highlights); bulleted lines below it are list items
    highlights: frozenset[int] = frozenset()

    # written out (``PageLine`` says why)
    def __init__(
        self, headline: frozenset[int], front_matter: frozenset[int], highlights: frozenset[int] = frozenset()
    ) -> None:
        object.__setattr__(self, "headline", headline)
        object.__setattr__(self, "front_matter", front_matter)
        object.__setattr__(self, "highlights", highlights)


@lru_cache(maxsize=1 << 14)
def sentence_keys(raw: str) -> tuple[str, ...]:
    """The matching keys of the sentences of a paragraph that has several (else none); remembered
    by text, as most paragraphs of a scraped corpus are exact copies (and verification asks again)."""
    keys = tuple(
        key for key in (fold(part) for part in _SENTENCE_END.split(raw)) if len(key) >= _MIN_SENTENCE
    )
    return keys if len(keys) > 1 else ()


def is_bulleted(raw: str) -> bool:
    """The line opens with a bullet: a highlight."""
    return raw.lstrip()[:1] in BULLETS


def is_quotation(raw: str) -> bool:
    """The whole line is one quotation (``“今天，他们就该站C位”``): a quoted title or subheading."""
    text = raw.strip()
    opener = text[:1]
    closer = _QUOTES.get(opener)
    if closer is None or len(text) < 3 or text[-1] != closer:
        return False
    depth = 0
    for position, ch in enumerate(text):
        if ch == opener and (closer != opener or depth == 0):
            depth += 1
        elif ch == closer:
            depth -= 1
            if depth == 0 and position != len(text) - 1:
                return False
    return depth == 0


def _headline_length(lines: Sequence[PageLine], first_block: int) -> int:
    """The run of heading-shaped lines that opens the page, indented as its first line, inside its
    first block and at most ``HEADLINE_MAX_LINES`` long (the title alone at least): a box or deck
    under a headline is set apart by its indent, its bullets or a separator line."""
    limit = min(first_block or len(lines), HEADLINE_MAX_LINES)
    length = 1
    while length < limit:
        line = lines[length]
        if line.shape != "heading" or line.bulleted or line.indent != lines[0].indent:
            break
        length += 1
    return length


def _body_indent(lines: Sequence[PageLine]) -> str | None:
    """The indentation most body-shaped paragraphs share (``None``: the page has no such habit)."""
    # counted in a plain dict, not a ``Counter``: its ``most_common`` (``heapq.nlargest``) took a
    # third of the page structure's time for pages of a few paragraphs.  Of two indents as common,
    # the first seen, as ``most_common`` gives it.
    counts: dict[str, int] = {}
    for line in lines:
        if line.shape == "body" and not line.bulleted:
            counts[line.indent] = counts.get(line.indent, 0) + 1
    indent, most, total = "", 0, 0
    for seen, count in counts.items():
        total += count
        if count > most:
            indent, most = seen, count
    return indent if most * 2 > total else None


#: stands between the keys of a page's lines joined into one string (``LaterKeys``)
_SEPARATOR = "\x00"


class LaterKeys:
    """The keys of a page's lines joined into one string, so that "a line from ``first`` on holds
    this text" is one search from where that line's key starts rather than one per line: a text
    without the separator can only be found inside one line's key.  (A text holding the separator,
    or an empty one, is looked for line by line.)"""

    def __init__(self, lines: Sequence[PageLine]) -> None:
        self.lines = lines
        self.joined = _SEPARATOR.join(line.key for line in lines)
        self.starts = [0]
        for line in lines:
            self.starts.append(self.starts[-1] + len(line.key) + 1)

    def held(self, text: str, first: int) -> bool:
        """Whether the key of some line from position ``first`` on holds ``text``."""
        if not text or _SEPARATOR in text:
            return any(text in line.key for line in self.lines[first:])
        return first < len(self.lines) and self.joined.find(text, self.starts[first]) >= 0


def _repeated_later(lines: Sequence[PageLine], position: int, later: LaterKeys) -> bool:
    """Later paragraphs hold this one: whole further on, or inside a longer one anywhere (the same
    paragraph printed twice in a row is one paragraph), or each of its sentences somewhere further
    on (a deck stitched from sentences of the body).  ``later``: the keys of ``lines``."""
    key = lines[position].key
    first = position + 1
    if first < len(lines) and lines[first].key == key:
        # printed twice in a row: the twin is the same paragraph, not a later one
        first += 1
    if later.held(key, first):
        return True
    sentences = lines[position].sentences
    if sentences is not None:
        return bool(sentences) and all(later.held(s, first) for s in sentences)
    # ``sentence_keys`` made one sentence at a time, up to the first no later line holds (most
    # paragraphs' first): a lead's other sentences are never folded
    found = 0
    for part in _SENTENCE_END.split(lines[position].source):
        sentence = fold(part)
        if len(sentence) < _MIN_SENTENCE:
            continue
        if not later.held(sentence, first):
            return False
        found += 1
    return found > 1  # (one sentence is the paragraph: not stitched from the body)


def _lead(lines: Sequence[PageLine], start: int, body_indent: str | None, later: LaterKeys) -> int | None:
    """The first body-shaped paragraph from ``start`` on that is no highlight, is indented as the
    body is, and that no later paragraph repeats (``_repeated_later``)."""
    for position in range(start, min(len(lines), start + LEAD_WITHIN)):
        line = lines[position]
        if line.shape != "body" or line.bulleted:
            continue
        if body_indent is not None and line.indent != body_indent:
            continue
        # repeated further on (inside a longer paragraph, or whole): a deck, a pull quote, a box;
        # printed twice in a row it is the lead all the same
        if not _repeated_later(lines, position, later):
            return position
    return None


#: marks that end or split a clause: a label has none
_CLAUSE_MARKS = re.compile(r"[，,、；;：:。！？!?]")


def is_label(text: str) -> bool:
    """A heading-shaped line with no clause in it: a figure (2.5%), a box title (核心阅读), not a
    line of verse or a sentence cut short (我俩的结婚整整已经有了十年，)."""
    stripped = text.strip()
    return bool(stripped) and shape_of(stripped) == "heading" and not _CLAUSE_MARKS.search(stripped)


def _box_end(lines: Sequence[PageLine], headline: int, later: LaterKeys) -> int | None:
    """Where a box under the headline ends: a block that opens with a label rather than the lead
    (``is_label``: a figure, a box title), is closed by a separator line, and repeats the
    body (at least half of its body-shaped lines).  The body starts after it, whether or not each
    of its lines is repeated in full (a data box's caption may abridge its body sentence)."""
    if headline >= len(lines) or not lines[headline].label or lines[headline].bulleted:
        return None
    for end in range(headline + 1, min(len(lines), headline + LEAD_WITHIN)):
        if lines[end].after_separator:
            # a box repeats the body: at least half of its sentences-shaped lines (one may abridge
            # its sentence), where the opening section of a page of several articles repeats little
            stated = [position for position in range(headline, end) if lines[position].shape == "body"]
            repeated = sum(_repeated_later(lines, position, later) for position in stated)
            return end if stated and 2 * repeated >= len(stated) else None
    return None


def page_structure(lines: Sequence[PageLine], first_block: int, separated: bool) -> Structure:
    """The headline block and the front matter of a page.

    ``lines``: the page's paragraphs with content, in order; ``first_block``: how many of them stand
    before its first blank or separator line (0: it has none); ``separated``: blank lines separate
    every paragraph (the ``blank-lines`` layout), so they mark no part of the page.

    What stands between the headline block and the lead is front matter, when the page sets it
    apart: a separator line closes it, right before the lead, or it is not indented as the body
    is (a deck printed flush under the headline); a box that opens with a label and repeats the
    body ends at its separator line (``_box_end``).  Bulleted lines above the lead are highlights
    wherever they stand.  Without that (or without a lead) there
    is none: a page printed without such marks may simply open with a paragraph it repeats later.
    """
    if not lines:
        return Structure(frozenset(), frozenset())
    headline = _headline_length(lines, first_block)
    body_indent = _body_indent(lines)
    later = LaterKeys(lines)
    box = None if separated else _box_end(lines, headline, later)
    lead = _lead(lines, headline if box is None else box, body_indent, later)
    front: frozenset[int] = frozenset()
    highlights: frozenset[int] = frozenset()
    if lead is not None:
        above = lines[headline:lead]
        highlights = frozenset(line.index for line in above if line.bulleted)
        set_off = lines[lead].after_separator or all(line.indent != body_indent for line in above)
        if above and not separated and set_off:
            front = frozenset(line.index for line in above)
    return Structure(frozenset(line.index for line in lines[:headline]), front, highlights)
