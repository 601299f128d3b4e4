import numpy as np

def pos_viterbi(
    allowed: np.ndarray, emit: np.ndarray, start: np.ndarray, trans: np.ndarray, has_trans: np.ndarray
) -> np.ndarray: ...

class PosHmm:
    def __init__(
        self,
        start: np.ndarray,
        trans: np.ndarray,
        has_trans: np.ndarray,
        allowed: np.ndarray,
        emit: np.ndarray,
        missing: float,
    ) -> None: ...
    def best(self, allowed_rows: list[int], emit_rows: list[int]) -> list[int]: ...

def lexicon_find(lexicon: bytes, start: int, end: int, head: bytes) -> int: ...
def numbers(text: str) -> list[str]: ...
