"""Groups against rounds on Spark: `python bench/spark_rounds.py [LIMIT] [REPEATS]`.

The first LIMIT big-set articles cleaned by `clean_dataframe` with resolution="groups" (connected
components, one task per group) and resolution="rounds" (every document its own task), interleaved,
REPEATS times each, in one Spark session (its start is left out): wall time of each run, and whether
the two give the same reports.
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"


def main() -> int:
    from dedup.spark import clean_dataframe
    from dedup.spark.session import spark_session

    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    spark = spark_session("local[2]")
    spark.sparkContext.setLogLevel("ERROR")
    rows = []
    with gzip.open(SHARED / "big" / "input.jsonl.gz", "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number >= limit:
                break
            rows.append((number, str(json.loads(line).get("id", number)), json.loads(line)["text"]))
    with tempfile.TemporaryDirectory(prefix="dedup-rounds-") as tmp:
        spark.createDataFrame(rows, "n long, id string, text string").write.parquet(f"{tmp}/in.parquet")
        frame = spark.read.parquet(f"{tmp}/in.parquet")
        times: dict[str, list[float]] = {"groups": [], "rounds": []}
        reports: dict[str, list[str]] = {}
        for _ in range(repeats):
            for mode in ("groups", "rounds"):
                started = time.perf_counter()
                cleaned = clean_dataframe(frame, order_col="n", resolution=mode)  # type: ignore[arg-type]
                got = [r[0] for r in cleaned.orderBy("dedup.pos").select("dedup.report").collect()]
                times[mode].append(time.perf_counter() - started)
                reports[mode] = got
                print(f"{mode}: {times[mode][-1]:.1f} s", flush=True)
    for mode, spent in times.items():
        print(f"{mode}: fastest {min(spent):.1f} s, slowest {max(spent):.1f} s over {len(spent)} runs")
    same = reports["groups"] == reports["rounds"]
    print(f"{limit} articles, reports identical: {same}")
    spark.stop()
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
