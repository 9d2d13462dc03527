-- previous_version names an article of the warehouse.
select article_id, previous_version
from articles
where previous_version is not null
  and previous_version not in (select article_id from articles)
