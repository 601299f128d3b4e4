"""Documents into paragraphs with character spans: the one definition of "paragraph".

How the lines of a document make paragraphs is its layout (``text.layout``: blank-line blocks, one
paragraph per line, or hard-wrapped lines), chosen from the text unless the caller names one.  Spans
exclude surrounding whitespace, which is also what ``str.strip`` removes, so in the ``blank-lines``
layout paragraph ``i`` here is paragraph ``i`` of
``[p.strip() for p in re.split(r"\\n\\s*\\n", text) if p.strip()]``.
"""

from __future__ import annotations

from dedup.records import Paragraph
from dedup.text.layout import Layout, choose_layout, paragraph_spans
from dedup.text.markers import content_bounds
from dedup.text.shape import shape_of


def split_paragraphs(text: str, doc: int = 0, layout: Layout | None = None) -> list[Paragraph]:
    """The paragraphs of ``text``, in order, each with its stripped span and the
    span of its content once continuation markers at its edges are cut off."""
    paragraphs: list[Paragraph] = []
    for raw_start, raw_end in paragraph_spans(text, layout or choose_layout(text)):
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
