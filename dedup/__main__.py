"""``python -m dedup``."""

from dedup.cli.app import main

raise SystemExit(main())
