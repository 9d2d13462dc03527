"""The figures of a report over a period of article days, as the warehouse reads them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Figures:
    """What the charts show: rows as read (dicts), empty lists when there is nothing."""

    start: date
    end: date
    entity: str | None = None
    attention: list[dict] = field(default_factory=list)       # name, label, day, articles, day_articles, share
    spikes: list[dict] = field(default_factory=list)          # name, label, day, articles, baseline_mean, z_score...
    share_of_voice: list[dict] = field(default_factory=list)  # name, label, mentions, share, basis
    tone: list[dict] = field(default_factory=list)            # name, label, articles, mentions, avg_sentiment
    speakers: list[dict] = field(default_factory=list)        # speaker, quotes, direct_quotes, articles


@dataclass
class Report:
    figures: Figures
    articles: int = 0
    sources: int = 0
    days: int = 0
    titles: list[dict] = field(default_factory=list)          # day, title, source, url, tone
    k: float = 2.0
    min_articles: int = 5
