"""Whether every sentence of a paragraph survives in its covering copies: the guard beside the fact guard.

A paragraph may go only when all of it survives elsewhere (``facts``), and every sentence of it
must survive as a sentence: one sentence of a copy holding at least ``SENTENCE_KEPT`` of its
character 3-grams (an abridged deck line does; a byline with a role added, a sentence with a phrase
of its own, or one pieced from two sentences of the body does not).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

from rapidfuzz.distance import Levenshtein

from dedup.matching.item import compiled_verify
from dedup.text.normalize import PIECE_END, fold_marked

#: a sentence survives in a copy that holds this share of its character 3-grams
SENTENCE_KEPT = 0.8
#: sentences shorter than this (folded) are labels, not statements
SENTENCE_MIN_CHARS = 6

#: characters that end a sentence
SENTENCE_ENDS = "。！？!?\n"
_NOT_CONTENT_NOR_END = re.compile(rf"[^\w{PIECE_END}]+|_+")


@lru_cache(maxsize=1 << 16)
def _trigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 3] for i in range(len(text) - 2))


@lru_cache(maxsize=1 << 14)
def _sentences(raw: str) -> tuple[str, ...]:
    """The sentences of a text as written, folded (``text.normalize.fold``): folded at once, their
    ends marked, and the symbols of all of them dropped at once."""
    marked = fold_marked(raw, SENTENCE_ENDS)
    pieces = marked.split(PIECE_END)
    # folding leaves letters, digits and Han characters as a rule: then there is nothing to drop
    # (``isalnum`` is ``[^\W_]``, character by character, as the pattern reads it), and the pattern,
    # a fifth of the sentence check, is not run
    if all(piece.isalnum() or not piece for piece in pieces):
        return tuple(pieces)
    return tuple(_NOT_CONTENT_NOR_END.sub("", marked).split(PIECE_END))


def _slips(text: str, other: str) -> set[int]:
    """Positions of ``text`` where ``other`` has one character in place of one (OCR slips)."""
    return {
        op.src_start
        for op in Levenshtein.opcodes(text, other)
        if op.tag == "replace" and op.src_end - op.src_start == 1 and op.dest_end - op.dest_start == 1
    }


def _holds(sentence: str, grams: int, found: int, other: str) -> bool:
    """``other`` holds ``SENTENCE_KEPT`` of the sentence's (``grams``) distinct 3-grams, a 3-gram
    across an OCR slip counting as held (``found``: how many ``other`` holds as they are)."""
    need = SENTENCE_KEPT * grams
    if found >= need:
        return True
    if found < need / 2:
        return False
    held = _trigrams(other)
    slips = _slips(sentence, other)
    kept = {
        sentence[i : i + 3]
        for i in range(len(sentence) - 2)
        if sentence[i : i + 3] in held or slips.intersection(range(i, i + 3))
    }
    return len(kept) >= need


def sentences_survive(raw: str, sources: Sequence[str], spliced: bool = False) -> bool:
    """Every sentence of ``raw`` survives in ``sources`` (see ``_sentences_survive``)."""
    return _sentences_survive(raw, tuple(sources), spliced)


@lru_cache(maxsize=1 << 15)
def _sentences_survive(raw: str, sources: tuple[str, ...], spliced: bool) -> bool:
    """Every sentence of ``raw`` has a copy: one sentence of ``sources`` (the covering paragraphs
    as written, in the order ``raw`` takes from them) holding ``SENTENCE_KEPT`` of its character
    3-grams, OCR slips forgiven.  A sentence pieced together from sentences of one paragraph is
    not a copy of any of them; where ``raw`` is ``spliced`` body text, the end of one source glued
    to the start of the next by the page layout, the sentence across the joint is theirs together."""
    split = [[s for s in _sentences(source) if s] for source in sources]
    pieces = [sentence for sentences in split for sentence in sentences]
    if spliced:
        pieces += [a[-1] + b[0] for a, b in pairwise(split) if a and b]
    core = compiled_verify()
    hits = trigram_hits if core is None else core.trigram_hits
    for sentence in _sentences(raw):
        if len(sentence) < SENTENCE_MIN_CHARS:
            continue
        found = hits(sentence, pieces)
        if found is None:
            continue  # held whole, every 3-gram of it (most are: copies)
        grams, held = found
        if not any(_holds(sentence, grams, n, other) for n, other in zip(held, pieces, strict=True)):
            return False
    return True


def trigram_hits(sentence: str, pieces: list[str]) -> tuple[int, list[int]] | None:
    """``None`` where a piece holds ``sentence`` whole; else the number of distinct character
    3-grams of ``sentence`` and how many of them each piece holds: the definition of the compiled
    ``compiled_verify.trigram_hits`` (tests compare them)."""
    if any(sentence in other for other in pieces):
        return None
    grams = _trigrams(sentence)
    return len(grams), [len(grams & _trigrams(other)) for other in pieces]
