"""``dedup.clean`` on tables: pandas DataFrames, pyarrow Tables, ``datasets`` Datasets, lists of dicts.

A table is one article per row: ``text_field`` holds its text and ``id_field`` its
id (the row's position when there is no such column).  The rows are cleaned as
one run, in order, and the table comes back as the same kind with the same rows
in the same order: the text column holds the cleaned text and the report columns
(:data:`REPORT_COLUMNS`) say what was done.  Nothing is dropped: a near-copy to
drop is marked ``dedup_drop`` (and a stub ``dedup_stub``), for the caller to
filter (``df[~df.dedup_drop]``).  pandas, pyarrow and ``datasets`` are never
imported here: a table is recognised by its type's module, and rebuilt with its
own methods.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from dedup.errors import InputError
from dedup.records import Document, Result

#: the columns added to every table, and what each holds
REPORT_COLUMNS = (
    "dedup_changed",  # the text changed
    "dedup_removed",  # paragraphs (and markers) removed
    "dedup_joins",  # paragraphs re-joined
    "dedup_near_copy_of",  # id of the earlier article this one repeats most of, or None
    "dedup_drop",  # a near-copy to drop (duplicate_articles = "drop")
    "dedup_stub",  # left with little more than its title (Result.stub)
    "dedup_body_chars",  # characters of body left (Result.body_chars)
)

Run = Callable[[Iterable[Document]], Iterator[Result]]


def table_kind(data: object) -> str | None:
    """``pandas``, ``arrow``, ``dataset``, ``iterable-dataset`` or ``rows`` (a list
    of dicts) for a table :func:`clean_table` takes, else None."""
    module = type(data).__module__.split(".")[0]
    name = type(data).__name__
    if module == "pandas" and name == "DataFrame":
        return "pandas"
    if module == "pyarrow" and name == "Table":
        return "arrow"
    if module == "datasets" and name == "Dataset":
        return "dataset"
    if module == "datasets" and name == "IterableDataset":
        return "iterable-dataset"
    if isinstance(data, list) and data and all(isinstance(row, Mapping) for row in data):
        return "rows"
    return None


def report_values(result: Result) -> dict[str, Any]:
    """The report columns of one row."""
    near = result.near_copy_of
    return {
        "dedup_changed": result.changed,
        "dedup_removed": len(result.removed),
        "dedup_joins": len(result.joins),
        "dedup_near_copy_of": None if near is None else near.id,
        "dedup_drop": near is not None and near.action == "drop",
        "dedup_stub": result.stub,
        "dedup_body_chars": result.body_chars,
    }


def _documents(texts: Iterable[object], ids: Iterable[object] | None, text_field: str) -> Iterator[Document]:
    """The rows as documents; a text that is not a string is an InputError naming its row."""
    id_list = iter(ids) if ids is not None else None
    for number, text in enumerate(texts):
        raw_id = next(id_list) if id_list is not None else number
        if not isinstance(text, str):
            kind = "missing" if text is None else type(text).__name__
            raise InputError(f"{text_field!r} must be a string, got {kind}", f"row {number}")
        yield Document(id=str(raw_id), text=text)


def _results(
    run: Run, texts: Sequence[object], ids: Sequence[object] | None, text_field: str
) -> list[Result]:
    return list(run(_documents(texts, ids, text_field)))


def _columns(results: Sequence[Result]) -> dict[str, list[Any]]:
    values = [report_values(r) for r in results]
    return {name: [v[name] for v in values] for name in REPORT_COLUMNS}


def clean_table(data: Any, kind: str, run: Run, text_field: str, id_field: str) -> Any:
    """``data`` (of :func:`table_kind` ``kind``) cleaned by ``run``, as the same kind."""
    if kind == "rows":
        return _clean_rows(data, run, text_field, id_field)
    if kind == "pandas":
        return _clean_pandas(data, run, text_field, id_field)
    if kind == "arrow":
        return _clean_arrow(data, run, text_field, id_field)
    if kind == "dataset":
        return _clean_dataset(data, run, text_field, id_field)
    return _clean_iterable_dataset(data, run, text_field, id_field)


def _need_column(names: Sequence[str], text_field: str) -> None:
    if text_field not in names:
        raise InputError(f"no {text_field!r} column (columns: {', '.join(map(str, names))})", "table")


def _clean_rows(
    rows: list[Mapping[str, Any]], run: Run, text_field: str, id_field: str
) -> list[dict[str, Any]]:
    for number, row in enumerate(rows):
        if text_field not in row:
            raise InputError(f"no {text_field!r} field", f"row {number}")
    ids = [row.get(id_field, n) for n, row in enumerate(rows)]
    results = _results(run, [row[text_field] for row in rows], ids, text_field)
    return [
        {**row, text_field: result.cleaned, **report_values(result)}
        for row, result in zip(rows, results, strict=True)
    ]


def _clean_pandas(frame: Any, run: Run, text_field: str, id_field: str) -> Any:
    _need_column(list(frame.columns), text_field)
    ids = frame[id_field].tolist() if id_field in frame.columns else None
    results = _results(run, frame[text_field].tolist(), ids, text_field)
    out = frame.copy()
    out[text_field] = [r.cleaned for r in results]
    for name, values in _columns(results).items():
        out[name] = values
    return out


def _clean_arrow(table: Any, run: Run, text_field: str, id_field: str) -> Any:
    import pyarrow as pa  # a pyarrow Table was given: pyarrow is there

    _need_column(table.column_names, text_field)
    ids = table.column(id_field).to_pylist() if id_field in table.column_names else None
    results = _results(run, table.column(text_field).to_pylist(), ids, text_field)
    index = table.column_names.index(text_field)
    out = table.set_column(index, text_field, pa.array([r.cleaned for r in results], pa.string()))
    for name, values in _columns(results).items():
        out = out.append_column(name, pa.array(values))
    return out


def _clean_dataset(dataset: Any, run: Run, text_field: str, id_field: str) -> Any:
    _need_column(dataset.column_names, text_field)
    ids = dataset[id_field] if id_field in dataset.column_names else None
    results = _results(run, dataset[text_field], ids, text_field)
    cleaned = [r.cleaned for r in results]
    columns = _columns(results)

    def with_results(_: Mapping[str, Any], index: int) -> dict[str, Any]:
        return {text_field: cleaned[index], **{name: values[index] for name, values in columns.items()}}

    return dataset.map(with_results, with_indices=True, load_from_cache_file=False, desc="dedup")


def _clean_iterable_dataset(dataset: Any, run: Run, text_field: str, id_field: str) -> Any:
    """A streamed dataset stays streamed: rows are cleaned as they are read."""
    from datasets import IterableDataset  # an IterableDataset was given: datasets is there

    def rows() -> Iterator[dict[str, Any]]:
        pending: deque[dict[str, Any]] = deque()

        def documents() -> Iterator[Document]:
            for number, row in enumerate(dataset):
                pending.append(row)
                yield from _documents([row.get(text_field)], [row.get(id_field, number)], text_field)

        for result in run(documents()):
            row = pending.popleft()
            yield {**row, text_field: result.cleaned, **report_values(result)}

    return IterableDataset.from_generator(rows)
