"""Precision/recall/F1 and the row shape every evaluation returns."""

from __future__ import annotations


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def rows(task: str, p: float, r: float, f: float, n: int, prefix: str = "") -> list[dict]:
    """Three rows {task, metric, value, n}; values in percent, one decimal."""
    return [
        {"task": task, "metric": f"{prefix}{name}", "value": round(100 * v, 1), "n": n}
        for name, v in (("precision", p), ("recall", r), ("f1", f))
    ]
