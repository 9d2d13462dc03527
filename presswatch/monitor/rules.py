"""How sensitive the spike alerts are: k in mean + k·sd, a minimum volume, a maximum age.

The `spikes` view gives every candidate day a `spike_level` (the largest k in 1.5 / 2 / 3 it
passes, confirmed against the previous day and the same weekday); the alerts keep the rows at
or above the configured k with at least `min_articles` articles.
"""

from __future__ import annotations

from dataclasses import dataclass

# Meltwater's three settings, by name and by k.
SENSITIVITY = {"high": 1.5, "medium": 2.0, "low": 3.0}
SENSITIVITY_HELP = "high (k=1.5), medium (k=2) or low (k=3), or the k itself: 1.5, 2 or 3"
# Whose spikes are alerted: the watchlist's entities when the user keeps one (`auto`), or always
# only them, or every entity (issue 13: the watchlist is what alerts are computed over by default).
SPIKE_ENTITIES = ("auto", "watchlist", "all")


def parse_sensitivity(value: object) -> float:
    """`high`/`medium`/`low` or 1.5/2/3 -> k. Anything else is refused with what is accepted."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text in SENSITIVITY:
            return SENSITIVITY[text]
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"must be {SENSITIVITY_HELP}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or float(value) not in SENSITIVITY.values():
        raise ValueError(f"must be {SENSITIVITY_HELP}")
    return float(value)


@dataclass(frozen=True)
class SpikeRules:
    """What makes a spike worth an alert."""

    k: float = 2.0                 # spike_level >= k (mean + k·sd, confirmed)
    min_articles: int = 5          # articles naming the entity that day, at least
    max_age_days: int = 2          # spikes on days older than today - max_age_days are history, not news
    entities: str = "auto"         # SPIKE_ENTITIES: auto = the watchlist's entities if it has any, else all

    def __post_init__(self) -> None:
        parse_sensitivity(self.k)
        if self.min_articles < 3:
            raise ValueError("min_articles must be >= 3 (the spikes view lists days of 3 articles or more)")
        if self.max_age_days < 0:
            raise ValueError("max_age_days must be >= 0")
        if self.entities not in SPIKE_ENTITIES:
            raise ValueError(f"entities must be one of {', '.join(SPIKE_ENTITIES)}, not {self.entities!r}")
