-- A quote's resolved speaker is a row of entities.
select q.article_id, q.quote_idx, q.speaker_entity_id
from quotes q
where q.speaker_entity_id is not null
  and q.speaker_entity_id not in (select entity_id from entities)
