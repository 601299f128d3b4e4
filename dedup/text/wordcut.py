"""jieba's cut with HMM off, over jieba's own dictionary, without importing jieba.

``jieba.Tokenizer().cut(text, HMM=False)`` is the definition of dedup's words.  jieba builds its
prefix dictionary (every word's frequency, and each word's prefixes with frequency 0) from its
``dict.txt`` (``gen_pfdict``), then cuts a text: runs of ``[\\u4E00-\\u9FD5a-zA-Z0-9+#&._%-]``
through the DAG of dictionary words and the route of highest probability
(``log(freq or 1) - log(total)`` summed, ties to the longer word), single ASCII letters and digits
glued back together; anything else one character at a time (``\\r\\n`` as one).

This module is that, step by step, in pure Python: the twin of the compiled ``Words``
(``dedup/text/compiled_words.pyx``), which reads the same file the same way and is what a run uses
(``dedup.text.words``); tests compare both with jieba and rjieba.  Loading takes no jieba import:
the dictionary is found (not imported) next to jieba's package.
"""

from __future__ import annotations

from importlib.util import find_spec
from math import log
from pathlib import Path

#: the characters jieba cuts with its dictionary (``jieba.re_han_default``)
_PUNCT = frozenset("+#&._%-")


def dictionary_path() -> Path:
    """jieba's default dictionary (``dict.txt`` beside its package), found without importing it."""
    spec = find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("jieba")
    return Path(spec.origin).with_name("dict.txt")


def read_dictionary(data: bytes) -> tuple[dict[str, int], int]:
    """jieba's ``gen_pfdict``: word -> frequency, each prefix -> 0 unless it is a word; the total.

    Stricter than jieba: a line jieba would read differently from ``word SPACE digits`` (a sign,
    an underscore, non-ASCII digits) raises ``ValueError`` as a malformed one does in jieba.
    """
    freq: dict[str, int] = {}
    total = 0
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()  # what follows the last newline is no line
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        fields = line.decode("utf-8").split(" ")
        if len(fields) < 2 or not fields[1].isascii() or not fields[1].isdigit():
            raise ValueError(f"jieba's dictionary: line {number} is not 'word frequency': {raw!r}")
        word, count = fields[0], int(fields[1])
        freq[word] = count
        total += count
        for end in range(1, len(word)):
            freq.setdefault(word[:end], 0)
    return freq, total


def is_han(char: str) -> bool:
    """In ``jieba.re_han_default``: cut with the dictionary."""
    return "\u4e00" <= char <= "\u9fd5" or (char.isascii() and char.isalnum()) or char in _PUNCT


def _route(block: str, freq: dict[str, int], logtotal: float) -> list[int]:
    """jieba's ``get_DAG`` and ``calc``: for each position, where its best word ends (inclusive)."""
    n = len(block)
    best_p = [0.0] * (n + 1)
    best_x = [0] * (n + 1)
    for k in range(n - 1, -1, -1):
        found = False
        p_k, x_k = 0.0, k
        i = k
        frag = block[k]
        while i < n and frag in freq:
            count = freq[frag]
            if count:
                p = log(count) - logtotal + best_p[i + 1]
                if not found or p >= p_k:  # max((p, x)): ties go to the larger x
                    p_k, x_k, found = p, i, True
            i += 1
            frag = block[k : i + 1]
        if not found:
            p_k, x_k = log(freq.get(block[k]) or 1) - logtotal + best_p[k + 1], k
        best_p[k], best_x[k] = p_k, x_k
    return best_x


def _cut_block(block: str, freq: dict[str, int], logtotal: float, out: list[str]) -> None:
    """jieba's ``__cut_DAG_NO_HMM``."""
    route = _route(block, freq, logtotal)
    x, n, buf = 0, len(block), ""
    while x < n:
        y = route[x] + 1
        word = block[x:y]
        if y - x == 1 and word.isascii() and word.isalnum():
            buf += word
        else:
            if buf:
                out.append(buf)
                buf = ""
            out.append(word)
        x = y
    if buf:
        out.append(buf)


def cut(text: str, freq: dict[str, int], total: int) -> list[str]:
    """``jieba.Tokenizer.cut(text, HMM=False)`` over the dictionary ``read_dictionary`` gives."""
    logtotal = log(total)
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if is_han(text[i]):
            j = i + 1
            while j < n and is_han(text[j]):
                j += 1
            _cut_block(text[i:j], freq, logtotal, out)
            i = j
        elif text.startswith("\r\n", i):
            out.append("\r\n")
            i += 2
        else:
            out.append(text[i])
            i += 1
    return out
