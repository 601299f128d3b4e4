"""compiled_layout: lines read in C give exactly what ``text.layout``'s pure functions give
(``pure_choose_layout``, ``pure_stripped_spans``, ``pure_first_blank``), on random text made of the
characters they look at and on every fixture."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from compiled_parts import built
from hypothesis import given
from hypothesis import strategies as st

from dedup.text.layout import (
    Layout,
    compiled_layout,
    pure_choose_layout,
    pure_first_blank,
    pure_stripped_spans,
)
from dedup.text.shape import CLOSERS, FINAL

LAYOUTS: tuple[Layout, ...] = ("blank-lines", "lines", "wrapped")
#: what the layout reads: line endings, every kind of whitespace, closers, sentence ends, markers
PIECES = [
    *"\n\r \t\u3000\u00a0\u2028\x0b\x1c\x85",
    *CLOSERS,
    *FINAL,
    "\r\n",
    "  ",
    "（上接第一版）",
    "下转第2版",
    "字",
    "长长长长长长长长长长长长长长长长",
    "abc",
    "😀",
    "ａ",
]


def _core() -> ModuleType:
    return built(compiled_layout(), "compiled_layout")


def _same(core: ModuleType, text: str) -> None:
    assert core.choose_layout(text) == pure_choose_layout(text)
    assert core.first_blank(text) == pure_first_blank(text)
    for layout in LAYOUTS:
        assert core.stripped_spans(text, layout) == pure_stripped_spans(text, layout)


@given(st.lists(st.sampled_from(PIECES), max_size=60))
def test_random_text_reads_as_the_pure_definition(pieces: list[str]) -> None:
    _same(_core(), "".join(pieces))


@given(st.lists(st.sampled_from(["长" * n for n in (1, 5, 11, 12, 13, 14, 20)] + ["\n", "。\n", "\n\u3000"])))
def test_wrapped_lines_of_every_width_read_as_the_pure_definition(pieces: list[str]) -> None:
    _same(_core(), "".join(pieces))


def test_every_fixture_reads_as_the_pure_definition(fixtures_dir: Path) -> None:
    core = _core()
    paths = [path for path in sorted(fixtures_dir.rglob("*")) if path.is_file()]
    texts = []
    for path in paths:
        try:
            texts.append(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError:
            continue
    assert len(texts) > 50
    for text in texts:
        _same(core, text)
        _same(core, text.replace("\n", "\r\n"))


def test_the_edges() -> None:
    core = _core()
    for text in ["", "\n", "\n\n", "\r", "\r\n", " ", "a", "a\n", "a\n\n", "\n\na", "a\r\r\nb"]:
        _same(core, text)
