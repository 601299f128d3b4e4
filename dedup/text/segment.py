"""Documents into paragraphs with character spans: the one definition of "paragraph".

A document whose text has blank lines is split on them (lines inside a block
stay together: hard-wrapped paragraphs, a marker line on top of its paragraph);
a document without any blank line has one paragraph per line.  Spans exclude
surrounding whitespace, which is also what ``str.strip`` removes, so paragraph
``i`` here is paragraph ``i`` of ``[p.strip() for p in re.split(r"\\n\\s*\\n", text) if p.strip()]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dedup.records import Paragraph
from dedup.text.markers import content_bounds
from dedup.text.shape import shape_of

_BLANK_LINE = re.compile(r"\n\s*\n")
_LINE = re.compile(r"\n")


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    separator = _BLANK_LINE if _BLANK_LINE.search(text) else _LINE
    position = 0
    for gap in separator.finditer(text):
        yield position, gap.start()
        position = gap.end()
    yield position, len(text)


def split_paragraphs(text: str, doc: int = 0) -> list[Paragraph]:
    """The paragraphs of ``text``, in order, each with its stripped span and the
    span of its content once continuation markers at its edges are cut off."""
    paragraphs: list[Paragraph] = []
    for raw_start, raw_end in _blocks(text):
        block = text[raw_start:raw_end]
        stripped = block.strip()
        if not stripped:
            continue
        start = raw_start + (len(block) - len(block.lstrip()))
        end = start + len(stripped)
        cut_start, cut_end = content_bounds(stripped)
        content_start, content_end = start + cut_start, start + cut_end
        is_marker = content_start == content_end
        shape = shape_of(text[content_start:content_end]) if not is_marker else "heading"
        paragraphs.append(
            Paragraph(
                doc=doc,
                index=len(paragraphs),
                start=start,
                end=end,
                content_start=content_start,
                content_end=content_end,
                shape=shape,
                is_marker=is_marker,
            )
        )
    return paragraphs
