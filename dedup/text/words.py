"""Word segmentation of matching keys: jieba, or its Rust port rjieba.

jieba runs with HMM off: new-word guessing changes the words of half of all
paragraphs depending on context, which is noise for matching, and with HMM off
rjieba gives the same words as jieba (measured in the benchmark), so the two
can replace each other.  One segmenter per process: loading the dictionary
takes about a second, so it is done once, lazily, and jieba's logger is quieted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from dedup.config import resolved_segmenter
from dedup.errors import ConfigError

Cut = Callable[[str], list[str]]

_SURROGATES = re.compile("[\ud800-\udfff]")


@cache
def segmenter(name: str = "auto") -> Cut:
    """The word segmenter called ``name``, loaded once per process."""
    name = resolved_segmenter(name)
    if name == "rjieba":
        try:
            import rjieba
        except ImportError:
            raise ConfigError("segmenter 'rjieba' is not installed: pip install rjieba") from None

        def cut_rjieba(text: str) -> list[str]:
            return list(rjieba.cut(text, hmm=False))

        return cut_rjieba

    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()

    def cut_jieba(text: str) -> list[str]:
        return list(tokenizer.cut(text, HMM=False))

    return cut_jieba


def tokenize(key: str, name: str = "auto") -> list[str]:
    """Words of a (normalised) key, in order; their lengths add up to ``len(key)``.

    A lone surrogate (text from JSON may hold one) cannot go to rjieba, which
    takes UTF-8: such text is cut with U+FFFD in its place, one character for one.
    """
    if not key:
        return []
    try:
        return segmenter(name)(key)
    except UnicodeEncodeError:
        return segmenter(name)(_SURROGATES.sub("\ufffd", key))
