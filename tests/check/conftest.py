"""``test_cli_check.py`` (the command line of ``dedup check``) uses the corpus
repository and helpers of ``tests/precommit``: one copy of each, imported here
until that file moves next to the other command-line tests."""

from precommit.conftest import UNIQUE, Run, body, dedup, edited, git, repo, write

__all__ = ["UNIQUE", "Run", "body", "dedup", "edited", "git", "repo", "write"]
