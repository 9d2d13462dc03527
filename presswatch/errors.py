"""Errors an operator must fix (a full disk, a foreign warehouse file): said in one line that
names the cause and the fix, never retried, never a traceback at the CLI."""

from __future__ import annotations


class OperatorError(RuntimeError):
    """Raised with a one-line message naming the cause and the fix; exit_code for the CLI."""

    exit_code = 1


def worth_retrying(task: object, task_run: object, state) -> bool:
    """A task's retry_condition_fn: retry a failure unless it is an operator's error (a retry
    in seconds does not empty a full disk or make a foreign file ours)."""
    try:
        exc = state.result(raise_on_failure=False)
    except Exception:  # a result that cannot be read: retry, as without this check
        return True
    return not isinstance(exc, OperatorError)
