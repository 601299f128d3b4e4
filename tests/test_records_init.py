"""Every hand-written ``__init__`` of a record (``records``: compiled with the typed core, it is C,
where the one ``dataclass`` generates would stay interpreted) held to its class's fields: the
parameters are the fields in order with their defaults, every field is stored, a frozen record stays
frozen, and a record pickles back equal."""

from __future__ import annotations

import dataclasses
import pickle
from typing import Any

import numpy as np
import pytest

from dedup.matching.align import Alignment
from dedup.matching.facts import _Run
from dedup.matching.features import Extracted
from dedup.matching.item import Item, PureOverlap
from dedup.matching.verify import Decision, _Cover
from dedup.records import (
    Document,
    Flag,
    Join,
    Key,
    Match,
    NearCopy,
    Paragraph,
    Removal,
    Result,
    Shingles,
)
from dedup.run.document import Resolution
from dedup.text.joins import JoinDecision
from dedup.text.page import PageLine, Structure

_HASHES = np.array([3, 1], dtype=np.uint32)
_SHINGLES = Shingles(_HASHES, np.array([[0, 2], [1, 3]], dtype=np.int32), 4, np.sort(_HASHES))
_PARAGRAPH = Paragraph(0, 3, 10, 40, 12, 40, "body")
_KEY = Key("正文", "正文。", 12)
_MATCH = Match("d", 2, 5, 9)
_ITEM = Item("d", _PARAGRAPH, _KEY, _SHINGLES, _SHINGLES.distinct, 0)
_RESULT = Result("d", None, "x", "x", 1)
_DECISION = Decision(_ITEM, "exact", 1.0, 1.0)

#: each class with a value for every field its ``__init__`` takes, in order, none of them its default
CASES: list[tuple[type, tuple[Any, ...]]] = [
    (Document, ("d", "正文", "a.txt")),
    (Paragraph, (1, 2, 3, 4, 5, 6, "heading", True)),
    (Key, ("正文", "正文。", 12, ((1, 2),))),
    (Shingles, (_HASHES, _SHINGLES.spans, 7, _SHINGLES.distinct)),
    (Match, ("d", 2, 5, 9)),
    (Removal, (3, 10, 40, "near", 0.9, (_MATCH,))),
    (Join, (1, 2, 30, 31, 0.8, ("comma",))),
    (Flag, (1, 0, 9, "orphan", "opens mid-sentence")),
    (NearCopy, ("e", 0.95, "drop")),
    (
        Result,
        (
            "d",
            "a.txt",
            "x",
            "y",
            3,
            "lines",
            (Removal(3, 10, 12, "marker", 1.0),),
            (Join(1, 2, 30, 31, 0.8, ("comma",)),),
            (Flag(1, 0, 9, "orphan", "opens mid-sentence"),),
            NearCopy("e", 0.95, "drop"),
            "made",
        ),
    ),
    (Decision, (_ITEM, "near", 0.9, 0.8, (_ITEM,), 3)),
    (_Cover, (0.9, 7, [_ITEM], 1, [7], PureOverlap(_ITEM), 0.2)),
    (Alignment, (0.9, 0.8, 3, 1)),
    (_Run, (1, 4, True, "x")),
    (JoinDecision, (True, 0.7, ("comma",))),
    (PageLine, (3, "key", "body", False, "\u3000\u3000", True, ("a", "b"), True, "raw")),
    (Structure, (frozenset({0}), frozenset({2, 3}), frozenset({2}))),
    (Resolution, (_RESULT, {1: _DECISION}, [_ITEM])),
    (Extracted, (3, Document("d", "正文"), "lines", [_PARAGRAPH], [_ITEM], {3: [4]})),
    (
        Item,
        (
            "d",
            _PARAGRAPH,
            _KEY,
            _SHINGLES,
            _SHINGLES.distinct,
            2,
            True,
            True,
            1,
            3,
            True,
            True,
            True,
            True,
            True,
            True,
            True,
            (5, 6),
            np.zeros(4, np.uint32),
            np.zeros(2, np.uint64),
            {1: 2},
            [3],
        ),
    ),
]


def _init_fields(cls: type) -> list[dataclasses.Field[Any]]:
    return [f for f in dataclasses.fields(cls) if f.init]


def _default(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return dataclasses.MISSING


def _ids(case: tuple[type, tuple[Any, ...]]) -> str:
    return case[0].__name__


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_every_field_is_stored_in_order(case: tuple[type, tuple[Any, ...]]) -> None:
    cls, values = case
    names = [f.name for f in _init_fields(cls)]
    assert len(names) == len(values), "a value for every field the __init__ takes"
    for made in (cls(*values), cls(**dict(zip(names, values, strict=True)))):
        for name, value in zip(names, values, strict=True):
            stored = getattr(made, name)
            # (compiled, a float or an int field holds the number itself, not the object given)
            assert stored is value or (type(stored) is type(value) and stored == value), name


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_the_defaults_are_the_fields_defaults(case: tuple[type, tuple[Any, ...]]) -> None:
    cls, values = case
    params = _init_fields(cls)
    required = [f for f in params if _default(f) is dataclasses.MISSING]
    made = cls(*values[: len(required)])
    for f, value in zip(params[len(required) :], values[len(required) :], strict=True):
        assert getattr(made, f.name) == _default(f), f.name
        assert value is not _default(f), f"the case gives {f.name} a value of its own"


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_wrong_arguments_are_refused(case: tuple[type, tuple[Any, ...]]) -> None:
    cls, values = case
    required = [f for f in _init_fields(cls) if _default(f) is dataclasses.MISSING]
    with pytest.raises(TypeError):
        cls(*values[: len(required) - 1])  # one missing
    with pytest.raises(TypeError):
        cls(*values, values[0])  # one too many
    with pytest.raises(TypeError):
        cls(*values, no_such_field=1)


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_a_frozen_record_stays_frozen(case: tuple[type, tuple[Any, ...]]) -> None:
    cls, values = case
    made = cls(*values)
    first = _init_fields(cls)[0].name
    if cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(made, first, values[0])
    else:
        setattr(made, first, values[0])  # Item and _Cover: caches and fields set after construction


@pytest.mark.parametrize("case", [c for c in CASES if c[0].__module__ == "dedup.records"], ids=_ids)
def test_a_record_pickles_back_equal(case: tuple[type, tuple[Any, ...]]) -> None:
    cls, values = case
    made = cls(*values)
    again = pickle.loads(pickle.dumps(made, protocol=5))
    assert type(again) is cls
    for f in dataclasses.fields(cls):
        before, after = getattr(made, f.name), getattr(again, f.name)
        if isinstance(before, np.ndarray):
            assert np.array_equal(before, after) and before.dtype == after.dtype
        else:
            assert after == before


def test_item_knows_its_size() -> None:
    assert _ITEM.size == len(_KEY.text)
    assert Item(*dict(CASES)[Item]).size == len(_KEY.text)
