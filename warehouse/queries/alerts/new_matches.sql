-- Saved-search matches an ingest run made ($run_id: search_hits.flow_run_id), on articles not
-- older than $oldest_day, not yet alerted; with the article's title, source, link and day.
with hits as (
    select h.search_name, h.article_id, h.score, h.matched_at
    from search_hits h
    where h.flow_run_id = $run_id
),
final as (
    select h.*, a.title, a.source, a.url, a.day
    from hits h
    join stg_articles a using (article_id)
    where a.day >= $oldest_day
      and not exists (select 1 from alerts x where x.kind = 'match' and x.search_name = h.search_name
                      and x.article_id = h.article_id)
)
select * from final order by search_name, score desc nulls last, article_id
