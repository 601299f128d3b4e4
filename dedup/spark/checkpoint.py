"""``checkpointed``: a DataFrame's rows kept on disk, its plan cut, its statistics forgotten.

Iterations (the rounds of ``spark.rounds``, large-star / small-star in
``spark.components``) cut their plans with ``localCheckpoint``.  Since Spark
3.4 (SPARK-39834) a checkpoint keeps the size estimate of the plan it came
from, and Catalyst estimates an inner or outer join as the *product* of its
sides' sizes (``SizeInBytesOnlyStatsPlanVisitor``).  A round joins what the
last round's checkpoints hold, so the estimate's digits doubled every round:
Catalyst multiplied integers of millions of digits before planning anything
(rounds of 19 s took 86 s by the twelfth on a 30,000-article corpus, the JVM
busy in ``BigInteger.multiply``).  ``checkpointed`` gives the checkpoint's rows
a relation of their own with Spark's default estimate instead (a join of
unknown size is never broadcast unasked; the rounds ask where they mean to).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyspark import StorageLevel
    from pyspark.sql import DataFrame


def on_disk() -> StorageLevel:
    """Where iterations keep what they checkpoint or cache: the executors' disks, not the
    JVM heap (Spark local runs its executors in the driver's JVM; 200,000 articles'
    pickled features alone are ~4 GB, and a 4 GB heap overflowed reading them back)."""
    from pyspark import StorageLevel

    return StorageLevel.DISK_ONLY


def checkpointed(frame: DataFrame) -> DataFrame:
    """``frame`` checkpointed locally ``on_disk``, without the size estimate of the plan it
    came from."""
    from py4j.protocol import Py4JError
    from pyspark.sql import DataFrame

    done = frame.localCheckpoint(storageLevel=on_disk())
    session: Any = done.sparkSession
    try:
        # the same rows (the checkpoint's), a relation without origin statistics: a classic
        # session's method (private[sql] in Scala, public in the bytecode)
        rows = done._jdf.queryExecution().toRdd()
        fresh = session._jsparkSession.internalCreateDataFrame(rows, done._jdf.schema(), False)
    except (AttributeError, Py4JError):  # Spark Connect, or another Spark: the checkpoint as it is
        return done
    return DataFrame(fresh, session)
