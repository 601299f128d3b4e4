"""``dedup clean --engine spark`` on local files: the project's readers and
writers around ``clean_dataframe``.

The driver streams the inputs once, with ``dedup.files.read_records`` (the same
ids, errors and line numbers as the local engine), into a staging Parquet file
of (pos, id, text, path); Spark cleans it; the results come back sorted by
position (``toLocalIterator``: one partition at a time) and are written next to
the inputs read a second time, by the local engine's output classes.  Every
output file is written to a temporary file and renamed when complete, so a
killed run leaves no partial output, and a rerun writes the same bytes.

On a cluster, read and write with Spark itself and call ``clean_dataframe``
(see ``examples/spark_submit.py``).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from dedup import files as dio
from dedup.config import Config
from dedup.records import Flag, Join, Match, NearCopy, Removal, Result
from dedup.spark.frame import RESULT, clean_dataframe
from dedup.spark.session import spark_session

#: rows per row group of the staging file
STAGE_ROWS = 4096


def _stage(records: Iterable[dio.Record], path: str) -> int:
    """The documents of ``records`` into a Parquet file at ``path``; their count."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [("pos", pa.int64()), ("id", pa.string()), ("text", pa.string()), ("path", pa.string())]
    )
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        rows: list[dict[str, Any]] = []
        for record in records:
            d = record.document
            rows.append({"pos": count, "id": d.id, "text": d.text, "path": d.path})
            count += 1
            if len(rows) == STAGE_ROWS:
                writer.write_table(pa.Table.from_pylist(rows, schema))
                rows = []
        writer.write_table(pa.Table.from_pylist(rows, schema))
    return count


def result_from_json(report: dict[str, Any], text: str, cleaned: str) -> Result:
    """The ``Result`` of a report line (``files.report.result_to_json``), given the texts it leaves out."""
    near = report["near_copy_of"]
    return Result(
        id=report["id"],
        path=report["path"],
        text=text,
        cleaned=cleaned,
        paragraphs=report["paragraphs"],
        layout=report["layout"],
        removed=tuple(
            Removal(**{**r, "matches": tuple(Match(**m) for m in r["matches"])}) for r in report["removed"]
        ),
        joins=tuple(Join(**{**j, "evidence": tuple(j["evidence"])}) for j in report["joins"]),
        flags=tuple(Flag(**f) for f in report["flags"]),
        near_copy_of=None if near is None else NearCopy(**near),
        made_by=report["made_by"],
    )


def clean_files(
    sources: list[dio.Source],
    config: Config,
    text_field: str = "text",
    id_field: str = "id",
    input_format: dio.InputFormat = "auto",
    master: str | None = None,
) -> Iterator[tuple[dio.Record, Result, dict[str, Any]]]:
    """Each record of ``sources`` with its result and report line, cleaned by Spark, in input order."""
    spark = spark_session(master)
    with tempfile.TemporaryDirectory(prefix="dedup-spark-") as staging:
        stage = f"{staging}/documents.parquet"
        _stage(dio.read_records(sources, text_field, id_field, input_format), stage)
        frame = spark.read.parquet(stage)
        cleaned = clean_dataframe(frame, order_col="pos", path_col="path", config=config)
        rows = (
            cleaned.select("pos", "text", f"{RESULT}.report")
            .withColumnRenamed("text", "cleaned")
            .orderBy("pos")
            .toLocalIterator()
        )
        records = dio.read_records(sources, text_field, id_field, input_format)
        for record, row in zip(records, rows, strict=True):
            report = json.loads(row.report)
            yield record, result_from_json(report, record.document.text, row.cleaned), report
