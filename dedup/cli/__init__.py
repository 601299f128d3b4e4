"""The command line: a thin typer layer over the library (entry point ``dedup.cli:run``: ``main``,
then an exit that skips freeing the run's objects one by one).

``app`` (the typer app, :func:`main`), ``exits`` (exit codes), ``options`` (the
options, defined once), ``settings``, ``inputs`` and ``outputs`` (what a run
reads and where ``clean`` writes), ``render``, ``render_check`` and
``progress`` (what is printed), and one module per command: ``clean`` (scan
and clean), ``config_cmd``, ``check`` (check and index).
"""

from dedup.cli.app import main, run

__all__ = ["main", "run"]
