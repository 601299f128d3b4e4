"""``records.body_chars``: the body's characters, whitespace of every kind aside (and ``body_reaches``)."""

from __future__ import annotations

import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.records import body_chars, body_reaches

#: every whitespace character Python knows, and a few that are not (zero-width space, BOM)
SPACES = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()) + "\u200b\ufeff"


def by_definition(text: str) -> int:
    stripped = text.lstrip()
    newline = stripped.find("\n")
    if newline < 0:
        return 0
    return sum(not c.isspace() for c in stripped[newline:])


def test_a_title_alone_has_no_body() -> None:
    assert body_chars("标题") == 0
    assert body_chars("\u3000\r\n  标题  ") == 0


def test_ideographic_spaces_and_crlf_are_not_counted() -> None:
    assert body_chars("标题\r\n\u3000\u3000第一段。\r\n\u3000\u3000\r\n第二段") == 7


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(SPACES + "标题段落ab1，。\n"), max_size=60))
def test_body_chars_counts_every_character_that_is_not_whitespace(text: str) -> None:
    assert body_chars(text) == by_definition(text)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(SPACES + "标题段落ab1，。\n"), max_size=200),
    st.integers(min_value=-1, max_value=60),
)
def test_body_reaches_is_body_chars_compared(text: str, chars: int) -> None:
    """``body_reaches`` reads the body only as far as it must; its answer is ``body_chars``'s."""
    assert body_reaches(text, chars) == (body_chars(text) >= chars)
