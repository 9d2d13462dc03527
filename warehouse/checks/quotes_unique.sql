-- One row per (article_id, quote_idx) in quotes.
select article_id, quote_idx, count(*) as rows
from quotes
group by all
having count(*) > 1
