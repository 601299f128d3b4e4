"""Documents into paragraphs with character spans: the one definition of "paragraph".

How the lines of a document make paragraphs is its layout (``text.layout``: blank-line blocks, one
paragraph per line, or hard-wrapped lines), chosen from the text unless the caller names one.  Spans
exclude surrounding whitespace, which is also what ``str.strip`` removes, so in the ``blank-lines``
layout paragraph ``i`` here is paragraph ``i`` of
``[p.strip() for p in re.split(r"\\n\\s*\\n", text) if p.strip()]``.
"""

from __future__ import annotations

from functools import lru_cache

from dedup.records import Paragraph, Shape
from dedup.text.layout import Layout, choose_layout, stripped_spans
from dedup.text.markers import content_bounds
from dedup.text.shape import shape_of


def split_paragraphs(text: str, doc: int = 0, layout: Layout | None = None) -> list[Paragraph]:
    """The paragraphs of ``text``, in order, each with its stripped span and the
    span of its content once continuation markers at its edges are cut off."""
    paragraphs: list[Paragraph] = []
    for start, end in stripped_spans(text, layout or choose_layout(text)):
        cut_start, cut_end, shape = _content(text[start:end])
        paragraphs.append(
            Paragraph(
                doc,
                len(paragraphs),
                start,
                end,
                start + cut_start,
                start + cut_end,
                shape,
                cut_start == cut_end,
            )
        )
    return paragraphs


@lru_cache(maxsize=1 << 15)
def _content(stripped: str) -> tuple[int, int, Shape]:
    """Where the content of a stripped paragraph starts and ends, and its shape:
    remembered by text, as most paragraphs of a scraped corpus are exact copies."""
    cut_start, cut_end = content_bounds(stripped)
    if cut_start == cut_end:
        return cut_start, cut_end, "heading"
    return cut_start, cut_end, shape_of(stripped[cut_start:cut_end])
