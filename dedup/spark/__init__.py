"""dedup on Apache Spark (``pip install 'dedup[spark]'``): the cleaning of
``dedup clean`` on a DataFrame, with the local engine's results.

``clean_dataframe`` is the entry point (``frame``); ``keys`` says which
documents can influence each other, ``components`` groups them in Spark SQL,
``resolve`` resolves a group in corpus order with the local engine's
``Corpus``, ``files`` reads and writes what ``dedup clean --engine spark``
takes and gives.  pyspark is imported only by the functions that need it.
"""

from dedup.spark.frame import clean_dataframe

__all__ = ["clean_dataframe"]
