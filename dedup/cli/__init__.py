"""The command line: a thin typer layer over the library."""

from dedup.cli.app import main

__all__ = ["main"]
