"""How a document lays out its paragraphs, decided from evidence in the text itself.

Three layouts are common in scraped articles:

- ``blank-lines``: paragraphs separated by blank lines; lines inside a block belong to one paragraph
  (hard-wrapped text, a continuation marker on top of its paragraph).
- ``lines``: one paragraph per line (news sites, e-paper crawls), often indented with U+3000, with
  whitespace-only lines (ASCII or ideographic spaces) between sections.
- ``wrapped``: fixed-width lines without blank lines, a paragraph starting at each indented line.

The choice weighs every line break inside a block of non-blank lines: a break after sentence-final
punctuation or before an indented line is the end of a paragraph; a break in mid-sentence after a line
as long as its neighbours is a wrap.  Blank lines alone decide nothing: a page with one paragraph per
line often has a blank line after its title, or separator lines between sections.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from types import ModuleType
from typing import Literal

from dedup.config import compiled_extension
from dedup.text.markers import is_marker
from dedup.text.shape import CLOSERS, FINAL

Layout = Literal["blank-lines", "lines", "wrapped"]

#: an indent opens a paragraph: ideographic or no-break spaces, a tab, or two ASCII spaces
_INDENTS = ("\u3000", "\u00a0", "\t", "  ")


@dataclass(frozen=True, slots=True)
class Line:
    """One physical line: where its text starts and ends (line ending excluded)."""

    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        # str.isspace covers U+3000 and U+00A0: a line of them is a separator
        return not self.text or self.text.isspace()

    @property
    def indented(self) -> bool:
        return self.text.startswith(_INDENTS)

    @property
    def width(self) -> int:
        return len(self.text.strip())

    @property
    def ends_sentence(self) -> bool:
        stripped = self.text.rstrip().rstrip(CLOSERS)
        return stripped[-1:] in FINAL


def ends_lines_with_cr(text: str) -> bool:
    """Whether ``text`` ends its lines with a lone CR (classic Mac OS) and never with LF.

    Such a text is read with each CR taken for an LF (one character for one, so
    every offset stays) and written back with its CRs (``run.run``).  A text
    that mixes lone CRs with LFs keeps its lone CRs as in-line whitespace."""
    return "\r" in text and "\n" not in text


def lines_of(text: str) -> list[Line]:
    """The physical lines of ``text`` (a final line ending opens no new line).

    Extraction asks three times per document (its layout, its paragraphs, its
    page): the lines of the last text asked for are remembered (a new list of
    the same immutable lines each time)."""
    global _last
    last = _last
    if last is not None and last[0] is text:
        return list(last[1])
    lines = _split_lines(text)
    _last = (text, lines)
    return list(lines)


#: the text ``lines_of`` was last asked for, and its lines
_last: tuple[str, list[Line]] | None = None


def _split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    position = 0
    for raw in text.split("\n"):
        end = position + len(raw)
        body = raw[:-1] if raw.endswith("\r") else raw
        lines.append(Line(position, position + len(body), body))
        position = end + 1
    if len(lines) > 1 and not lines[-1].text:
        lines.pop()
    return lines


def _blocks(lines: list[Line]) -> list[list[Line]]:
    blocks: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        if line.blank:
            if current:
                blocks.append(current)
            current = []
        else:
            current.append(line)
    if current:
        blocks.append(current)
    return blocks


def _is_wrap(line: Line, following: Line, full_width: int) -> bool:
    """A break inside a paragraph: mid-sentence, after a line as wide as the text's lines run."""
    return (
        not line.ends_sentence
        and not following.indented
        and full_width >= 12
        and line.width >= 0.85 * full_width
    )


@cache
def compiled_layout() -> ModuleType | None:
    """``compiled_layout.pyx`` (this module's reading of lines, in C), or ``None``: not built
    here (no C compiler at install time), or ``DEDUP_PURE=1``."""
    return compiled_extension("dedup.text.compiled_layout")


def choose_layout(text: str) -> Layout:
    """The layout of ``text``'s paragraphs (see the module's docstring): in C where built
    (``compiled_layout``), else by ``pure_choose_layout``, its definition."""
    core = compiled_layout()
    if core is not None:
        found: Layout = core.choose_layout(text)
        return found
    return pure_choose_layout(text)


def pure_choose_layout(text: str) -> Layout:
    """``choose_layout`` in pure Python: the definition the compiled one is tested against."""
    lines = lines_of(text)
    blocks = _blocks(lines)
    breaks = [pair for block in blocks for pair in pairwise(block)]
    has_blank = len(blocks) > 1 or any(line.blank for line in lines[1:-1])
    if not breaks:
        return "blank-lines" if has_blank else "lines"
    widths = sorted(line.width for block in blocks for line in block)
    full_width = widths[int(0.9 * (len(widths) - 1))]
    wraps = sum(_is_wrap(a, b, full_width) for a, b in breaks)
    ends = sum(a.ends_sentence or b.indented for a, b in breaks)
    if wraps > ends:
        # hard-wrapped text: blank lines or indents mark the paragraphs
        indented_starts = sum(block[0].indented for block in blocks)
        if not has_blank and indented_starts and any(line.indented for line in lines[1:]):
            return "wrapped"
        return "blank-lines"
    if (
        has_blank
        and len(breaks) < 2
        and not all(a.ends_sentence and not is_marker(b.text) for a, b in breaks)
    ):
        # one odd break (a marker line above or below its paragraph): blank lines still separate
        # paragraphs; a break after a sentence's end is a paragraph's end however few there are
        # (so a page read line by line is read so again once cleaning has left it a single break)
        return "blank-lines"
    return "lines"


def layout_of(text: str, chosen: str) -> Layout:
    """The layout to read ``text`` with: ``chosen`` (a setting), or the text's own when ``auto``."""
    if chosen == "auto":
        return choose_layout(text)
    if chosen not in ("blank-lines", "lines", "wrapped"):
        raise ValueError(f"unknown paragraph layout {chosen!r}")
    return chosen  # type: ignore[return-value]


def paragraph_spans(text: str, layout: Layout) -> Iterator[tuple[int, int]]:
    """Spans of the paragraphs' raw text (surrounding whitespace included, line endings not)."""
    lines = lines_of(text)
    if layout == "lines":
        for line in lines:
            if not line.blank:
                yield line.start, line.end
        return
    for block in _blocks(lines):
        if layout == "blank-lines":
            yield block[0].start, block[-1].end
            continue
        start = block[0]
        for previous, line in pairwise(block):
            if line.indented:
                yield start.start, previous.end
                start = line
        yield start.start, block[-1].end


def stripped_spans(text: str, layout: Layout) -> list[tuple[int, int]]:
    """Spans of the paragraphs without their surrounding whitespace (what ``str.strip`` removes),
    those left empty dropped: in C where built, else by ``pure_stripped_spans``."""
    core = compiled_layout()
    if core is not None:
        found: list[tuple[int, int]] = core.stripped_spans(text, layout)
        return found
    return pure_stripped_spans(text, layout)


def pure_stripped_spans(text: str, layout: Layout) -> list[tuple[int, int]]:
    """``stripped_spans`` in pure Python (``paragraph_spans``, stripped): the definition."""
    spans = []
    for raw_start, raw_end in paragraph_spans(text, layout):
        block = text[raw_start:raw_end]
        stripped = block.strip()
        if stripped:
            start = raw_start + (len(block) - len(block.lstrip()))
            spans.append((start, start + len(stripped)))
    return spans


def first_blank(text: str) -> int | None:
    """Where the first blank line after the first line starts (``None``: there is none): in C
    where built, else by ``pure_first_blank``."""
    core = compiled_layout()
    if core is not None:
        found: int | None = core.first_blank(text)
        return found
    return pure_first_blank(text)


def pure_first_blank(text: str) -> int | None:
    """``first_blank`` in pure Python: the definition."""
    return next((line.start for line in lines_of(text)[1:] if line.blank), None)
