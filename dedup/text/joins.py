"""Broken paragraphs: which two neighbours the page layout cut apart, and why we think so.

A *broken paragraph* is a body paragraph that the layout cut mid-sentence or
mid-word; its continuation is the next kept paragraph.  The decision weighs
evidence rather than following one rule: how the head ends (no final
punctuation, a dangling list numeral ``。四``, an open quote or bracket), how the
tail starts (with a character or word that cannot open a sentence), and whether
jieba finds a word across the joint (``没有主`` + ``管单位`` -> ``主管``).
Heading-shaped heads (``shape``) weigh less: a title is never joined forward.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import pairwise

from dedup.records import Join, Paragraph, Shape
from dedup.text.shape import CLOSERS, FINAL, ends_open
from dedup.text.words import tokenize

_ONE_TO_TEN = "一二三四五六七八九十"
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
_LIST_NUMERAL = re.compile(rf"[。！？；;]\s*([{_ONE_TO_TEN}]{{1,2}}|[0-9]{{1,2}}|第[{_ONE_TO_TEN}]{{1,3}})$")
#: the characters a ``_LIST_NUMERAL`` match ends with
_NUMERAL_ENDS = frozenset(_ONE_TO_TEN + "0123456789")
#: characters that rarely or never open a sentence in Chinese
NOT_OPENING = set("，、。；：？！,.;:?!）)」』”’》〉】的了着过地得们吗呢吧啊么")

_ENUMERATOR = re.compile(
    rf"^(?:[{_ONE_TO_TEN}]{{1,3}}[、，．.]|[（(][{_ONE_TO_TEN}0-9]{{1,3}}[）)]|[0-9]{{1,2}}[、．.])"
)
BARE_NUMERAL = re.compile(rf"[{_ONE_TO_TEN}]{{1,2}}|第[{_ONE_TO_TEN}]{{1,3}}|[0-9]{{1,2}}")
_NUMBER_GOES_ON = set("0123456789０１２３４５６７８９多余万亿千百年月日号%％个")
#: punctuation that separates the clauses of a sentence
CLAUSE_MARKS = "，,、：:"
CLAUSE = re.compile(f"[{CLAUSE_MARKS}]")


#: single-character words that cannot end a sentence: particles, prepositions, conjunctions
DANGLING_WORDS = set("的地得之和与及或在对把被向从为将使让给于以而并且但是")
_CN_DIGITS = set("零〇○" + _ONE_TO_TEN + "百千万亿两")
_CLASSIFIERS = set("个位名项条次起家件种批座支只张些场届")

#: one piece of evidence: the points it adds to the score, and what it is
_Weight = tuple[float, str]


@dataclass(frozen=True, slots=True)
class JoinDecision:
    """Whether to re-join, the score that decided it (joins at 1.5), and the evidence in
    the order it was weighed (reported with every ``Join``)."""

    join: bool
    score: float
    evidence: tuple[str, ...]

    # written out, not left to ``dataclass``: compiled, it is C (``records`` says why)
    def __init__(self, join: bool, score: float, evidence: tuple[str, ...]) -> None:
        object.__setattr__(self, "join", join)
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "evidence", evidence)


_NO_JOIN = JoinDecision(False, 0.0, ())


#: every quote or bracket character of ``_PAIRS`` (``_open_brackets`` reads only these)
_BRACKETS = re.compile("[" + re.escape("".join(_PAIRS) + "".join(_PAIRS.values())) + "]")


def _open_brackets(text: str) -> bool:
    depth: dict[str, int] = {}
    for ch in _BRACKETS.findall(text):
        if ch in _PAIRS:
            depth[ch] = depth.get(ch, 0) + 1
        else:
            for opener, closer in _PAIRS.items():
                if ch == closer and depth.get(opener, 0) > 0:
                    depth[opener] -= 1
    return any(v > 0 for v in depth.values())


def word_across(head: str, tail: str, segmenter: str = "jieba") -> bool:
    """jieba finds a word spanning the joint (``没有主`` + ``管单位`` -> ``主管``)."""
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
    words = tokenize(head[-6:], segmenter)
    return words[-1] if words else ""


def _first_word(tail: str, segmenter: str) -> str:
    words = tokenize(tail[:6], segmenter)
    return words[0] if words else ""


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
        return _NO_JOIN
    # (a list numeral ends the head: most heads end otherwise, and are not searched)
    numeral = _LIST_NUMERAL.search(head) if head[-1] in _NUMERAL_ENDS else None
    stop = _how_the_head_stops(head, numeral)
    if stop is None:
        return _NO_JOIN
    clauses = CLAUSE.split(head)
    # a single-clause heading ending in a name makes accidental words with the
    # next line (…董伟 + 大庆… -> 伟大), so a word across counts less there
    sentence_like = head_shape == "body" or len(clauses) >= 2
    cut_weights, cut = _signs_of_a_cut(head, tail, numeral is not None, sentence_like, segmenter)
    weights = [stop, *cut_weights, *_how_the_head_reads(head, head_shape, clauses)]
    score = 0.0
    for points, _ in weights:
        score += points
    score -= _title_discount(head_shape, is_title, in_title_zone)
    if _ENUMERATOR.match(head) and not numeral and not cut:
        score -= 0.5
    if tail_shape == "heading" and score < 3.0:
        score -= 1.0
    return JoinDecision(score >= 1.5, score, tuple(why for _, why in weights))


def _how_the_head_stops(head: str, numeral: re.Match[str] | None) -> _Weight | None:
    """The first piece of evidence, without which there is no join: the head stops on a
    dangling list numeral, or without final punctuation (``None``: it ends a sentence)."""
    if BARE_NUMERAL.fullmatch(head):
        return 2.0, f"head is a bare list numeral {head!r}"
    if numeral:
        return 2.0, f"head ends with list numeral {numeral.group(1)!r}"
    if not ends_open(head):
        return None
    return 0.0, "head lacks final punctuation"


def _signs_of_a_cut(
    head: str, tail: str, numeral: bool, sentence_like: bool, segmenter: str
) -> tuple[list[_Weight], bool]:
    """Evidence that the joint cuts through a word, a number or a phrase, and whether
    any of it shows an actual cut (a count waiting for its noun weighs, but is no cut)."""
    weights: list[_Weight] = []
    cut = False
    if word_across(head, tail, segmenter):
        weights.append((2.0 if sentence_like else 1.0, "a word spans the joint"))
        cut = True
    end = _broken_end(head, tail, numeral, sentence_like, segmenter)
    if end is not None:
        weight, is_cut = end
        weights.append(weight)
        cut = cut or is_cut
    if tail[0] in NOT_OPENING:
        weights.append((1.5, f"tail starts with {tail[0]!r}, which does not open a sentence"))
        cut = True
    return weights, cut


def _broken_end(
    head: str, tail: str, numeral: bool, sentence_like: bool, segmenter: str
) -> tuple[_Weight, bool] | None:
    """How the head's last characters hang: a number that goes on in the tail, a word
    that cannot end a sentence, or a count waiting for its noun; with whether it is a cut."""
    last = head[-1]
    if (last.isdigit() or last in _CN_DIGITS) and (tail[0] in _NUMBER_GOES_ON or tail[0] in _CN_DIGITS):
        return (1.5, "a number spans the joint"), True
    if numeral or not _is_han(last):
        return None
    word = _last_word(head, segmenter)
    if word in DANGLING_WORDS:
        return (1.5, f"head ends with {word!r}, which cannot end a sentence"), True
    if len(head) >= 2 and head[-1] in _CLASSIFIERS and head[-2] in _CN_DIGITS:
        points = 1.5 if sentence_like else 1.0
        return (points, f"head ends with a count {head[-2:]!r} waiting for its noun"), False
    return None


def _how_the_head_reads(head: str, head_shape: Shape, clauses: list[str]) -> list[_Weight]:
    """Evidence from the head as a whole: an open quote or bracket, body text, or a
    heading-shaped line that reads like part of a sentence."""
    weights: list[_Weight] = []
    if _open_brackets(head):
        weights.append((1.0, "head leaves a quote or bracket open"))
    if head_shape == "body":
        weights.append((2.0, "head is body text"))
    elif len(clauses) >= 3 and len(head) >= 30:
        weights.append((1.5, "head runs on over several clauses"))
    elif len(clauses) >= 2 and len(clauses[-1]) <= 4:
        weights.append((1.5, "head stops right after starting a clause"))
    return weights


def _title_discount(head_shape: Shape, is_title: bool, in_title_zone: bool) -> float:
    """A title is almost never broken; a heading above the first body text rarely is."""
    if is_title:
        return 2.0
    if in_title_zone and head_shape == "heading":
        return 0.5
    return 0.0


#: words that name who wrote or photographed a piece: a byline or credit goes on with names
_ROLE = r"(?:记者|通讯员|摄影|摄|编辑|撰文|撰稿|作者|特约撰稿人|实习生)"
_NAME = r"[\u4e00-\u9fff·]{2,4}"
_GAP = r"[ \u3000\u00a0、]+"
#: a byline or credit still open: a role, maybe names, and the line stops (before more names)
_OPEN_BYLINE = re.compile(rf"{_ROLE}(?:(?:{_GAP})?{_NAME})*(?:{_GAP})?$")
#: a line of names only, maybe closing the credit's bracket (and a dateline after it)
_NAME_LIST = re.compile(rf"{_NAME}(?:{_GAP}{_NAME})*(?:[）)].*)?$")
_DIGITS = frozenset("0123456789")
#: particles that, as words of their own, never open a sentence (的确, 地点, 过去 are other words)
_PARTICLES = frozenset("的了着过地得们吗呢吧啊么")
#: punctuation that never opens a sentence
_CANNOT_OPEN = frozenset("，、。；：？！,.;:?!）)」』”’》〉】〕")


def _closes_in(head: str, tail: str) -> bool:
    """A quote or bracket left open at the end of ``head`` is closed in ``tail``."""
    depth: list[str] = []
    for ch in head:
        if ch in _PAIRS:
            depth.append(_PAIRS[ch])
        elif depth and ch == depth[-1]:
            depth.pop()
    if not depth:
        return False
    closer = depth[-1]
    opener = next(o for o, c in _PAIRS.items() if c == closer)
    at = tail.find(closer)
    return at >= 0 and (opener == closer or opener not in tail[:at])


def _names_go_on(head: str, tail: str, open_end: bool) -> bool:
    """A byline or credit cut inside its list of names: the head stops on its role (记者) or, with
    a space left before the break, on a name; the tail is nothing but more names (and the bracket
    that closes the credit).  A complete byline followed by a sentence is not that."""
    byline = _OPEN_BYLINE.search(head[-40:])
    if byline is None:
        return False
    ends_on_role = re.search(rf"{_ROLE}$", head) is not None
    return (ends_on_role or open_end) and _NAME_LIST.match(tail) is not None


def decide_line_join(
    head: str,
    tail: str,
    *,
    ahead: str = "",
    is_title: bool = False,
    segmenter: str = "jieba",
) -> JoinDecision:
    """Should ``tail`` continue ``head`` in a document laid out one paragraph per line?

    There the line breaks are the page's own, so a break is undone only on direct evidence that
    it falls inside a unit: a quote, bracket or book title left open and closed on the next line
    (``ahead``: the tail and the lines after it); a last word that cannot end a phrase (的, 和,
    在 … as words of their own: 作为 or 高地 end fine); a next line opening on punctuation; a byline
    or credit whose list of names goes on (``head`` is given with the spaces that end its line: a
    list in progress ends in one); a figure of a sentence cut in two.  A line ending in
    punctuation ended where its writer ended it (verse, lists, attribution lines): never joined;
    nor is a title joined forward but for a bracket.
    """
    stripped = head.rstrip()
    open_end = stripped != head.rstrip("\r\n")
    tail = tail.lstrip()
    if not stripped or not tail:
        return JoinDecision(False, 0.0, ())
    last = stripped[-1]
    if last in FINAL or last in CLOSERS or last in "，,、":
        return JoinDecision(False, 0.0, ())
    evidence: list[str] = []
    if _closes_in(stripped, ahead or tail):
        evidence.append("a quote or bracket opened in head closes in tail")
    if not is_title:
        first = tail[0] if tail[0] in _CANNOT_OPEN else _first_word(tail, segmenter)
        if first in _CANNOT_OPEN or first in _PARTICLES:
            evidence.append(f"tail starts with {first!r}, which does not open a sentence")
        if _is_han(last) and last in DANGLING_WORDS and not stripped[-2:-1].isspace():
            word = _last_word(stripped, segmenter)
            if word in DANGLING_WORDS:
                evidence.append(f"head ends with the word {word!r}, which cannot end a phrase")
        if _names_go_on(stripped, tail, open_end):
            evidence.append("a byline or credit goes on with more names")
        if last in _DIGITS and tail[0] in _NUMBER_GOES_ON and any(_is_han(ch) for ch in stripped):
            # a figure in a sentence, cut (a bare number standing alone is a label)
            evidence.append("a number spans the joint")
    score = 2.0 * len(evidence)
    return JoinDecision(bool(evidence), score, tuple(evidence))


#: characters of a run of joined lines that the next decision reads (brackets left open, the last word)
LINE_JOIN_WINDOW = 1024


def join_lines(
    text: str, paragraphs: Sequence[Paragraph], removed: Collection[int], segmenter: str = "jieba"
) -> list[Join]:
    """The joins of a page laid out one paragraph per line (``decide_line_join``), between kept
    lines that only a line ending separates (removed lines aside: cleaning the cleaned text joins
    nothing more).  Decided from the first line on: a line joined to the one before is judged as
    part of the paragraph it now belongs to, and a bracket may close a few lines on."""
    kept = [p for p in paragraphs if p.index not in removed and p.has_content]
    first_index = next((p.index for p in paragraphs if p.has_content), -1)
    joins: list[Join] = []
    current = ""
    for position, (head, tail) in enumerate(pairwise(kept)):
        line_end = text.find("\n", head.end)
        head_text = text[head.content_start : line_end if line_end >= 0 else len(text)].rstrip("\r")
        current = current + head_text if joins and joins[-1].tail == head.index else head_text
        # what the decision reads of a long run of joined lines: its end (a chain stays linear)
        current = current[-LINE_JOIN_WINDOW:]
        # paragraph indices are positions: those between head and tail are the removed ones
        between = tail.index - head.index - 1
        if text.count("\n", head.end, tail.start) != 1 + between:
            continue  # a blank or separator line: a new section, never joined
        tail_text = text[tail.content_start : tail.content_end]
        ahead = "".join(text[p.content_start : p.content_end] for p in kept[position + 1 : position + 4])
        verdict = decide_line_join(
            current, tail_text, ahead=ahead, is_title=head.index == first_index, segmenter=segmenter
        )
        if verdict.join:
            joins.append(joined(head, tail, verdict))
    return joins


def joined(head: Paragraph, tail: Paragraph, verdict: JoinDecision) -> Join:
    """The record of a join: what the cleaned copy removes between the halves, and why."""
    return Join(
        head=head.index,
        tail=tail.index,
        start=head.content_end,
        end=tail.content_start,
        score=round(verdict.score, 2),
        evidence=verdict.evidence,
    )
