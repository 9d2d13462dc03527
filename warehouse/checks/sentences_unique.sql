-- One row per (article_id, sentence_idx) in sentences.
select article_id, sentence_idx, count(*) as rows
from sentences
group by all
having count(*) > 1
