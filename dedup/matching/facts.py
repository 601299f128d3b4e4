"""Whether a paragraph says anything its covering copies do not: the guard on every removal.

A paragraph may go only when all of it survives elsewhere, as an equal copy or an edited copy that
states the same facts.  Names, numbers, dates, places and ordinals are facts: two formulaic sentences
that differ in one of them are different sentences however similar they are.  So the paragraph's key
is aligned character by character with each kept copy that covers it, and what stays unaligned is read:

- a digit, or a numeral in place of another or added: a fact of its own (a figure, a date, a
  statute's or a list's ordinal); a numeral in place of another character is a misread one;
  and every number must be stated as a whole by the copy (5万 is not a piece of 15万);
- two or more characters in place of other characters (a name, a place, an office swapped): a fact;
- one character in place of another, now and then (one per ``SLIP_EVERY`` characters, so none in
  a short line such as a credit): an OCR slip or a typo, the same sentence; unless it makes another
  well-known name in place of another (江西 for 广西: the dictionary lists both) or puts a
  word's opposite in its place (上 for 下, 增 for 减, 进 for 出): a slip makes a non-word, not
  another place or the reverse statement;
- a few characters the copy lacks, with nothing in their place (a lead-in such as 目前 / 会议强调): the
  same sentence, unless the tagger reads a proper noun there (a name, a place, an organisation)
  that the copy does not state anywhere, or they run straight into a noun and say which one
  (副部长 for 部长, 特约研究员 for 研究员; a lead-in ends at a pause, a particle is grammar);
- a longer stretch the copy lacks, or a negation (不, 非, 无 …) it lacks or has in its place: text
  of its own;
- and the other way round, a copy that holds every character but adds, between two that stand side
  by side in the paragraph, a negation (未通过 for 通过) or words that say which one of the noun
  after them (副部长 for 部长, 原书记 for 书记): it states something else, and what the paragraph
  states there is a fact of its own (``_changed_by_sources``).

And every sentence of the paragraph must survive as a sentence (``sentences``).

Only stretches of at least two aligned characters count as aligned: a lone shared character inside a
name (张三 / 张四) is a coincidence, not a match.  Bullets, dashes and other symbols are layout.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from itertools import pairwise

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq, MatchingBlock

from dedup.matching.core import compiled_tagger
from dedup.records import Key
from dedup.text.normalize import pauses

#: characters that state a number in Chinese text
NUMERALS = frozenset("0123456789零〇○一二三四五六七八九十百千万亿两")
#: words that turn a statement into its opposite (居民 / 非居民, 满 / 不满): never an edit
NEGATIONS = frozenset("不没无非未否勿莫")
#: characters whose exchange reverses or moves what is said (上升 / 下降, 进口 / 出口, 东部 /
#: 西部, a series' （上） / （下）): one in place of the other is never a slip
OPPOSITES = frozenset(
    frozenset(pair)
    for pair in (
        "上下 上中 中下 前后 左右 内外 东西 南北 东南 东北 西南 西北 "
        "增减 升降 涨跌 进出 出入 多少 大小 高低 长短 盈亏 买卖 男女 正负 首末 早晚"
    ).split()
)
#: jieba's tags of words that are grammar, not content: particles (的, 之), conjunctions (和),
#: prepositions (在)
GRAMMAR = ("u", "c", "p")
#: stretches shorter than this do not count as aligned
MIN_ALIGNED = 2
#: at most one OCR slip per this many characters (a worn copy changes more: it is other text)
SLIP_EVERY = 8
#: in a line shorter than this (a credit, a byline, a label) every character counts: 摄 after a
#: name makes a photo credit, 版面 for 版式 another role
SHORT_LINE = 16
#: the longest stretch a copy may lack and still state the same thing (a lead-in, a filler word)
MAX_INSERTION = 8
#: characters read on each side of an added stretch to tag the names in it
NAME_CONTEXT = 8
#: the longest negating word a copy may add (未, 没有, 并非, 从来没有)
NEGATING_WORD = 4
#: characters of the paragraph a copy must hold on each side of what it adds inside it (fewer are
#: paired by chance); found together in the copy, they are a phrase it repeats elsewhere
ACROSS = 4


@dataclass(frozen=True, slots=True)
class _Run:
    """A stretch of the paragraph that no copy holds."""

    start: int
    end: int
    #: the copy has nothing in its place (the paragraph adds it), rather than other characters
    inserted: bool
    #: what the copy has in its place (empty when inserted)
    facing: str = ""

    # written out, not left to ``dataclass``: compiled, it is C (``records`` says why)
    def __init__(self, start: int, end: int, inserted: bool, facing: str = "") -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "inserted", inserted)
        object.__setattr__(self, "facing", facing)


_NOT_CONTENT = re.compile(r"[\W_]+")


def _content(text: str) -> str:
    """Letters, digits and Han characters only (bullets, dashes, symbols are layout)."""
    return _NOT_CONTENT.sub("", text)


def source_window(text: str, source: str) -> str:
    """The stretch of a longer ``source`` that ``text`` was cut from (with room for a phrase it
    lost), so that its characters are not aligned with scattered ones elsewhere."""
    start, end = _window(text, source)
    return source[start:end]


@lru_cache(maxsize=1 << 13)
def _window(text: str, source: str) -> tuple[int, int]:
    """``source_window`` as offsets into ``source`` (remembered: the guard reads a pair's window
    for the text's characters, then again for the source's)."""
    if len(source) <= len(text) * 1.3 + 8:
        return 0, len(source)
    best = fuzz.partial_ratio_alignment(text, source)
    if best is None:
        return 0, len(source)
    slack = len(text) // 6 + 4
    return max(0, best.dest_start - slack), min(len(source), best.dest_end + slack)


@lru_cache(maxsize=1 << 13)
def matching_blocks(a: str, b: str) -> tuple[MatchingBlock, ...]:
    """The non-empty matching blocks of the longest common subsequence of ``a`` and ``b``
    (rapidfuzz), remembered: verification aligns an edited copy with its paragraph
    (``align.align``), then the fact guard aligns the same two keys again."""
    return tuple(block for block in LCSseq.opcodes(a, b).as_matching_blocks() if block.size)


#: a stretch of the paragraph between two aligned ones, and what the copy has in its place
_Gap = tuple[int, int, str]


def _aligned(text: str, source: str) -> tuple[int, list[_Gap]]:
    """Which characters of ``text`` align with ``source`` (stretches of ``MIN_ALIGNED`` or more), as
    a bit set (bit i: character i), and the stretches between them with what the source has in
    their place (``""``: nothing, the text adds it); no stretches where nothing aligns."""
    source = source_window(text, source)
    blocks = [b for b in matching_blocks(text, source) if b.size >= MIN_ALIGNED]
    if not blocks:
        return 0, []
    aligned = 0
    gaps: list[_Gap] = []
    at_text = at_source = 0
    for block in blocks:
        if block.a > at_text:
            gaps.append((at_text, block.a, source[at_source : block.b]))
        aligned |= ((1 << block.size) - 1) << block.a
        at_text, at_source = block.a + block.size, block.b + block.size
    if at_text < len(text):
        gaps.append((at_text, len(text), source[at_source:]))
    return aligned | _edges(text, source, blocks[0].a, at_text), gaps


def _edges(text: str, source: str, first: int, last: int) -> int:
    """An edge (before ``first``, from ``last`` on) that continues into an aligned stretch in the
    source is aligned, whichever equal character the alignment happened to pair it with."""
    edges = 0
    if first and text[: first + MIN_ALIGNED] in source:
        edges |= (1 << first) - 1
    if last < len(text) and text[last - MIN_ALIGNED :] in source:
        edges |= ((1 << (len(text) - last)) - 1) << last
    return edges


def _facing(gaps: list[_Gap], position: int) -> str | None:
    """What a source has in place of the unaligned character at ``position`` (``None``: the source
    aligns nowhere)."""
    for start, end, facing in gaps:
        if start <= position < end:
            return facing
    return None


_UNCOVERED = re.compile("0+")


def uncovered_runs(text: str, sources: Sequence[str], known: int = 0) -> list[_Run]:
    """The stretches of ``text`` (letters, digits, Han characters) that no source aligns with and
    ``known`` (a bit set) does not hold, each with what the sources have in its place: the first
    source's, unless it has nothing there and a later one has."""
    whole = (1 << len(text)) - 1
    covered = known & whole
    if covered == whole:
        return []  # every character known: no alignment can leave a run
    gaps: list[list[_Gap]] = []
    for source in sources:
        aligned, between = _aligned(text, source)
        covered |= aligned
        if covered == whole:
            return []  # every character aligned: the later sources cannot leave a run either
        gaps.append(between)
    runs: list[_Run] = []
    # the bits written out in character order (a set bit past the end stops the last run)
    for run in _UNCOVERED.finditer(format(covered | 1 << len(text), "b")[:0:-1]):
        face = None
        for between in gaps:
            other = _facing(between, run.start())
            face = face if face is not None and other != "" else other
        runs.append(_Run(run.start(), run.end(), face == "", face or ""))
    return runs


def _states_a_fact(
    text: str, run: _Run, slips: int, sources: Sequence[str], pauses: Callable[[], frozenset[int]] = frozenset
) -> bool:
    piece = text[run.start : run.end]
    if len(text) < SHORT_LINE or any(map(str.isdigit, piece)):
        return True
    if not NEGATIONS.isdisjoint(piece + run.facing):
        # 未完成 for 已完成, 非居民 for 居民: the statement turned round
        return True
    if run.inserted:
        if len(piece) > MAX_INSERTION or not NUMERALS.isdisjoint(piece):
            return True
        if _modifies_a_noun(text, run, pauses):
            return True
        if run.end - run.start < 2:
            return False  # one character is no name
        # a name the copy states elsewhere (习近平： over his own words) is no news
        # the tagger (jieba's, HMM on: ``tagger``) reads the run in its context: a few characters
        # each side are enough for a name and keep the tagging short
        from dedup.matching.tagger import proper_nouns  # rarely needed: most runs never tag

        left = max(0, run.start - NAME_CONTEXT)
        window = text[left : run.end + NAME_CONTEXT]
        names = [
            window[start:end]
            for start, end in proper_nouns(window)
            if left + start < run.end and run.start < left + end
        ]
        return any(not any(name in source for source in sources) for name in names)
    if _misread(piece, run.facing):
        # a numeral in place of a numeral is another number; in place of another character
        # (万 for 方, 千 for 于) it is a misread one
        if not NUMERALS.isdisjoint(piece) and not NUMERALS.isdisjoint(run.facing):
            return True
        if any(frozenset((a, b)) in OPPOSITES for a, b in zip(piece, run.facing, strict=True)):
            return True
        return slips > len(text) // SLIP_EVERY or _name_for_name(text, run)
    return True


def _modifies_a_noun(text: str, run: _Run, pauses: Callable[[], frozenset[int]]) -> bool:
    """The added stretch runs straight into a noun, or makes a noun of what follows it: it says
    which one (副部长 for 部长, 原书记 for 书记, 特约研究员 for 研究员).  A lead-in ends at a pause
    (目前，), an adverb goes before a verb (大力推动), and a particle, conjunction or preposition
    (两者的关系) is grammar: they leave what is said as it was."""
    if run.end >= len(text) or run.end - 1 in pauses():
        return False
    from dedup.matching.tagger import cut  # rarely needed: most runs never tag

    left = max(0, run.start - NAME_CONTEXT)
    position, last = left, "x"
    for word, flag in cut(text[left : run.end + NAME_CONTEXT]):
        if position == run.end:
            return flag.startswith("n") and not last.startswith(GRAMMAR)
        if position < run.end < position + len(word):
            return flag.startswith("n")  # the run and what follows it are one word
        position += len(word)
        last = flag
    return False


def _name_for_name(text: str, run: _Run) -> bool:
    """The run and what the copy has in its place each make a well-known name (江西 for 广西:
    ``tagger.well_known_names``): another place, not a slip, which makes a word no dictionary
    holds.  A name the tagger only guesses (an unlisted person's) cannot be told from a misread
    one, and stays a slip."""
    from dedup.matching.tagger import may_name_across, well_known_names  # rarely needed: most runs never tag

    left = max(0, run.start - NAME_CONTEXT)
    start, end = run.start - left, run.end - left
    window = text[left : run.end + NAME_CONTEXT]
    other = window[:start] + run.facing + window[end:]
    return all(
        may_name_across(side, start, end) and any(s < end and start < e for s, e in well_known_names(side))
        for side in (window, other)
    )


def _misread(piece: str, facing: str) -> bool:
    """As many characters in place of as many, no two misread ones side by side: OCR slips
    (曰本入 for 日本人), not a word swapped for another (张三 for 李四)."""
    if len(piece) != len(facing):
        return False
    differ = [a != b for a, b in zip(piece, facing, strict=True)]
    return not any(a and b for a, b in pairwise(differ))


#: a number as a whole: Arabic digits (with a decimal point or a percent), an ordinal (第十一), or a
#: run of several Chinese numerals (一百八十三)
_CN_NUMERALS = "零〇○一二三四五六七八九十百千万亿两"
#: (the look-ahead, which every match passes, only lets the search skip the other characters fast)
NUMBER = re.compile(
    rf"(?=[第0-9{_CN_NUMERALS}])(?:第?[0-9]+(?:\.[0-9]+)?%?|第[{_CN_NUMERALS}]+|[{_CN_NUMERALS}]{{2,}})"
)


@cache
def numbers_reader() -> Callable[[str], list[str]]:
    """``NUMBER.findall``, or its compiled twin (``compiled_tagger.numbers``: one pass in C) where
    the compiled tagger is built."""
    core = compiled_tagger()
    return NUMBER.findall if core is None else core.numbers


def _numbers_kept(text: str, sources: Sequence[str]) -> Iterator[str]:
    """The numbers of ``text`` that no source states as a whole (5万 is not in 15万, 3月1日 not
    in 3月12日, 第十条 not in 第十一条); the sources' are read only for one a source holds at all."""
    stated: frozenset[str] | None = None
    for number in numbers_reader()(text):
        for source in sources:
            if number in source:
                break
        else:
            yield number
            continue
        if stated is None:
            stated = frozenset().union(*map(_numbers_of, sources))
        if number not in stated:
            yield number


@lru_cache(maxsize=1 << 14)
def _numbers_of(source: str) -> frozenset[str]:
    # a kept paragraph covers many others: its numbers are read once
    return frozenset(numbers_reader()(source))


@lru_cache(maxsize=1 << 14)
def _source_content(source: str) -> str:
    # a key is letters, digits and Han characters as a rule (``isalnum`` is ``[\W_]``'s complement)
    return source if source.isalnum() else _content(source)


def own_content(
    text: str,
    sources: Sequence[str],
    covered: int = 0,
    paused: frozenset[int] = frozenset(),
    sources_paused: Sequence[frozenset[int]] | None = None,
) -> list[str]:
    """The stretches of ``text`` that no source holds and that state a fact (see the module).
    ``covered``: characters of ``text`` already known to be held by the sources, as a bit set
    (those that shared word shingles with them: contiguous evidence that no alignment needs);
    ``paused``: characters after which the text as written pauses (``normalize.pauses``: a key
    has lost its punctuation), besides those ``text`` itself shows; ``sources_paused``: the same
    for each source (by default what each shows)."""
    return list(_facts(text, sources, covered, lambda: paused, _given(sources_paused)))


def _given(sources_paused: Sequence[frozenset[int]] | None) -> list[Callable[[], frozenset[int]]] | None:
    """Pauses given for each source, in the form ``_facts`` reads them (``None``: none given)."""
    if sources_paused is None:
        return None
    # (``frozenset`` of a frozenset is that frozenset)
    return [partial(frozenset, known) for known in sources_paused]


def _facts(
    text: str,
    sources: Sequence[str],
    covered: int,
    paused: Callable[[], frozenset[int]],
    sources_paused: Sequence[Callable[[], frozenset[int]]] | None = None,
) -> Iterator[str]:
    """``own_content``, one stretch at a time (``states_nothing_new`` stops at the first); where
    the content pauses is worked out only if a stretch asks (``_modifies_a_noun``), and so is
    where each source's does (``sources_paused``, as ``paused`` for the text; by default what
    the sources as written show)."""
    if text.isalnum():
        # the usual key: every character is content
        known = covered & ((1 << len(text)) - 1)
        last = len(text) - 1
        pauses = _once(lambda: frozenset(i for i in paused() if 0 <= i <= last) | {last})
    else:
        keep = [position for position, ch in enumerate(text) if ch.isalnum()]
        text, known = _content_only(text, covered, keep)
        if not text:
            return
        pauses = _once(lambda: _content_pauses(keep, paused()))
    slips = 0
    if sources_paused is None:
        sources_paused = [partial(_pauses_as_written, source) for source in sources]
    sources = list(map(_source_content, sources))
    yield from _numbers_kept(text, sources)
    for run in uncovered_runs(text, sources, known):
        if not run.inserted and _misread(text[run.start : run.end], run.facing):
            slips += sum(a != b for a, b in zip(text[run.start : run.end], run.facing, strict=True))
        if _states_a_fact(text, run, slips, sources, pauses):
            yield text[run.start : run.end]
    yield from _changed_by_sources(text, sources, sources_paused)


def _changed_by_sources(
    text: str, sources: Sequence[str], sources_paused: Sequence[Callable[[], frozenset[int]]]
) -> Iterator[str]:
    """Where a source holds all of ``text`` and yet says something else: between two characters
    side by side in ``text`` it adds a negation (未通过 for 通过) or a word that says which one of
    the noun that follows (副部长 for 部长, 原书记 for 书记, 代市长 for 市长: ``_says_which``).
    The text's own statement is then in no source, and its characters there are a fact.  What a
    source adds at an edge is the rest of a text this one was cut from, and a clause it adds
    (more than ``MAX_INSERTION`` characters) says more without changing what the text says."""
    for source, source_paused in zip(sources, sources_paused, strict=True):
        if text in source:
            continue  # nothing between any two of its characters
        offset, stop = _window(text, source)
        window = source[offset:stop]
        blocks = [b for b in matching_blocks(text, window) if b.size >= MIN_ALIGNED]
        for before, after in pairwise(blocks):
            start, end = before.b + before.size, after.b
            if before.a + before.size != after.a or start >= end or end - start > MAX_INSERTION:
                continue  # text has characters of its own here (``uncovered_runs``), or a clause is added
            if min(before.size, after.size) < ACROSS:
                continue  # a few characters paired by chance (a short piece against a long text)
            if text[after.a - ACROSS : after.a + ACROSS] in source:
                continue  # the alignment paired a repeated phrase with its other occurrence
            # (the same characters may stand a little earlier or later: 家庭|的小型化，家庭|成员)
            placements = _placements(window, start, end, before.b, after.b + after.size)
            paused = _shifted(source_paused, offset)
            if all(_changes_what_follows(window, at, to, paused) for at, to in placements):
                yield text[after.a : after.a + 2]


def _placements(text: str, start: int, end: int, low: int, high: int) -> list[tuple[int, int]]:
    """The stretches of ``text`` the alignment could equally have called added, ``[start, end)``
    among them: shifted while the character leaving one end is the one joining the other (within
    ``[low, high)``, the aligned stretches on each side)."""
    found = [(start, end)]
    at, to = start, end
    while at > low and text[at - 1] == text[to - 1]:
        at, to = at - 1, to - 1
        found.append((at, to))
    at, to = start, end
    while to < high and text[at] == text[to]:
        at, to = at + 1, to + 1
        found.append((at, to))
    return found


def _changes_what_follows(text: str, start: int, end: int, paused: frozenset[int]) -> bool:
    """Whether ``text[start:end]``, added by a source, changes what the words after it say: a
    negation (at most ``NEGATING_WORD`` characters) or words that say which one (``_says_which``),
    running straight into them (not a lead-in of its own: 其后不久，)."""
    if end - 1 in paused:
        return False
    added = text[start:end]
    return (len(added) <= NEGATING_WORD and not NEGATIONS.isdisjoint(added)) or _says_which(text, start, end)


#: the word classes that say which one of a noun they come before: nouns (原 in 原书记, 国家 in
#: 国家机关), distinguishing words (副, 女), adjectives (大型), locality words (前 in 前部长)
MODIFIERS = ("n", "b", "a", "f")


def _says_which(text: str, start: int, end: int) -> bool:
    """Whether the words of ``text[start:end]`` (a stretch a source adds) say which one of the noun
    right after them: they are words of their own (not the end of the word before: 青海省 for 青海),
    and the last is a modifier (``MODIFIERS``: not an adverb, 都令人, or a lead-in, 目前我国) right
    before a noun; or they make one noun with what follows (代市长)."""
    if end >= len(text):
        return False
    from dedup.matching.tagger import cut  # rarely needed: most sources add nothing inside

    position = max(0, start - NAME_CONTEXT)
    last = ""
    for word, flag in cut(text[position : end + NAME_CONTEXT]):
        stop = position + len(word)
        if position < start < stop:
            return False  # the stretch ends a word that began before it
        if position < end < stop:
            return flag.startswith("n")  # one word with what follows
        if position == end:
            return last.startswith(MODIFIERS) and flag.startswith("n")
        if position >= start:
            last = flag
        position = stop
    return False


def _shifted(paused: Callable[[], frozenset[int]], offset: int) -> frozenset[int]:
    """Pauses of a source as positions in its window from ``offset`` on."""
    return frozenset(i - offset for i in paused() if i >= offset)


def _pauses_as_written(source: str) -> frozenset[int]:
    """Where a source given as written pauses, as positions in its content (``_source_content``):
    after each character that a symbol follows; nothing known for a key (all content)."""
    if source.isalnum():
        return frozenset()
    return _content_pauses([position for position, ch in enumerate(source) if ch.isalnum()], frozenset())


def _key_pauses(text: str, source: str, breaks: tuple[tuple[int, int], ...]) -> frozenset[int]:
    """Where a key pauses (``normalize.pauses``), as positions in its content."""
    paused = pauses(Key(text, source, 0, breaks))
    if text.isalnum():
        return paused
    return _content_pauses([position for position, ch in enumerate(text) if ch.isalnum()], paused)


def _content_only(text: str, covered: int, keep: list[int]) -> tuple[str, int]:
    """``text`` without its symbols (``keep``: the positions of the characters left), with
    ``covered`` moved to the characters left."""
    known = 0
    for i, position in enumerate(keep):
        known |= (covered >> position & 1) << i
    return "".join(text[position] for position in keep), known


def _content_pauses(keep: list[int], paused: frozenset[int]) -> frozenset[int]:
    """``paused`` moved to the characters left (``keep``): a character before a dropped one pauses."""
    return frozenset(
        i for i, (at, after) in enumerate(pairwise([*keep, -1])) if after != at + 1 or at in paused
    )


def states_nothing_new(
    text: str,
    sources: Sequence[str],
    covered: int = 0,
    paused: frozenset[int] = frozenset(),
    sources_paused: Sequence[frozenset[int]] | None = None,
) -> bool:
    """Every fact of ``text`` is in ``sources``: removing it loses nothing (``paused``,
    ``sources_paused``: see ``own_content``)."""
    return _nothing_new(
        text, tuple(sources), covered, paused, None if sources_paused is None else tuple(sources_paused)
    )


@lru_cache(maxsize=1 << 15)
def _nothing_new(
    text: str,
    sources: tuple[str, ...],
    covered: int,
    paused: frozenset[int],
    sources_paused: tuple[frozenset[int], ...] | None,
) -> bool:
    # a document's resolution asks again after each removal (strings hash once: cheap keys)
    return next(_facts(text, sources, covered, lambda: paused, _given(sources_paused)), None) is None


def key_states_nothing_new(key: Key, sources: Sequence[Key], covered: int = 0) -> bool:
    """``states_nothing_new(key.text, [s.text for s in sources], covered, normalize.pauses(key))``,
    the pauses worked out only if a stretch asks, and each source's pauses its key's own."""
    return _key_nothing_new(
        key.text,
        key.source,
        key.breaks,
        tuple([s.text for s in sources]),
        covered,
        tuple([(s.source, s.breaks) for s in sources]),
    )


_Written = tuple[str, tuple[tuple[int, int], ...]]


@lru_cache(maxsize=1 << 15)
def _key_nothing_new(
    text: str,
    source: str,
    breaks: tuple[tuple[int, int], ...],
    sources: tuple[str, ...],
    covered: int,
    written: tuple[_Written, ...],
) -> bool:
    # remembered by the keys' texts, not their places (where a key pauses does not depend on its
    # offset): a paragraph copied into many articles is asked again in each
    paused = _once(lambda: pauses(Key(text, source, 0, breaks)))
    sources_paused = [
        _once(partial(_key_pauses, s, *as_written)) for s, as_written in zip(sources, written, strict=True)
    ]
    return next(_facts(text, sources, covered, paused, sources_paused), None) is None


def _once(read: Callable[[], frozenset[int]]) -> Callable[[], frozenset[int]]:
    """``read``, called on first use only."""
    found: list[frozenset[int]] = []

    def get() -> frozenset[int]:
        if not found:
            found.append(read())
        return found[0]

    return get
