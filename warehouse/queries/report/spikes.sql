-- Spikes of canonical entities (warehouse.spikes.canonical_spikes_sql: every spelling of one
-- real-world entity counted once; entity_id the canonical id) over [$from, $to] at sensitivity $k
-- with $min_articles or more (of the entity --entity names, $canonical_ids from named.sql, when
-- given). Read inside warehouse.spikes.canonical_spike_days (the temp view and its bounds).
select name, label, day, articles, baseline_mean, baseline_sd, previous_day, same_weekday, z_score, spike_level
from canonical_spikes
where day between $from and $to and spike_level >= $k and articles >= $min_articles
  and ($entity is null or entity_id in (select unnest($canonical_ids)))
order by day, z_score desc, name
