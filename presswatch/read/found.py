"""What a multi-record reader gives back: its articles and how many records the file held."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from presswatch.records import Article, ArticleError


@dataclass
class Found:
    articles: list[Article]
    records: int  # every record seen, the unusable ones included: the ledger accounts for all


def gather(records: Iterable[tuple[str, object]], to_article: Callable[..., Article],
           problems: list[str], what: str) -> Found:
    """Articles from (where, record) pairs; record_idx is the record's position, bad ones counted.

    A bad record is a problem ("article 3: no body"); a file with no usable record raises
    ArticleError naming the first failure and the count. A record given as an ArticleError
    (a line that is not JSON) counts as a bad record.
    """
    articles, bad = [], []
    n = 0
    for idx, (where, record) in enumerate(records):
        n = idx + 1
        try:
            if isinstance(record, ArticleError):
                raise record
            articles.append(to_article(record, record_idx=idx, problems=problems, where=where))
        except ArticleError as e:
            bad.append(f"{where}{e}")
            problems.append(f"{where}{e}")
    if not articles:
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        raise ArticleError(f"no usable article in {len(bad)} {what}: {bad[0] if bad else 'none'}{more}",
                           records_found=n)
    return Found(articles, n)
