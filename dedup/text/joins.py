"""Layout repair: which paragraphs are headings, and which were broken by the page.

A paragraph's *shape* is ``heading`` (titles, subheadings, bylines, datelines:
short, no sentence-final punctuation) or ``body``.  Headings are never removed
as pieces of body text and never joined to the next paragraph.

A *broken paragraph* is a body paragraph that the layout cut mid-sentence or
mid-word; its continuation is the next kept paragraph.  The decision weighs
evidence rather than following one rule: how the head ends (no final
punctuation, a dangling list numeral ``。四``, an open quote or bracket), how the
tail starts (with a character or word that cannot open a sentence), and whether
jieba finds a word across the joint (``没有主`` + ``管单位`` -> ``主管``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dedup.records import Shape

#: punctuation that ends a sentence, or a line that is complete as it stands
_FINAL = set("。！？!?…；;：:")
_CLOSERS = set("”’」』）)】〕］]》〉\"'")
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_OPENERS = "“‘「『（(【〔［[《〈"
_PAIRS = {
    "“": "”",
    "‘": "’",
    "「": "」",
    "『": "』",
    "（": "）",
    "(": ")",
    "【": "】",
    "《": "》",
    "〔": "〕",
    "［": "］",
}
_LIST_NUMERAL = re.compile(
    r"[。！？；;]\s*([一二三四五六七八九十]{1,2}|[0-9]{1,2}|第[一二三四五六七八九十]{1,3})$"
)
#: characters that rarely or never open a sentence in Chinese
NOT_OPENING = set("，、。；：？！,.;:?!）)」』”’》〉】的了着过地得们吗呢吧啊么")

#: headings are short; a longer line without final punctuation is body text
HEADING_MAX_CHARS = 64


def shape_of(text: str) -> Shape:
    """``heading`` for titles, subheadings, bylines and datelines; ``body`` otherwise."""
    stripped = text.strip()
    if len(stripped) > HEADING_MAX_CHARS:
        return "body"
    if _SENTENCE_END.search(stripped.rstrip("”’」』）)】〕］]》〉\"'")):
        return "body"
    if stripped[-1:] in _FINAL:
        return "body"
    return "heading"


@dataclass(frozen=True, slots=True)
class JoinDecision:
    join: bool
    score: float
    evidence: tuple[str, ...]


def _open_brackets(text: str) -> bool:
    depth: dict[str, int] = {}
    for ch in text:
        if ch in _PAIRS:
            depth[ch] = depth.get(ch, 0) + 1
        else:
            for opener, closer in _PAIRS.items():
                if ch == closer and depth.get(opener, 0) > 0:
                    depth[opener] -= 1
    return any(v > 0 for v in depth.values())


def ends_open(text: str) -> bool:
    """The paragraph stops without anything that could end it."""
    stripped = text.rstrip()
    if not stripped:
        return False
    last = stripped[-1]
    return last not in _FINAL and last not in _CLOSERS


_ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、，．.]|[（(][一二三四五六七八九十0-9]{1,3}[）)]|[0-9]{1,2}[、．.])"
)
BARE_NUMERAL = re.compile(r"[一二三四五六七八九十]{1,2}|第[一二三四五六七八九十]{1,3}|[0-9]{1,2}")
_NUMBER_GOES_ON = set("0123456789０１２３４５６７８９多余万亿千百年月日号%％个")
CLAUSE = re.compile(r"[，,、：:]")


#: single-character words that cannot end a sentence: particles, prepositions, conjunctions
DANGLING_WORDS = set("的地得之和与及或在对把被向从为将使让给于以而并且但是")
_CN_DIGITS = set("零〇○一二三四五六七八九十百千万亿两")
_CLASSIFIERS = set("个位名项条次起家件种批座支只张些场届")


def word_across(head: str, tail: str, segmenter: str = "jieba") -> bool:
    """jieba finds a word spanning the joint (``没有主`` + ``管单位`` -> ``主管``)."""
    from dedup.text.words import tokenize

    if not (_is_han(head[-1:]) and _is_han(tail[:1])):
        return False
    left, right = head[-4:], tail[:4]
    position = 0
    for word in tokenize(left + right, segmenter):
        if position < len(left) < position + len(word):
            return True
        position += len(word)
    return False


def _last_word(head: str, segmenter: str) -> str:
    from dedup.text.words import tokenize

    words = tokenize(head[-6:], segmenter)
    return words[-1] if words else ""


def _is_han(ch: str) -> bool:
    return len(ch) == 1 and "\u4e00" <= ch <= "\u9fff"


def decide_join(
    head: str,
    tail: str,
    head_shape: Shape,
    tail_shape: Shape,
    *,
    is_title: bool = False,
    in_title_zone: bool = False,
    segmenter: str = "jieba",
) -> JoinDecision:
    """Should ``tail`` continue ``head``?

    ``is_title``: ``head`` is the first paragraph of its document;
    ``in_title_zone``: no body paragraph precedes ``head``.
    """
    head = head.rstrip()
    tail = tail.lstrip()
    if not head or not tail:
        return JoinDecision(False, 0.0, ())
    evidence: list[str] = []
    score = 0.0

    def weigh(points: float, why: str) -> None:
        nonlocal score
        score += points
        evidence.append(why)

    numeral = _LIST_NUMERAL.search(head)
    if BARE_NUMERAL.fullmatch(head):
        weigh(2.0, f"head is a bare list numeral {head!r}")
    elif numeral:
        weigh(2.0, f"head ends with list numeral {numeral.group(1)!r}")
    elif not ends_open(head):
        return JoinDecision(False, 0.0, ())
    else:
        evidence.append("head lacks final punctuation")
    clauses = CLAUSE.split(head)
    # a single-clause heading ending in a name makes accidental words with the
    # next line (…董伟 + 大庆… -> 伟大), so a word across counts less there
    sentence_like = head_shape == "body" or len(clauses) >= 2
    cut = False
    if word_across(head, tail, segmenter):
        weigh(2.0 if sentence_like else 1.0, "a word spans the joint")
        cut = True
    last = head[-1]
    if (last.isdigit() or last in _CN_DIGITS) and (tail[0] in _NUMBER_GOES_ON or tail[0] in _CN_DIGITS):
        weigh(1.5, "a number spans the joint")
        cut = True
    elif not numeral and _is_han(last):
        word = _last_word(head, segmenter)
        if word in DANGLING_WORDS:
            weigh(1.5, f"head ends with {word!r}, which cannot end a sentence")
            cut = True
        elif len(head) >= 2 and head[-1] in _CLASSIFIERS and head[-2] in _CN_DIGITS:
            weigh(1.5 if sentence_like else 1.0, f"head ends with a count {head[-2:]!r} waiting for its noun")
    if tail[0] in NOT_OPENING:
        weigh(1.5, f"tail starts with {tail[0]!r}, which does not open a sentence")
        cut = True
    if _open_brackets(head):
        weigh(1.0, "head leaves a quote or bracket open")
    if head_shape == "body":
        weigh(2.0, "head is body text")
    elif len(clauses) >= 3 and len(head) >= 30:
        weigh(1.5, "head runs on over several clauses")
    elif len(clauses) >= 2 and len(clauses[-1]) <= 4:
        weigh(1.5, "head stops right after starting a clause")
    if is_title:
        score -= 2.0
    elif in_title_zone and head_shape == "heading":
        score -= 0.5
    if _ENUMERATOR.match(head) and not numeral and not cut:
        score -= 0.5
    if tail_shape == "heading" and score < 3.0:
        score -= 1.0
    return JoinDecision(score >= 1.5, score, tuple(evidence))
