-- Files whose content was already loaded as an article, from the ledger: the relation the
-- retired articles.duplicate_of column was meant to hold (migration 004). duplicate_of is the
-- article the file repeats (the first one, for a multi-article file).
with ledger as (
    select * from ingest_log
),
final as (
    select source_path, file_sha256, article_id as duplicate_of, seen_at, flow_run_id
    from ledger
    where status = 'duplicate'
)
select * from final
