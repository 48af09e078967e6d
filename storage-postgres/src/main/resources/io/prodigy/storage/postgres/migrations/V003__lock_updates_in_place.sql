-- prodigy-storage PostgreSQL schema, version 3 (issue 11).
-- A grant sets locks.holder and a release clears it. With the partial index locks_held (key) WHERE holder IS NOT NULL,
-- each of those updates changed an index's predicate, so none could be a HOT update: every grant and every release
-- wrote new entries into both of the table's indexes. Without it, they rewrite the row within its page, as ShedLock's
-- table does. Listing the held locks reads the primary key in order instead, filtering: the table has one row per key
-- ever locked. The lower fill factor keeps room on each page for those in-place versions.
DROP INDEX locks_held;
ALTER TABLE locks SET (fillfactor = 50);
