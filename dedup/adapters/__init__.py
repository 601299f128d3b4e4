"""dedup where data already lives: tables (:mod:`.tables`: pandas, pyarrow, ``datasets``,
lists of dicts, behind :func:`dedup.clean`) and a datatrove pipeline step
(:mod:`.datatrove_step`, the ``datatrove`` extra).  Each adapter imports its
library only when it is used."""
