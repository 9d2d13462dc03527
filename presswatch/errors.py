"""Errors an operator must fix (a full disk, a foreign warehouse file): said in one line that
names the cause and the fix, never retried, never a traceback at the CLI."""

from __future__ import annotations


class OperatorError(RuntimeError):
    """Raised with a one-line message naming the cause and the fix; exit_code for the CLI."""

    exit_code = 1

