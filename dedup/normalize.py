"""Matching keys: text folded for comparison only, never written to the output.

Folding: NFKC (full-width letters, digits and punctuation become half-width),
lower case, whitespace and punctuation removed.  Digits are kept, so two
reports that differ only in their figures stay apart.  Every key character
remembers the offset of the character it came from, so a match found on keys
can be reported as offsets into the original text.
"""

from __future__ import annotations

import unicodedata

from dedup.records import Key

# Full-width ASCII (U+FF01..U+FF5E) and the ideographic space: the common case of
# NFKC on Chinese news, done by a table because NFKC itself is slow.
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20


def _dropped(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch)[0] == "P"


def fold(text: str) -> str:
    """The folded form of ``text`` (idempotent: ``fold(fold(t)) == fold(t)``)."""
    return normalize(text, 0).text


def normalize(text: str, offset: int = 0) -> Key:
    """Key of ``text``; ``offset`` is where ``text`` starts in its document."""
    chars: list[str] = []
    origin: list[int] = []
    narrow = text.translate(_WIDTH)
    for i, ch in enumerate(narrow):
        if ch.isascii():
            if ch.isalnum():
                chars.append(ch.lower())
                origin.append(offset + i)
            elif not (ch.isspace() or _ascii_punct(ch)):
                chars.append(ch)
                origin.append(offset + i)
            continue
        if not unicodedata.is_normalized("NFKC", ch):
            folded = unicodedata.normalize("NFKC", ch).lower()
        else:
            folded = ch.lower() if ch.isalpha() else ch
        for out in folded:
            if not _dropped(out):
                chars.append(out)
                origin.append(offset + i)
    return Key("".join(chars), tuple(origin))


def _ascii_punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "P"
