-- Every row about an article belongs to a row of articles.
with children as (
    select 'mentions' as child, article_id from mentions
    union all select 'quotes', article_id from quotes
    union all select 'amounts', article_id from amounts
    union all select 'sentences', article_id from sentences
    union all select 'date_mentions', article_id from date_mentions
    union all select 'article_themes', article_id from article_themes
)
select child, article_id, count(*) as rows
from children
anti join articles a using (article_id)
group by all
