"""``dedup.clean`` on tables: the same kind back, row for row, with the report columns."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

import dedup
from dedup.adapters.tables import REPORT_COLUMNS

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    """``a``; ``b`` sharing one paragraph with ``a``; ``c``, ``a`` again under another title."""
    text = (FIXTURES / "seed" / "expected.txt").read_bytes().decode("utf-8")
    p = [x.strip() for x in re.split(r"\n\s*\n", text) if x.strip()]
    return {
        "a": "\n\n".join([p[6], p[7], p[9], p[12]]) + "\n",
        "b": "\n\n".join([p[13], p[15], p[9], p[17]]) + "\n",
        "c": "\n\n".join(["复工复产工作积极有序推进", p[7], p[9], p[12]]) + "\n",
        "shared": p[9],
    }


def _check_rows(rows: list[dict], texts: dict[str, str]) -> None:
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    assert rows[0]["text"] == texts["a"] and rows[0]["dedup_changed"] is False
    assert texts["shared"] not in rows[1]["text"] and rows[1]["dedup_removed"] == 1
    assert rows[2]["dedup_near_copy_of"] == "a" and rows[2]["dedup_stub"] is True
    assert rows[2]["dedup_body_chars"] == 0 and not any(r["dedup_drop"] for r in rows)


def test_list_of_dicts(texts) -> None:
    rows = [{"id": k, "text": texts[k], "url": f"u/{k}"} for k in "abc"]
    out = dedup.clean(rows)
    assert isinstance(out, list) and [r["url"] for r in out] == ["u/a", "u/b", "u/c"]
    _check_rows(out, texts)
    assert rows[1]["text"] == texts["b"]  # the input is left alone


def test_pandas_dataframe(texts) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"doc": list("abc"), "content": [texts[k] for k in "abc"]}, index=[10, 11, 12])
    out = dedup.clean(frame, text_field="content", id_field="doc")
    assert isinstance(out, pd.DataFrame) and list(out.index) == [10, 11, 12]
    assert list(out.columns) == ["doc", "content", *REPORT_COLUMNS]
    rows = [{**r, "id": r["doc"], "text": r["content"]} for r in out.to_dict("records")]
    _check_rows(rows, texts)
    assert frame["content"].tolist() == [texts[k] for k in "abc"]


def test_pyarrow_table(texts) -> None:
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"id": list("abc"), "text": [texts[k] for k in "abc"], "n": [1, 2, 3]})
    out = dedup.clean(table)
    assert isinstance(out, pa.Table) and out.column_names == ["id", "text", "n", *REPORT_COLUMNS]
    _check_rows(out.to_pylist(), texts)


def test_datasets_dataset_and_iterable_dataset(texts) -> None:
    datasets = pytest.importorskip("datasets")
    ds = datasets.Dataset.from_dict({"id": list("abc"), "text": [texts[k] for k in "abc"]})
    out = dedup.clean(ds)
    assert isinstance(out, datasets.Dataset)
    _check_rows(out.to_list(), texts)
    streamed = dedup.clean(ds.to_iterable_dataset())
    assert isinstance(streamed, datasets.IterableDataset)
    _check_rows(list(streamed), texts)


def test_rows_without_ids_get_their_position_and_bad_text_is_named(texts) -> None:
    out = dedup.clean([{"text": texts["a"]}, {"text": texts["b"]}])
    assert out[1]["dedup_removed"] == 1
    with pytest.raises(dedup.InputError, match=r"^row 1: 'text' must be a string, got missing$"):
        dedup.clean([{"text": texts["a"]}, {"text": None}])
    with pytest.raises(
        TypeError, match=r"^documents\[0\] must be a Document or a str, not dict \(a list of dicts"
    ):
        list(dedup.clean(iter([{"text": "x"}])))


def test_help_explains_the_api_with_examples_that_run() -> None:
    finder = doctest.DocTestFinder()
    [test] = finder.find(dedup.clean_text, "clean_text", globs={"dedup": dedup})
    assert doctest.DocTestRunner().run(test).failed == 0
    doc = dedup.clean_text.__doc__ or ""
    assert all(name in doc for name in ("Result", "Removal", "Config", ">>>"))
    assert dir(dedup) == sorted(dedup.__all__)
