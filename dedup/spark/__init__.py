"""dedup on Apache Spark (``pip install 'dedup[spark]'``): the cleaning of
``dedup clean`` on a DataFrame, with the local engine's results.

``clean_dataframe`` is the entry point (``frame``).  The cross-article
decision is made in ``rounds`` (the default): each document is resolved alone,
against the indexed paragraphs of earlier documents its keys reach
(``earlier``), materialised as input rows by Spark SQL; the indexed paragraphs
depend on earlier decisions, so rounds repeat until no decision changes, and
that fixed point is unique and equal to the local engine's in-order result (the
argument is in ``rounds``).  Real corpora form one giant connected component of
"shares a key" (anchors of stock phrases above all), which the older
``resolution="groups"`` (``keys``, ``components``, ``resolve``: each component
one task, in corpus order) resolves in a single task; rounds make the largest
unit of work one document.  ``files`` reads and writes what ``dedup clean
--engine spark`` takes and gives.  pyspark is imported only by the functions
that need it.
"""

from dedup.spark.frame import clean_dataframe

__all__ = ["clean_dataframe"]
