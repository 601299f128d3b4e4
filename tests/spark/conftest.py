"""One Spark session (local[2]) for every Spark test: Spark starts in 20-30 s.

Skipped with a reason where Java or pyspark is missing (CI installs both:
``.ci/run`` installs Java 17, the dev extra pyspark).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.spark


def _missing() -> str | None:
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "Java is not installed (the Spark engine needs Java 17)"
    try:
        import pandas  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'dedup[spark]')"
    return None


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    reason = _missing()
    if reason is not None:
        pytest.skip(reason)
    os.environ["PYSPARK_PYTHON"] = sys.executable
    from dedup.spark.session import spark_session

    session = spark_session("local[2]")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
