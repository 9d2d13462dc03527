-- A quote is direct, mixed (a reported clause with quoted words) or indirect.
select article_id, quote_idx, kind
from quotes
where kind is null or kind not in ('direct', 'mixed', 'indirect')
