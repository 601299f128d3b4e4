"""facts.uncovered_runs: the alignment read as stretches (bit sets and gaps) gives what the
character-by-character definition gives: which characters no source aligns with, and what each
source has in their place.  The definition is written out below (``_definition``: a flag and a
facing string per character, as ``facts`` computed it before), and both are compared on the
golden cases' paragraphs and on generated edits of them.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import LCSseq

from dedup.matching.facts import MIN_ALIGNED, source_window, uncovered_runs
from dedup.text.normalize import fold

Runs = list[tuple[int, int, bool, str]]


def _aligned(text: str, source: str) -> tuple[list[bool], list[str | None]]:
    source = source_window(text, source)
    aligned = [False] * len(text)
    facing: list[str | None] = [None] * len(text)
    blocks = [b for b in LCSseq.opcodes(text, source).as_matching_blocks() if b.size >= MIN_ALIGNED]
    at_text = at_source = 0
    for block in [*blocks, None]:
        text_end = block.a if block else len(text)
        source_end = block.b if block else len(source)
        if blocks:
            facing[at_text:text_end] = [source[at_source:source_end]] * (text_end - at_text)
        if block:
            aligned[block.a : block.a + block.size] = [True] * block.size
            at_text, at_source = block.a + block.size, block.b + block.size
    if True in aligned:
        first = aligned.index(True)
        if first and text[: first + MIN_ALIGNED] in source:
            aligned[:first] = [True] * first
        last = len(aligned) - aligned[::-1].index(True)
        if last < len(aligned) and text[last - MIN_ALIGNED :] in source:
            aligned[last:] = [True] * (len(aligned) - last)
    return aligned, facing


def _definition(text: str, sources: Sequence[str], known: int) -> Runs:
    """The stretches no source aligns with, character by character."""
    covered = [bool(known >> i & 1) for i in range(len(text))]
    faces: list[str | None] = [None] * len(text)
    for source in sources:
        aligned, opposite = _aligned(text, source)
        covered = [held or now for held, now in zip(covered, aligned, strict=True)]
        faces = [
            face if face is not None and other != "" else other
            for face, other in zip(faces, opposite, strict=True)
        ]
    runs: Runs = []
    start = None
    for position, hit in enumerate([*covered, True]):
        if not hit and start is None:
            start = position
        elif hit and start is not None:
            face = faces[start]
            runs.append((start, position, face == "", face or ""))
            start = None
    return runs


def _runs(text: str, sources: Sequence[str], known: int = 0) -> Runs:
    return [(r.start, r.end, r.inserted, r.facing) for r in uncovered_runs(text, sources, known)]


def _content(text: str) -> str:
    return re.sub(r"[\W_]+", "", fold(text))


def _edited(rng: random.Random, text: str) -> str:
    """``text`` with a few characters replaced, dropped or added, and maybe cut at an edge."""
    chars = list(text)
    for _ in range(rng.randint(0, 4)):
        at = rng.randrange(len(chars) + 1)
        what = rng.random()
        if what < 0.4 and at < len(chars):
            chars[at] = rng.choice("的一是国人不三五省市")
        elif what < 0.7 and at < len(chars):
            del chars[at : at + rng.randint(1, 6)]
        else:
            chars[at:at] = rng.choice(["目前", "副", "张三", "12", "广西", "会议强调"])
    edited = "".join(chars)
    if rng.random() < 0.3:
        edited = edited[rng.randint(0, 5) :]
    if rng.random() < 0.3:
        edited = rng.choice(["据悉", "另一段话的结尾"]) + edited
    return edited


def test_runs_match_the_definition_on_the_golden_paragraphs(case_texts: list[str]) -> None:
    rng = random.Random(15)
    paragraphs = [p for text in case_texts for p in map(_content, text.split("\n")) if len(p) >= 4]
    assert len(paragraphs) > 100
    for i, text in enumerate(paragraphs):
        neighbours = paragraphs[max(0, i - 2) : i] + paragraphs[i + 1 : i + 3]
        for sources in ([_edited(rng, text)], neighbours, [_edited(rng, text), *neighbours[:1]], []):
            known = rng.getrandbits(len(text)) & rng.getrandbits(len(text)) if rng.random() < 0.3 else 0
            assert _runs(text, sources, known) == _definition(text, sources, known)
        # a paragraph against a longer one it was cut from (the window)
        longer = "".join(neighbours) + _edited(rng, text) + "".join(neighbours[:1])
        assert _runs(text, [longer]) == _definition(text, [longer], 0)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="的一是国人不三五省市张李广西江1234", min_size=0, max_size=60),
    st.lists(st.text(alphabet="的一是国人不三五省市张李广西江1234", max_size=80), max_size=3),
    st.integers(min_value=0),
    st.randoms(use_true_random=False),
)
def test_runs_match_the_definition_on_generated_text(
    text: str, others: list[str], known: int, rng: random.Random
) -> None:
    sources = [*others, _edited(rng, text)] if text and rng.random() < 0.7 else others
    known &= (1 << len(text)) - 1
    assert _runs(text, sources, known) == _definition(text, sources, known)
