"""Types of the compiled local candidates (compiled_local.pyx)."""

import numpy as np

def local_positions(
    distinct: list[np.ndarray],
    groups: list[list[int]],
    group_of: list[int],
    max_postings: int,
    max_local: int,
) -> list[list[int]]: ...
