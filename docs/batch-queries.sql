-- Counts over `sfbtriage batch --format jsonl` outputs, for DuckDB (CLI or Python package).
-- Run in the folder that holds the outputs (every *.jsonl there is read: the shards' files and
-- resumed runs' files alike):
--     cd out && duckdb < ../docs/batch-queries.sql
--     python3 benches/batch_sql.py out          (the same with `pip install duckdb`)
-- A line cut off by a killed run is skipped (ignore_errors gives it as a row of NULLs, which the
-- view drops), as `batch --resume` skips it.
-- Columns come from docs/schema/analysis.schema.json: `bundle`, `verdict`, `causes` (ranked;
-- the first is the top cause), `user.sip_uri` (the tenant is its domain) and `timeline.moments`
-- (the day is the date of the bundle's first dated moment, in the client's local time).

CREATE OR REPLACE VIEW bundles AS
SELECT
  bundle,
  verdict,
  coalesce(causes->>'$[0].id', '(' || verdict || ')') AS top_cause,
  lower(regexp_extract("user"->>'$.sip_uri', '@([A-Za-z0-9.-]+)', 1)) AS tenant,
  list_filter(json_extract_string(timeline, '$.moments[*].time'), lambda t: t IS NOT NULL)[1][1:10] AS day
FROM read_json('*.jsonl', format = 'newline_delimited', ignore_errors = true,
  columns = {bundle: 'VARCHAR', verdict: 'VARCHAR', causes: 'JSON', "user": 'JSON', timeline: 'JSON'})
WHERE bundle IS NOT NULL;

-- Lines and distinct bundles: equal when no bundle was analysed twice.
SELECT count(*) AS lines, count(DISTINCT bundle) AS bundles FROM bundles;

-- By top cause (the verdict in brackets when there is none).
SELECT top_cause, count(*) AS bundles
FROM bundles GROUP BY ALL ORDER BY bundles DESC, top_cause;

-- By tenant (the SIP domain; unknown when the bundle does not name the user).
SELECT coalesce(nullif(tenant, ''), '(unknown)') AS tenant, count(*) AS bundles,
  count(*) FILTER (WHERE verdict = 'cause-found') AS with_cause
FROM bundles GROUP BY ALL ORDER BY bundles DESC, tenant;

-- By day of the logs, with the commonest top cause that day (ties: the first by name).
WITH per AS (
  SELECT coalesce(day, '(undated)') AS day, top_cause, count(*) AS n FROM bundles GROUP BY ALL
)
SELECT day, CAST(sum(n) AS BIGINT) AS bundles, first(top_cause ORDER BY n DESC, top_cause) AS commonest
FROM per GROUP BY day ORDER BY day;
