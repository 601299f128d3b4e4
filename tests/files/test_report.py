"""``dedup.files.report``: the report line of an article, field by field."""

from __future__ import annotations

import dataclasses

from dedup.files.report import result_to_json
from dedup.records import Flag, Join, Match, NearCopy, Removal, Result


def test_report_names_every_field_of_every_record() -> None:
    """The report is written field by field: a field added to a record must be added there too."""
    result = Result(
        id="b",
        path=None,
        text="甲。\n\n乙。\n\n丙",
        cleaned="甲。",
        paragraphs=3,
        removed=(Removal(1, 4, 6, "exact", 1.0, (Match("a", 0, 0, 2),)),),
        joins=(Join(0, 2, 2, 8, 0.9, ("comma",)),),
        flags=(Flag(2, 8, 9, "orphan", "note"),),
        near_copy_of=NearCopy("a", 0.75, "strip"),
    )
    line = result_to_json(result)
    for key, record in (("removed", Removal), ("joins", Join), ("flags", Flag), ("near_copy_of", NearCopy)):
        value = line[key] if key == "near_copy_of" else line[key][0]
        assert set(value) == {f.name for f in dataclasses.fields(record)}
    assert set(line["removed"][0]["matches"][0]) == {f.name for f in dataclasses.fields(Match)}
    assert set(line) == {f.name for f in dataclasses.fields(Result)} - {"text", "cleaned"} | {
        "changed",
        "stub",
        "body_chars",
    }


def test_result_to_json() -> None:
    result = Result(
        id="b",
        path="b.txt",
        text="甲。\n\n乙。",
        cleaned="甲。",
        paragraphs=2,
        removed=(Removal(1, 4, 6, "exact", 1.0, (Match("a", 0, 0, 2),)),),
        near_copy_of=NearCopy("a", 0.75, "strip"),
        made_by="jieba-0.42.1-hmm-off/0123456789ab",
    )
    assert result_to_json(result) == {
        "id": "b",
        "path": "b.txt",
        "paragraphs": 2,
        "layout": "blank-lines",
        "changed": True,
        "stub": True,  # cleaned down to its title
        "body_chars": 0,
        "removed": [
            {
                "paragraph": 1,
                "start": 4,
                "end": 6,
                "kind": "exact",
                "score": 1.0,
                "matches": [{"id": "a", "paragraph": 0, "start": 0, "end": 2}],
            }
        ],
        "joins": [],
        "flags": [],
        "near_copy_of": {"id": "a", "similarity": 0.75, "action": "strip"},
        "made_by": "jieba-0.42.1-hmm-off/0123456789ab",
    }
