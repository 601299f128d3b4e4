"""Newspaper continuation markers: ``（上接第一版）``, ``(下转第2版)``, ``【转A3版】`` …

They are recognised by their structure, not from a list: a bracket, a jump verb
(上接/下转/转/接/续/见/承 …), a page reference in any numeral style, an optional
unit (版/页/面), and a closing bracket, with nothing else inside; or a serial's
"to be continued" (未完待续, 待续) in brackets or alone on its line.  A bracketed
note that merely mentions a page (``（黎秀芳发言见第五版）``) is content, not a
marker, because more than the jump itself stands inside the brackets.
"""

from __future__ import annotations

import re

_OPEN = r"[（(〔［\[【〈<《「『]"
_CLOSE = r"[）)〕］\]】〉>》」』]"
_VERB = r"(?:上接|下接|下转|上转|转至|转到|转接|转自|紧接|承接|承上|接上|续上|续前|接续|接|转|续|见|承)"
_DIGITS = r"[0-9０-９]{1,3}"
_CN_NUM = r"[一二三四五六七八九十百零〇○两]{1,4}"
_LETTER = r"[A-Za-zＡ-Ｚａ-ｚ]{1,2}"
_PAGE = (
    rf"(?:第\s*)?(?:{_LETTER}\s*{_DIGITS}|{_DIGITS}(?:\s*{_LETTER})?|{_CN_NUM})\s*(?:版面|版|页|面|期)"
    rf"|{_LETTER}\s*{_DIGITS}"
    r"|[上下前后次本](?:一)?(?:版|页|期)"
)
_JUMP = rf"(?:本报|本刊)?\s*{_VERB}\s*(?:本报|本刊)?\s*(?:{_PAGE})"
#: a serial's "to be continued": the jump to a later issue, no page named
_SERIAL = r"(?:未完待续|未完|待续)"
_ONE = rf"{_OPEN}\s*(?:{_JUMP}(?:\s*[，,、;；]\s*{_JUMP})*|{_SERIAL})\s*{_CLOSE}"

#: one or more markers, possibly with spaces between them
MARKERS = re.compile(rf"(?:\s*{_ONE})+\s*")
#: a whole line that is a jump without brackets, e.g. ``——下转第2版`` or ``上接第一版``
_BARE_LINE = re.compile(rf"[\s\-—－–…·]*(?:{_JUMP}|{_SERIAL})[\s\-—－–…·]*")
# no "^": pattern.match(text, pos) anchors at pos, where "^" would not match
_AT_START = re.compile(rf"(?:\s*{_ONE})+\s*")
_AT_END = re.compile(rf"\s*(?:{_ONE}\s*)+$")
#: the characters of ``_CLOSE``
_CLOSERS = frozenset(_CLOSE[1:-1].replace("\\", ""))


def is_marker(text: str) -> bool:
    """True when ``text`` consists of continuation markers only."""
    stripped = text.strip()
    if not stripped:
        return False
    return bool(MARKERS.fullmatch(stripped) or _BARE_LINE.fullmatch(stripped))


def content_bounds(text: str) -> tuple[int, int]:
    """The part of a paragraph left after cutting markers off both of its edges.

    Markers may stand on lines of their own at the top or bottom of the paragraph,
    or be glued to its first or last words.  Returns ``(start, end)`` offsets into
    ``text``; ``start == end`` when the paragraph is nothing but markers.
    """
    start, end = 0, len(text)
    lines = text.split("\n")
    # whole marker lines at the top and bottom of the block (one line: the whole test below)
    while len(lines) > 1 and is_marker(lines[0]):
        start += len(lines[0]) + 1
        lines.pop(0)
    while len(lines) > 1 and is_marker(lines[-1]):
        end -= len(lines[-1]) + 1
        lines.pop()
    if is_marker(text[start:end]):
        return start, start
    head = _AT_START.match(text, start, end)
    if head and head.end() < end:
        start = head.end()
    # a marker at the end closes a bracket, and only whitespace follows it: most paragraphs
    # end otherwise, and ``_AT_END`` would be tried at each of their positions to find out
    closes = text[start:end].rstrip()[-1:] in _CLOSERS
    tail = _AT_END.search(text, start, end) if closes else None
    if tail and tail.start() > start:
        end = tail.start()
    # leave surrounding whitespace outside the content
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
