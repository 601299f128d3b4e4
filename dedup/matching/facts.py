"""Whether a paragraph says anything its covering copies do not: the guard on every removal.

A paragraph may go only when all of it survives elsewhere, as an equal copy or an edited copy that
states the same facts.  Names, numbers, dates and places are facts: two formulaic sentences that differ
in one of them are different sentences however similar they are.  So the paragraph's key is aligned
character by character with each kept copy that covers it, and what stays unaligned is read:

- nothing, or a single character between aligned stretches (an OCR slip, a dropped character), a few
  times at most: the same sentence;
- a digit or a numeral, or two or more characters in a row (a name, a place, a figure, a phrase): a
  fact of its own, and the paragraph stays.

Only stretches of at least two aligned characters count as aligned: a lone shared character inside a
name (张三 / 张四) is a coincidence, not a match.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

#: characters that state a number in Chinese text
NUMERALS = frozenset("0123456789零〇○一二三四五六七八九十百千万亿两")
#: stretches shorter than this do not count as aligned
MIN_ALIGNED = 2


def _window(text: str, source: str) -> str:
    """The stretch of a longer ``source`` that ``text`` was cut from (with room for a phrase it
    lost), so that its characters are not aligned with scattered ones elsewhere."""
    if len(source) <= len(text) * 1.3 + 8:
        return source
    best = fuzz.partial_ratio_alignment(text, source)
    if best is None:
        return source
    slack = len(text) // 6 + 4
    return source[max(0, best.dest_start - slack) : best.dest_end + slack]


def aligned_mask(text: str, source: str) -> list[bool]:
    """Which characters of ``text`` align with ``source`` in stretches of ``MIN_ALIGNED`` or more."""
    mask = [False] * len(text)
    source = _window(text, source)
    # an edge that continues into an aligned stretch in the source is aligned, whichever equal
    # character the alignment happened to pair it with
    for block in LCSseq.opcodes(text, source).as_matching_blocks():
        if block.size >= MIN_ALIGNED:
            mask[block.a : block.a + block.size] = [True] * block.size
    if True in mask:
        first = mask.index(True)
        if first and text[: first + MIN_ALIGNED] in source:
            mask[:first] = [True] * first
        last = len(mask) - mask[::-1].index(True)
        if last < len(mask) and text[last - MIN_ALIGNED :] in source:
            mask[last:] = [True] * (len(mask) - last)
    return mask


def own_content(text: str, sources: Sequence[str]) -> list[str]:
    """The runs of ``text`` that no source holds and that state something (see the module)."""
    # bullets, dashes and other symbols are layout, not content
    text = "".join(ch for ch in text if ch.isalnum())
    sources = ["".join(ch for ch in source if ch.isalnum()) for source in sources]
    if not text:
        return []
    covered = [False] * len(text)
    for source in sources:
        for position, hit in enumerate(aligned_mask(text, source)):
            covered[position] = covered[position] or hit
    runs: list[tuple[int, int]] = []
    start = None
    for position, hit in enumerate([*covered, True]):
        if not hit and start is None:
            start = position
        elif hit and start is not None:
            runs.append((start, position))
            start = None
    slips = 0
    facts: list[str] = []
    for start, end in runs:
        run = text[start:end]
        if len(run) == 1 and run not in NUMERALS and 0 < start and end < len(text):
            slips += 1
            if slips <= max(1, min(3, len(text) // 20)):
                continue
        facts.append(run)
    return facts


def states_nothing_new(text: str, sources: Sequence[str]) -> bool:
    """Every fact of ``text`` is in ``sources``: removing it loses nothing."""
    return not own_content(text, sources)
