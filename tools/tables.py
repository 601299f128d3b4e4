"""Write the tables shipped in the package, so that a run imports neither
datasketch (and scipy) nor OpenCC, and builds no fold table.

    .venv/bin/python tools/tables.py

``dedup/matching/permutations/*.npy``: datasketch's permutations for the
default seed and size.  ``dedup/text/fold_table.json``: the fold table with the
Unicode and OpenCC versions it was built with (a machine with other versions
builds its own at first use).  Tests check both against their sources.
"""

from __future__ import annotations

import json

import numpy as np

from dedup.config import Config
from dedup.matching.signature import SHIPPED, datasketch_permutations, shipped_path
from dedup.text.normalize import SHIPPED_TABLE, build_fold_table, fold_table_versions


def main() -> None:
    config = Config()
    SHIPPED.mkdir(exist_ok=True)
    a, b = datasketch_permutations(config.num_perm, config.seed)
    np.save(shipped_path(config.num_perm, config.seed), np.stack([a, b]))
    table = {str(code): folded or "" for code, folded in sorted(build_fold_table().items())}
    text = json.dumps({"versions": fold_table_versions(), "table": table}, ensure_ascii=False)
    SHIPPED_TABLE.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
