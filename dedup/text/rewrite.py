"""The cleaned copy: the original text with the removed spans left out and the
broken paragraphs re-joined.

Everything else is kept byte for byte: the separators between kept paragraphs,
their indentation, line endings.  A document with nothing to change comes back
unchanged; one that changes also loses blank lines at its very start and end.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from dedup.records import Paragraph


def _indentation(text: str, position: int) -> str:
    """The whitespace between the start of the line and ``position``."""
    line_start = text.rfind("\n", 0, position) + 1
    lead = text[line_start:position]
    return lead if not lead.strip() else ""


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
    kept = [p for p in paragraphs if p.index not in removed and p.has_content]
    trimmed = any(p.content_start != p.start or p.content_end != p.end for p in kept)
    if not removed and not joins and not trimmed:
        return text
    if not kept:
        return ""
    out = [_indentation(text, kept[0].content_start)]
    for current, following in zip(kept, [*kept[1:], None], strict=True):
        out.append(text[current.content_start : current.content_end])
        if following is None:
            break
        if (current.index, following.index) in joins:
            out.append(glue(text[: current.content_end], text[following.content_start :]))
            continue
        after = paragraphs[current.index + 1]
        separator = text[current.end : after.start]
        line_break = separator.rfind("\n")
        out.append(separator[: line_break + 1] + _indentation(text, following.content_start))
    if text.endswith("\n"):
        out.append("\r\n" if text.endswith("\r\n") else "\n")
    return "".join(out)
