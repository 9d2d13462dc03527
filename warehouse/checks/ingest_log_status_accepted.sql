-- A ledger row is loaded, duplicate or quarantined.
select file_sha256, source_path, status
from ingest_log
where status not in ('loaded', 'duplicate', 'quarantined')
