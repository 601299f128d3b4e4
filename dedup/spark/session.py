"""The Spark session of ``dedup clean --engine spark``."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from dedup.errors import UsageError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def spark_session(master: str | None = None, app: str = "dedup") -> SparkSession:
    """The active session, or a new one on ``master`` (default ``local[2]``, or
    what ``spark-submit`` set).  A local master runs this very Python for its
    workers, so they import the same dedup."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise UsageError("the Spark engine needs pyspark: pip install 'dedup[spark]'") from None
    builder = SparkSession.builder.appName(app).config("spark.ui.enabled", "false")
    master = master or os.environ.get("MASTER") or ("local[2]" if "SPARK_HOME" not in os.environ else None)
    if master is not None:
        builder = builder.master(master)
    if master is None or master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = builder.config("spark.sql.shuffle.partitions", "8")
    return builder.getOrCreate()
