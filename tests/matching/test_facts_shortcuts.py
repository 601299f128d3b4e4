"""facts' shortcuts answer as the full path: the numbers of a text read by the look-ahead expression
and by the compiled one-pass reader are the definition's (``_DEFINITION``, the expression as the
guard first wrote it), and a text that ``str.isalnum`` accepts is its own content (``[\\W_]+`` removes
nothing from it), on the golden cases' paragraphs and on generated text.
"""

from __future__ import annotations

import random
import re

from compiled_parts import built
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.matching.core import compiled_tagger
from dedup.matching.facts import NUMBER, numbers_reader

_CN = "零〇○一二三四五六七八九十百千万亿两"
#: the numbers of a text, as the guard defines them
_DEFINITION = re.compile(rf"第?[0-9]+(?:\.[0-9]+)?%?|第[{_CN}]+|[{_CN}]{{2,}}")
#: the characters numbers are made of, and some that are not
_ALPHABET = "第0123456789.%" + _CN + "条年月日的中x０١²_ "


def _variants(rng: random.Random, text: str) -> list[str]:
    """``text`` with numbers of every shape spliced in (ordinals, decimals, percents, cut ones)."""
    pieces = [
        "第5",
        "第十一条",
        "12.5%",
        "3.",
        ".5",
        "第",
        "一",
        "二十",
        "5万",
        "1.2.3",
        "第x",
        "100%%",
        "〇○",
    ]
    out = []
    for _ in range(4):
        at = rng.randint(0, len(text))
        out.append(text[:at] + rng.choice(pieces) + rng.choice(pieces) + text[at:])
    return out


def test_the_numbers_read_are_the_definitions_on_the_golden_paragraphs(case_texts: list[str]) -> None:
    rng = random.Random(7)
    paragraphs = [p for text in case_texts for p in text.split("\n") if p]
    texts = paragraphs + [v for p in paragraphs for v in _variants(rng, p)]
    assert sum(bool(_DEFINITION.findall(t)) for t in texts) > 100
    for text in texts:
        assert NUMBER.findall(text) == _DEFINITION.findall(text), text
        assert numbers_reader()(text) == _DEFINITION.findall(text), text


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_the_numbers_read_are_the_definitions_on_generated_text(text: str) -> None:
    assert NUMBER.findall(text) == _DEFINITION.findall(text)
    assert numbers_reader()(text) == _DEFINITION.findall(text)


def test_the_compiled_reader_is_the_pure_one() -> None:
    core = built(compiled_tagger(), "the compiled tagger")
    rng = random.Random(3)
    for _ in range(3000):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 30)))
        assert core.numbers(text) == NUMBER.findall(text), text
    assert numbers_reader() == core.numbers


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=30))
def test_a_text_isalnum_accepts_is_its_own_content(text: str) -> None:
    # ``_source_content`` skips the substitution for such a text
    assert (re.sub(r"[\W_]+", "", text) == text) == (text.isalnum() or not text)
