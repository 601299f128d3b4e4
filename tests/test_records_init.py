"""``records.set_through_slots``: the same records as ``dataclass``'s own ``__init__`` makes, made faster."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import InitVar, dataclass, field

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedup.matching.verify import Decision
from dedup.records import Key, Match, Paragraph, Removal, Shingles, set_through_slots


@dataclass(frozen=True, slots=True)
class _Plain:
    """A record as ``dataclass`` makes it: the definition the faster ``__init__`` is held to."""

    a: int
    b: str
    c: tuple[int, ...] = ()
    d: list[int] = field(default_factory=list)


def _fast_class() -> type:
    @set_through_slots
    @dataclass(frozen=True, slots=True)
    class Fast:
        a: int
        b: str
        c: tuple[int, ...] = ()
        d: list[int] = field(default_factory=list)

    return Fast


@given(st.integers(), st.text(), st.tuples(st.integers()), st.lists(st.integers()))
def test_the_records_are_those_dataclass_makes(a: int, b: str, c: tuple[int, ...], d: list[int]) -> None:
    fast = _fast_class()
    for args, kwargs in (
        ((a, b), {}),
        ((a, b, c), {}),
        ((a,), {"b": b, "d": d}),
        ((), {"a": a, "b": b, "c": c}),
    ):
        made, plain = fast(*args, **kwargs), _Plain(*args, **kwargs)
        assert dataclasses.astuple(made) == dataclasses.astuple(plain)
    # a default factory gives each record its own value
    assert fast(a, b).d is not fast(a, b).d


def test_the_signature_and_its_errors_are_dataclass_s() -> None:
    fast = _fast_class()
    with pytest.raises(TypeError):
        fast(1)  # b is missing
    with pytest.raises(TypeError):
        fast(1, "x", (), [], 5)  # one too many
    with pytest.raises(TypeError):
        fast(1, "x", e=2)  # no such field
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast(1, "x").a = 2  # type: ignore[misc]


def test_records_are_made_as_before() -> None:
    """The records the pipeline makes by the hundred thousand, each equal to one made the old way."""
    hashes = np.array([3, 1], dtype=np.uint32)
    shingles = Shingles(hashes, np.array([[0, 2], [1, 3]], dtype=np.int32), 4, np.sort(hashes))
    made = [
        Paragraph(0, 3, 10, 40, 12, 40, "body"),
        Paragraph(0, 3, 10, 40, 12, 40, "heading", True),
        Key("正文", "正文。", 12, ((1, 2),)),
        Key("正文", "正文。", 12),
        Match("d", 2, 5, 9),
        Removal(3, 10, 40, "near", 0.9, (Match("d", 2, 5, 9),)),
        Removal(3, 10, 12, "marker", 1.0),
    ]
    for record in made:
        values = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
        plain = object.__new__(type(record))
        for name, value in values.items():
            object.__setattr__(plain, name, value)
        assert record == plain
        assert pickle.loads(pickle.dumps(record)) == record
    assert shingles.tokens == 4 and shingles.hashes is hashes
    decision = Decision(None, "exact", 1.0, 1.0)  # type: ignore[arg-type]
    assert (decision.cover, decision.unique) == ((), 0)


def test_a_class_it_cannot_copy_is_refused() -> None:
    with pytest.raises(TypeError):

        @set_through_slots
        @dataclass(frozen=True, slots=True)
        class Checked:
            a: int

            def __post_init__(self) -> None:
                pass

    with pytest.raises(TypeError):

        @set_through_slots
        @dataclass(frozen=True, slots=True, kw_only=True)
        class KeywordOnly:
            a: int

    with pytest.raises(TypeError):

        @set_through_slots
        @dataclass(frozen=True, slots=True)
        class WithInitVar:
            a: int
            b: InitVar[int] = 0

    with pytest.raises(TypeError):

        @set_through_slots
        @dataclass(frozen=True, slots=True)
        class NotInInit:
            a: int
            b: int = field(default=0, init=False)
