-- Spikes over [$from, $to] at sensitivity $k with $min_articles or more (of $entity, when given).
select name, label, day, articles, baseline_mean, baseline_sd, previous_day, same_weekday, z_score, spike_level
from spikes
where day between $from and $to and spike_level >= $k and articles >= $min_articles
  and ($entity is null or lower(name) = lower($entity))
order by day, z_score desc, name
