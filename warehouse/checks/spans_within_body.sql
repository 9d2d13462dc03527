-- Every span is a slice of its article's body: 0 <= start_char <= end_char <= length(body).
with spans as (
    select 'mentions' as child, article_id, start_char, end_char from mentions
    union all select 'quotes', article_id, start_char, end_char from quotes
    union all select 'sentences', article_id, start_char, end_char from sentences
    union all select 'amounts', article_id, start_char, end_char from amounts
    union all select 'date_mentions', article_id, start_char, end_char from date_mentions
)
select s.child, s.article_id, s.start_char, s.end_char, length(a.body) as body_length
from spans s
join articles a using (article_id)
where not (s.start_char >= 0 and s.start_char <= s.end_char and s.end_char <= length(a.body))
