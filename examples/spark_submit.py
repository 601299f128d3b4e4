"""Clean a corpus on a Spark cluster with dedup (an example job).

    spark-submit --master yarn --deploy-mode cluster \\
        --conf spark.executor.memory=8g --conf spark.sql.shuffle.partitions=2000 \\
        examples/spark_submit.py s3a://bucket/crawl/2026-11/*.jsonl.gz s3a://bucket/clean/2026-11

Every executor needs dedup installed (``pip install 'dedup[spark]'`` in the image, or a packed
virtualenv shipped with ``--archives``).  Corpus order is input file (by path), then row, as with the
local engine.  Cleaned articles (near-copies to drop left out) go to OUT/articles as JSONL part files
in corpus order, report lines to OUT/report; each is written to a temporary directory first and
renamed when complete, so a failed or killed job leaves no partial output and a rerun writes the same.
"""

from __future__ import annotations

import sys

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from dedup.config import Config
from dedup.spark import clean_dataframe


def read_in_order(spark: SparkSession, paths: list[str]) -> DataFrame:
    """The articles with ``pos``: input file (by path), then row, as one increasing long."""
    reader = spark.read.format("parquet" if paths[0].endswith(".parquet") else "json")
    frame = reader.load(paths).select("*", F.col("_metadata.file_path").alias("_file"))
    frame = frame.withColumn("_block", F.col("_metadata.file_block_start"))
    frame = frame.withColumn("_row", F.monotonically_increasing_id())  # increasing within a file split
    # after a global sort, monotonically_increasing_id follows the sort (partition index first)
    ordered = frame.orderBy("_file", "_block", "_row").withColumn("pos", F.monotonically_increasing_id())
    return ordered.drop("_file", "_block", "_row")


def write_atomically(spark: SparkSession, frame: DataFrame, target: str, fmt: str) -> None:
    """``frame`` written to a temporary directory beside ``target``, then renamed to it."""
    temporary = target.rstrip("/") + ".incomplete"
    jvm = spark.sparkContext._jvm  # the Hadoop file system of the target (local, HDFS, S3A)
    hadoop = spark.sparkContext._jsc.hadoopConfiguration()
    path = jvm.org.apache.hadoop.fs.Path(temporary)
    fs = path.getFileSystem(hadoop)
    fs.delete(path, True)  # what a killed run left
    frame.write.format(fmt).save(temporary)
    fs.rename(path, jvm.org.apache.hadoop.fs.Path(target))


def main(inputs: list[str], output: str) -> None:
    spark = SparkSession.builder.appName("dedup").getOrCreate()
    articles = read_in_order(spark, inputs)
    cleaned = clean_dataframe(articles, text_col="text", id_col="id", order_col="pos", config=Config())
    cleaned = cleaned.persist()
    kept = cleaned.where(~F.col("dedup.dropped")).orderBy("pos").drop("dedup", "pos")
    write_atomically(spark, kept, f"{output}/articles", "json")
    report = cleaned.orderBy("pos").select(F.col("dedup.report").alias("value"))
    write_atomically(spark, report, f"{output}/report", "text")
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:-1], sys.argv[-1])
