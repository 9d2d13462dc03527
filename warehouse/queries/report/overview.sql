-- The period in figures: articles, sources and days with articles (all articles: the denominator).
select coalesce(sum(articles), 0) as articles, count(distinct source) as sources, count(distinct day) as days
from day_totals
where day between $from and $to
