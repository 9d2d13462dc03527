"""When a task retries: the retry_condition_fn the I/O tasks share."""

from __future__ import annotations

from presswatch.errors import OperatorError


def worth_retrying(task: object, task_run: object, state) -> bool:
    """A task's retry_condition_fn: retry a failure unless it is an operator's error (a retry
    in seconds does not empty a full disk or make a foreign file ours)."""
    try:
        exc = state.result(raise_on_failure=False)
    except Exception:  # a result that cannot be read: retry, as without this check
        return True
    return not isinstance(exc, OperatorError)
