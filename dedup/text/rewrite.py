"""The cleaned copy: the original text with the removed spans left out and the
broken paragraphs re-joined.

Everything else is kept byte for byte: the separators between kept paragraphs,
their indentation, line endings.  A document with nothing to change comes back
unchanged; one that changes also loses blank lines at its very start and end.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Sequence

from dedup.records import Paragraph
from dedup.text.layout import Layout, Line, lines_of


def _indentation(text: str, position: int) -> str:
    """The whitespace between the start of the line and ``position``."""
    line_start = text.rfind("\n", 0, position) + 1
    lead = text[line_start:position]
    return lead if not lead.strip() else ""


def _kept(paragraphs: Sequence[Paragraph], removed: Collection[int]) -> list[Paragraph]:
    return [p for p in paragraphs if p.index not in removed and p.has_content]


def _nothing_to_do(
    kept: Sequence[Paragraph], removed: Collection[int], joins: Collection[tuple[int, int]]
) -> bool:
    """Nothing removed, joined or trimmed (a marker cut off a paragraph's edge): the text stands."""
    trimmed = any(p.content_start != p.start or p.content_end != p.end for p in kept)
    return not removed and not joins and not trimmed


def glue(head: str, tail: str) -> str:
    """What goes between the two halves of a re-joined paragraph."""
    if head[-1:].isascii() and head[-1:].isalnum() and tail[:1].isascii() and tail[:1].isalnum():
        return " "
    return ""


def rewrite(
    text: str,
    paragraphs: Sequence[Paragraph],
    removed: Collection[int],
    joins: Collection[tuple[int, int]],
) -> str:
    """The cleaned text.  ``removed``: indices of paragraphs left out;
    ``joins``: (head, tail) index pairs of kept paragraphs to re-join."""
    kept = _kept(paragraphs, removed)
    if _nothing_to_do(kept, removed, joins):
        return text
    if not kept:
        return ""
    out = [_indentation(text, kept[0].content_start)]
    for current, following in zip(kept, [*kept[1:], None], strict=True):
        out.append(text[current.content_start : current.content_end])
        if following is None:
            break
        if (current.index, following.index) in joins:
            # glue reads one character on either side (a slice of all the text would cost O(n) a join)
            out.append(
                glue(
                    text[current.content_end - 1 : current.content_end],
                    text[following.content_start : following.content_start + 1],
                )
            )
            continue
        after = paragraphs[current.index + 1]
        separator = text[current.end : after.start]
        line_break = separator.rfind("\n")
        out.append(separator[: line_break + 1] + _indentation(text, following.content_start))
    if text.endswith("\n"):
        out.append("\r\n" if text.endswith("\r\n") else "\n")
    return "".join(out)


def _line_ending(text: str, line: Line, following: Line | None) -> str:
    return text[line.end : following.start] if following is not None else text[line.end :]


def rewrite_lines(
    text: str,
    paragraphs: Sequence[Paragraph],
    removed: Collection[int],
    joins: Collection[tuple[int, int]],
) -> str:
    """The cleaned text of a document laid out one paragraph per line (or wrapped).

    The page's own form is kept byte for byte outside what changes: a removed paragraph takes its
    lines and their line endings with it; a joined break loses its line ending and the indentation of
    the continuation line (a space already at the end of the first line stays); separator and empty
    lines stay, except that a removed block does not leave two of them next to each other (the one
    that closed the block goes, so the page keeps its single separators).
    """
    kept = _kept(paragraphs, removed)
    if _nothing_to_do(kept, removed, joins):
        return text
    if not kept:
        return ""
    lines = lines_of(text)
    starts = [line.start for line in lines]

    def line_of(offset: int) -> int:
        return bisect_right(starts, offset) - 1

    dropped = [False] * len(lines)
    for p in paragraphs:
        if p.index in removed or not p.has_content:
            for number in range(line_of(p.start), line_of(p.end) + 1):
                dropped[number] = True
    _drop_closing_separators(lines, dropped)
    # per line: where its kept text starts and ends, and what follows it
    cut_start = {line_of(p.start): (p.start, p.content_start) for p in kept if p.content_start > p.start}
    cut_end = {line_of(p.end): (p.content_end, p.end) for p in kept if p.content_end < p.end}
    by_index = {p.index: p for p in paragraphs}
    glued: dict[int, str] = {}
    skip_indent: dict[int, int] = {}
    for head, tail in joins:
        head_line = line_of(by_index[head].end)
        tail_p = by_index[tail]
        head_text = text[lines[head_line].start : by_index[head].content_end]
        tail_text = text[tail_p.content_start : tail_p.content_end]
        glued[head_line] = "" if head_text[-1:].isspace() else glue(head_text, tail_text)
        skip_indent[line_of(tail_p.start)] = tail_p.content_start
    out: list[str] = []
    for number, line in enumerate(lines):
        if dropped[number]:
            continue
        begin = skip_indent.get(number, line.start)
        piece = text[begin : line.end]
        if number in cut_start:
            a, b = cut_start[number]
            piece = text[begin:a] + text[b : line.end] if begin <= a else text[max(begin, b) : line.end]
        if number in cut_end:
            a, b = cut_end[number]
            piece = piece[: len(piece) - (line.end - a)] + text[b : line.end]
        out.append(piece)
        following = lines[number + 1] if number + 1 < len(lines) else None
        out.append(glued[number] if number in glued else _line_ending(text, line, following))
    return "".join(out)


def _drop_closing_separators(lines: list[Line], dropped: list[bool]) -> None:
    """A removed block between two separator (or empty) lines takes the one that closed it along."""
    number = 0
    while number < len(lines):
        if not dropped[number] or lines[number].blank:
            number += 1
            continue
        first = number
        while (
            number < len(lines)
            and (dropped[number] or lines[number].blank)
            and not (lines[number].blank and not dropped[number])
        ):
            number += 1
        before = first - 1
        while before >= 0 and dropped[before]:
            before -= 1
        if before >= 0 and lines[before].blank and number < len(lines) and lines[number].blank:
            dropped[number] = True
        number += 1


def rewrite_page(
    text: str,
    paragraphs: Sequence[Paragraph],
    removed: Collection[int],
    joins: Collection[tuple[int, int]],
    layout: Layout,
) -> str:
    """The cleaned text, in the way the document's layout calls for."""
    if layout == "blank-lines":
        return rewrite(text, paragraphs, removed, joins)
    return rewrite_lines(text, paragraphs, removed, joins)
