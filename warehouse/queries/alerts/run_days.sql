-- The article days of a run's articles ($run_id) from $oldest_day on: where its spikes can be.
select distinct day from stg_articles where flow_run_id = $run_id and day >= $oldest_day order by day
