"""The shape of a paragraph: ``heading`` or ``body``, decided from how it ends.

A paragraph is ``heading``-shaped (titles, subheadings, bylines, datelines) when
it is short and no sentence ends in it; everything else is ``body``.  A heading
goes as a piece of body text only when it reads as a cut sentence or stands in a
page's furniture (``matching.roles``), and is joined to the next line only on
direct evidence (``joins``): this one decision protects the top of every article.

The shape depends on the paragraph's text alone, which is why ``segment`` can
decide it for every paragraph without knowing anything about its neighbours.
"""

from __future__ import annotations

import re

from dedup.records import Shape

#: punctuation that ends a sentence
_SENTENCE_FINAL = "。！？!?；;"
#: punctuation that ends a sentence, or a line that is complete as it stands
FINAL = frozenset(_SENTENCE_FINAL + "…：:")
#: closing quotes and brackets: a sentence may end just inside them (``……任务。”``)
CLOSERS = "”’」』）)】〕］]》〉\"'"
_SENTENCE_END = re.compile(f"[{_SENTENCE_FINAL}]")

#: headings are short; a longer line without final punctuation is body text
HEADING_MAX_CHARS = 64


def shape_of(text: str) -> Shape:
    """``heading`` for titles, subheadings, bylines and datelines; ``body`` otherwise."""
    stripped = text.strip()
    if len(stripped) > HEADING_MAX_CHARS:
        return "body"
    if _SENTENCE_END.search(stripped.rstrip(CLOSERS)):
        return "body"
    if stripped[-1:] in FINAL:
        return "body"
    return "heading"


def ends_open(text: str) -> bool:
    """The paragraph stops without anything that could end it."""
    stripped = text.rstrip()
    if not stripped:
        return False
    last = stripped[-1]
    return last not in FINAL and last not in CLOSERS
