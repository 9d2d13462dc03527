-- Spikes of canonical entities (canonical_spikes.sql: every spelling of one real-world entity
-- counted once) over [$from, $to] at sensitivity $k with $min_articles or more (of the entity
-- --entity names, $canonical_ids from named.sql, when given). Read inside
-- warehouse.spikes.canonical_spike_days (the temp view and its bounds).
select name, label, day, articles, baseline_mean, baseline_sd, previous_day, same_weekday, z_score, spike_level
from canonical_spikes
where day between $from and $to and spike_level >= $k and articles >= $min_articles
  and ($entity is null or canonical_id in (select unnest($canonical_ids)))
order by day, z_score desc, name
