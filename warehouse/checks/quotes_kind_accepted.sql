-- A quote is direct or indirect.
select article_id, quote_idx, kind
from quotes
where kind is null or kind not in ('direct', 'indirect')
