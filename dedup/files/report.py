"""The report schema: one JSON object per article saying what was removed, joined and flagged.

Every saved report (``--report``, ``scan --jsonl`` / ``--json``) writes results
through :func:`result_to_json`, so its fields are defined here once; a field
added to a record of :mod:`dedup.records` must be added here too (a test checks).
"""

from __future__ import annotations

from typing import Any

from dedup.records import Flag, Join, Match, Removal, Result


def _match_json(m: Match) -> dict[str, Any]:
    return {"id": m.id, "paragraph": m.paragraph, "start": m.start, "end": m.end}


def _removal_json(r: Removal) -> dict[str, Any]:
    return {
        "paragraph": r.paragraph,
        "start": r.start,
        "end": r.end,
        "kind": r.kind,
        "score": r.score,
        "matches": [_match_json(m) for m in r.matches],
    }


def _join_json(j: Join) -> dict[str, Any]:
    return {
        "head": j.head,
        "tail": j.tail,
        "start": j.start,
        "end": j.end,
        "score": j.score,
        "evidence": list(j.evidence),
    }


def _flag_json(f: Flag) -> dict[str, Any]:
    return {"paragraph": f.paragraph, "start": f.start, "end": f.end, "kind": f.kind, "note": f.note}


def result_to_json(result: Result) -> dict[str, Any]:
    """The report line of one article: what was removed, joined and flagged, with
    ``start``/``end`` offsets (Python ``str`` indices) into its original text.
    (Written out field by field: ``dataclasses.asdict`` deep-copies every value,
    which took a tenth of a big run.)"""
    near = result.near_copy_of
    return {
        "id": result.id,
        "path": result.path,
        "paragraphs": result.paragraphs,
        "layout": result.layout,
        "changed": result.changed,
        "stub": result.stub,
        "body_chars": result.body_chars,
        "removed": [_removal_json(r) for r in result.removed],
        "joins": [_join_json(j) for j in result.joins],
        "flags": [_flag_json(f) for f in result.flags],
        "near_copy_of": None
        if near is None
        else {"id": near.id, "similarity": near.similarity, "action": near.action},
        "made_by": result.made_by,
    }
