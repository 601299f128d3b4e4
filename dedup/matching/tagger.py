"""jieba's part-of-speech tagger (``jieba.posseg.cut``, HMM on), over tables that load in
milliseconds (``lexicon``), its Viterbi compiled where the compiled core is built and its route
through the dictionary's words where the compiled word cut is (``Words.route``: the word cut's trie
of the same dictionary); the pure twins stay (``DEDUP_PURE=1``) and the tests compare them.

The port follows jieba 0.42.1's code step by step (the DAG of dictionary words and the route
through it; runs of characters the route leaves single go to the HMM when they are not a word)
and gives its (word, flag) sequence exactly: the tests compare it with ``jieba.posseg.cut``
itself on the fixtures' paragraphs and on generated text, for both Viterbi implementations.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache, lru_cache
from math import log

import numpy as np

from dedup.matching.core import Hmm, compiled_tagger
from dedup.matching.lexicon import MIN_FLOAT, PROPER, WELL_KNOWN, Tables, tables

Pair = tuple[str, str]

# jieba.posseg's expressions, as it writes them
_HAN_DETAIL = re.compile("([\u4e00-\u9fd5]+)")
_SKIP_DETAIL = re.compile(r"([\.0-9]+|[a-zA-Z0-9]+)")
_HAN_INTERNAL = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._]+)")
_SKIP_INTERNAL = re.compile(r"(\r\n|\s)")
_ENG = re.compile("[a-zA-Z0-9]+")
_NUM = re.compile(r"[\.0-9]+")


def viterbi(
    allowed: np.ndarray,
    emit: np.ndarray,
    start: np.ndarray,
    trans: np.ndarray,
    has_trans: np.ndarray,
) -> list[int]:
    """``jieba.posseg.viterbi.viterbi`` over state numbers: the best state of each observation.
    ``allowed[t]``: the states observation t may take; ``emit[t]``: its emission log
    probabilities.  The same sums in the same order; ties go to the larger state, as in jieba's
    ``max`` over (probability, state) tuples."""
    size = start.shape[0]
    has_next = np.asarray(np.asarray(has_trans).any(axis=1))
    states = np.flatnonzero(allowed[0])
    scores = start[states] + emit[0, states]
    back: list[dict[int, int]] = []
    for t in range(1, allowed.shape[0]):
        keep = has_next[states]
        # descending, so that argmax (the first of equal values) takes the larger state
        previous, before = states[keep][::-1], scores[keep][::-1]
        if previous.size == 0:
            raise ValueError("max() arg is an empty sequence")  # what jieba raises here
        expect = np.asarray(has_trans)[previous].any(axis=0)
        states = np.flatnonzero(np.asarray(allowed[t], dtype=bool) & expect)
        if states.size == 0:
            states = np.flatnonzero(expect) if expect.any() else np.arange(size)
        values = before[:, None] + trans[np.ix_(previous, states)] + emit[t, states][None, :]
        best = values.argmax(axis=0)
        scores = values[best, np.arange(states.size)]
        back.append(dict(zip(states.tolist(), previous[best].tolist(), strict=True)))
    if states.size == 0:
        raise ValueError("max() arg is an empty sequence")
    state = int(states[states.size - 1 - int(scores[::-1].argmax())])
    route = [state]
    for path in reversed(back):
        state = path[state]
        route.append(state)
    return route[::-1]


def observations(sentence: str, table: Tables) -> tuple[np.ndarray, np.ndarray]:
    """The HMM's observations of ``sentence``: by character, the states it may take (any, where
    jieba's ``char_state_tab_P`` lacks it) and its emission log probabilities (``MIN_FLOAT``
    where ``emit_P`` lacks it), each picked from the tables in one call."""
    allowed_rows = np.array([table.allowed_row.get(c, -1) for c in sentence], dtype=np.intp)
    emit_rows = np.array([table.emit_row.get(c, -1) for c in sentence], dtype=np.intp)
    allowed = table.allowed[allowed_rows]
    allowed[allowed_rows < 0] = 1
    emit = table.emit[emit_rows]
    emit[emit_rows < 0] = MIN_FLOAT
    return allowed, emit


@cache
def compiled_hmm() -> Hmm | None:
    """``viterbi`` compiled over the tagger's tables, held once (``compiled_tagger.PosHmm``: each run's
    observations are rows of them, no array built per run), or ``None`` without the compiled core."""
    core = compiled_tagger()
    if core is None:
        return None
    table = tables()
    return core.PosHmm(table.start, table.trans, table.has_trans, table.allowed, table.emit, MIN_FLOAT)


@lru_cache(maxsize=4096)
def _hmm(sentence: str) -> tuple[Pair, ...]:
    """``POSTokenizer.__cut``: a run of Han characters through the HMM (remembered: the same
    runs come back, a name in one window and the next)."""
    table = tables()
    compiled = compiled_hmm()
    if compiled is not None:
        rows = table.allowed_row, table.emit_row
        best = compiled.best([rows[0].get(c, -1) for c in sentence], [rows[1].get(c, -1) for c in sentence])
    else:
        allowed, emit = observations(sentence, table)
        best = viterbi(allowed, emit, table.start, table.trans, table.has_trans)
    tags = [table.states[state] for state in best]
    pairs = []
    begin = next_at = 0
    for i, char in enumerate(sentence):
        pos = tags[i][0]
        if pos == "B":
            begin = i
        elif pos == "E":
            pairs.append((sentence[begin : i + 1], tags[i][1]))
            next_at = i + 1
        elif pos == "S":
            pairs.append((char, tags[i][1]))
            next_at = i + 1
    if next_at < len(sentence):
        pairs.append((sentence[next_at:], tags[next_at][1]))
    return tuple(pairs)


def _detail(sentence: str, table: Tables) -> Iterator[Pair]:
    """``POSTokenizer.__cut_detail``: a run the dictionary does not know."""
    for block in _HAN_DETAIL.split(sentence):
        if _HAN_DETAIL.match(block):
            yield from _hmm(block)
            continue
        for x in _SKIP_DETAIL.split(block):
            if x:
                yield x, "m" if _NUM.match(x) else "eng" if _ENG.match(x) else "x"


def route(sentence: str, frequency: Callable[[str], int | None], total: int) -> list[int]:
    """``Tokenizer.get_DAG`` and ``Tokenizer.calc`` over a dictionary (``frequency``: ``FREQ.get``,
    ``total``: the sum of its words' frequencies): where the best word from each position ends.
    The pure twin of the compiled ``Words.route`` (``compiled_route``)."""
    n = len(sentence)
    dag: list[list[int]] = []
    for k in range(n):
        ends = []
        i = k
        frag = sentence[k]
        while i < n:
            freq = frequency(frag)
            if freq is None:
                break
            if freq:
                ends.append(i)
            i += 1
            frag = sentence[k : i + 1]
        dag.append(ends or [k])
    logtotal = log(total)
    best: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)
    for idx in range(n - 1, -1, -1):
        best[idx] = max(
            (log(frequency(sentence[idx : x + 1]) or 1) - logtotal + best[x + 1][0], x) for x in dag[idx]
        )
    return [end for _, end in best[:n]]


@cache
def compiled_route() -> Callable[[str], list[int]] | None:
    """``route`` compiled: ``Words.route`` over the word cut's trie of jieba's dictionary
    (``dedup/text/compiled_words.pyx``: each node gives ``log(freq) - log(total)``, the double
    ``route`` adds), or ``None`` where it is not built, ``DEDUP_PURE=1``, or its dictionary is not
    the one of the tagger's tables (another total)."""
    from dedup.text.words import word_table

    words = word_table()
    if words is None or words.total != tables().total:
        return None
    found: Callable[[str], list[int]] = words.route
    return found


def _tag(word: str, table: Tables) -> str:
    """``word_tag_tab.get(word, "x")``."""
    tag = table.entry(word)[1]
    return "x" if tag is None else tag


def _buffered(buf: str, table: Tables) -> Iterator[Pair]:
    """The single characters the route left in a row."""
    if len(buf) == 1:
        yield buf, _tag(buf, table)
    elif not table.entry(buf)[0]:
        yield from _detail(buf, table)
    else:
        for elem in buf:
            yield elem, _tag(elem, table)


def _dag(sentence: str, table: Tables) -> Iterator[Pair]:
    """``POSTokenizer.__cut_DAG``: dictionary words, and the HMM between them."""
    fast = compiled_route()
    ends = route(sentence, table.frequency, table.total) if fast is None else fast(sentence)
    x = 0
    buf = ""
    while x < len(sentence):
        y = ends[x] + 1
        word = sentence[x:y]
        if y - x == 1:
            buf += word
        else:
            if buf:
                yield from _buffered(buf, table)
                buf = ""
            yield word, _tag(word, table)
        x = y
    if buf:
        yield from _buffered(buf, table)


def cut(sentence: str) -> list[Pair]:
    """``[(w.word, w.flag) for w in jieba.posseg.cut(sentence)]``."""
    table = tables()
    pairs: list[Pair] = []
    for block in _HAN_INTERNAL.split(sentence):
        if _HAN_INTERNAL.match(block):
            pairs.extend(_dag(block, table))
            continue
        for x in _SKIP_INTERNAL.split(block):
            if _SKIP_INTERNAL.match(x):
                pairs.append((x, "x"))
                continue
            for xx in x:
                pairs.append((xx, "m" if _NUM.match(xx) else "eng" if _ENG.match(x) else "x"))
    return pairs


@lru_cache(maxsize=4096)
def proper_nouns(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of the words jieba's tagger reads as proper nouns (names, places, organisations)."""
    spans = []
    position = 0
    for word, flag in cut(text):
        if flag.startswith(PROPER):
            spans.append((position, position + len(word)))
        position += len(word)
    return tuple(spans)


@lru_cache(maxsize=4096)
def well_known_names(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of the proper nouns of ``text`` of two or more characters that jieba's dictionary lists
    as such at least ``WELL_KNOWN`` times (江西, 广西): not those its HMM guesses from unknown
    characters, which a misread character makes, nor a lone surname."""
    table = tables()
    spans = []
    position = 0
    for word, flag in cut(text):
        count, listed = table.entry(word)
        if (
            len(word) > 1
            and flag.startswith(PROPER)
            and listed is not None
            and listed.startswith(PROPER)
            and (count or 0) >= WELL_KNOWN
        ):
            spans.append((position, position + len(word)))
        position += len(word)
    return tuple(spans)


def may_name_across(text: str, start: int, end: int) -> bool:
    """Whether some stretch of ``text`` of two or more characters that overlaps ``[start, end)`` is
    a well-known name of the dictionary (``well_known_names``' test of a word: ``Tables.names``),
    read without tagging.  Every span ``well_known_names`` finds there is such a stretch, so where
    there is none it finds none (a misread character rarely falls inside a name: the fact guard
    then skips the tagger).  From each start, only as far as the longest name that starts with its
    character (``Tables.name_reach``)."""
    table = tables()
    names, reach = table.names, table.name_reach
    size = len(text)
    for first in range(min(end, size)):
        farthest = min(size, first + reach.get(text[first], 0))
        for last in range(max(first + 2, start + 1), farthest + 1):
            if text[first:last] in names:
                return True
    return False
