-- A loaded file names an article it loaded; a duplicate names the article it repeats.
select l.file_sha256, l.source_path, l.status, l.article_id
from ingest_log l
where (l.status = 'loaded' and l.article_id is null)
   or (l.status in ('loaded', 'duplicate') and l.article_id is not null
       and l.article_id not in (select article_id from articles))
