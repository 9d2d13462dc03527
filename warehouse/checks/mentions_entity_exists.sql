-- Every mention's entity is a row of entities.
select m.article_id, m.entity_id, m.start_char
from mentions m
anti join entities e using (entity_id)
