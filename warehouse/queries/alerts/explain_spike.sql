-- The explanations (spike_explanations) of the new spikes: $entity_ids on $days, in one read;
-- the entity filter reaches the spikes window (its partition key). Pairs are matched by the caller.
select entity_id, day, top_articles, outlets, co_mentioned, quotes
from spike_explanations
where entity_id in (select unnest($entity_ids)) and day in (select unnest($days))
