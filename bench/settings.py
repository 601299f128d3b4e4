"""What the benches read from the environment, read one way by all of them."""

from __future__ import annotations

import os

#: the values of BENCH_LIMIT that mean "every article"
EVERY = ("", "all", "0")


def article_limit(default: int | None = None) -> int | None:
    """BENCH_LIMIT: how many articles of the input to take (``None``: all of them, which
    ``BENCH_LIMIT=all`` asks for; ``default`` when it is not set)."""
    given = os.environ.get("BENCH_LIMIT")
    if given is None:
        return default
    given = given.strip().lower()
    if given in EVERY:
        return None
    try:
        limit = int(given)
    except ValueError:
        raise SystemExit(f"bench: BENCH_LIMIT={given!r} is neither a number of articles nor 'all'") from None
    if limit < 0:
        raise SystemExit(f"bench: BENCH_LIMIT={given!r} is negative")
    return limit
