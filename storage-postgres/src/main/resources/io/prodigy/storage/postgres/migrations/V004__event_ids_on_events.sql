-- prodigy-storage PostgreSQL schema, version 4 (issue 11).
-- The ids a job holds move from the table event_ids into a unique index on events. An append wrote every event twice
-- (a heap row and a key in each table); now it writes one row and one more index entry. Idempotency is the same: an
-- append carrying an id the job holds fails on this index, and its retry probes it (a point lookup per id). V001 kept
-- the ids apart because a probe of events had been seen reading a job's whole (repo, job, …) range of another index.
-- This index is unique with equality on all of its columns, so it is costed at one row whatever the statistics say,
-- and the planner takes it (EXPLAINed on new, never-analyzed, stale and analyzed tables with generic plans:
-- docs/perf.md). event_ids held exactly the ids of the stored events (every append inserted both in one statement,
-- purge deleted both in one statement and deleteJob in one transaction), so the index is built from events alone and
-- the table is dropped. Building it locks events against writes for as long as it takes (one sort of the table): on a
-- large table, create the index beforehand with CREATE UNIQUE INDEX CONCURRENTLY events_by_id … and this file finds it
-- (IF NOT EXISTS).
CREATE UNIQUE INDEX IF NOT EXISTS events_by_id ON events (repo, job, event_id);
DROP TABLE event_ids;
