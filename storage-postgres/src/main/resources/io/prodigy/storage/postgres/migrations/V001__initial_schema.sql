-- prodigy-storage PostgreSQL schema, version 1.
-- Runs with search_path set to the target schema (the migrator does SET LOCAL search_path; Flyway and Liquibase do
-- the same with their default-schema setting), so no table name is qualified here.
-- Every id column is COLLATE "C": ids order by their UTF-8 bytes, as on every other backend.

-- Sessions: global, optimistic revisions. write_id is the idempotency key of the last write.
CREATE TABLE sessions (
    id                   text COLLATE "C" PRIMARY KEY,
    state                text NOT NULL,
    started_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    iterations_completed integer NOT NULL,
    files_changed        integer NOT NULL,
    worktree_name        text COLLATE "C",
    metadata             jsonb NOT NULL,
    revision             bigint NOT NULL,
    write_id             text
);
CREATE INDEX sessions_by_start ON sessions (started_at, id);
CREATE INDEX sessions_by_state ON sessions (state, started_at, id);
CREATE INDEX sessions_by_worktree ON sessions (worktree_name, started_at, id) WHERE worktree_name IS NOT NULL;

-- Event logs: one row per job holding the highest sequence ever assigned. An append updates it with
-- INSERT … ON CONFLICT … DO UPDATE in its own statement, so the row lock orders commits by sequence per job.
-- The row is never deleted (purge and deleteJob keep it), so sequences are never reused.
CREATE TABLE event_jobs (
    repo     text COLLATE "C" NOT NULL,
    job      text COLLATE "C" NOT NULL,
    last_seq bigint NOT NULL,
    PRIMARY KEY (repo, job)
);

CREATE TABLE events (
    repo           text COLLATE "C" NOT NULL,
    job            text COLLATE "C" NOT NULL,
    seq            bigint NOT NULL,
    event_id       text COLLATE "C" NOT NULL,
    ts             timestamptz NOT NULL,
    event_type     text COLLATE "C" NOT NULL,
    data           jsonb NOT NULL,
    correlation_id text COLLATE "C",
    agent_id       text COLLATE "C",
    PRIMARY KEY (repo, job, seq)
);
CREATE INDEX events_by_type ON events (repo, job, event_type, seq);
CREATE INDEX events_by_time ON events (repo, job, ts);

-- Idempotent appends: the ids a job holds, with the sequence each got. An append probes this table for the batch's
-- ids. It is a table of its own, with its primary key as its only index, so that probe always uses that index: on
-- events, the planner may read a job's (repo, job, …) range instead whenever its statistics make (repo, job) look
-- selective (a new job, a new table), which costs a scan of the whole job per event.
CREATE TABLE event_ids (
    repo     text COLLATE "C" NOT NULL,
    job      text COLLATE "C" NOT NULL,
    event_id text COLLATE "C" NOT NULL,
    seq      bigint NOT NULL,
    PRIMARY KEY (repo, job, event_id)
);

-- Checkpoints: scope_key is 'w/<workflow id>' or 'j/<repository>/<job>' (ids never contain '/').
CREATE TABLE checkpoints (
    scope_key       text COLLATE "C" NOT NULL,
    id              text COLLATE "C" NOT NULL,
    workflow_id     text COLLATE "C",
    repo            text COLLATE "C",
    job             text COLLATE "C",
    kind            text NOT NULL,
    format_version  integer NOT NULL,
    created_at      timestamptz NOT NULL,
    step_index      integer NOT NULL,
    completed_steps jsonb NOT NULL,
    variables       jsonb NOT NULL,
    state           jsonb NOT NULL,
    size_bytes      bigint NOT NULL,
    revision        bigint NOT NULL,
    write_id        text,
    PRIMARY KEY (scope_key, id)
);
CREATE INDEX checkpoints_by_scope_time ON checkpoints (scope_key, created_at, id);
CREATE INDEX checkpoints_by_scope_kind_time ON checkpoints (scope_key, kind, created_at, id);
CREATE INDEX checkpoints_by_repo_time ON checkpoints (repo, created_at, id) WHERE repo IS NOT NULL;
CREATE INDEX checkpoints_by_time ON checkpoints (created_at, id);

-- Dead-letter queues: one row per (job, item); failure history as a jsonb array, oldest first.
CREATE TABLE dlq_items (
    repo             text COLLATE "C" NOT NULL,
    job              text COLLATE "C" NOT NULL,
    item_id          text COLLATE "C" NOT NULL,
    work_item        jsonb NOT NULL,
    enqueued_at      timestamptz NOT NULL,
    last_failed_at   timestamptz NOT NULL,
    retry_count      integer NOT NULL,
    last_error       text NOT NULL,
    metadata         jsonb NOT NULL,
    history          jsonb NOT NULL,
    claim_token      text,
    claim_worker     text,
    claimed_at       timestamptz,
    claim_expires_at timestamptz,
    PRIMARY KEY (repo, job, item_id)
);
CREATE INDEX dlq_items_by_age ON dlq_items (repo, job, enqueued_at, item_id);

-- Workflow definitions and executions (deleted with their definition).
CREATE TABLE workflows (
    id         text COLLATE "C" PRIMARY KEY,
    name       text COLLATE "C" NOT NULL,
    version    text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    content    jsonb NOT NULL,
    metadata   jsonb NOT NULL,
    tags       text[] COLLATE "C" NOT NULL,
    author     text COLLATE "C",
    revision   bigint NOT NULL,
    write_id   text
);
CREATE INDEX workflows_by_time ON workflows (created_at, id);
CREATE INDEX workflows_by_name ON workflows (name, created_at, id);
CREATE INDEX workflows_by_tag ON workflows USING gin (tags);

CREATE TABLE workflow_executions (
    workflow_id     text COLLATE "C" NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
    id              text COLLATE "C" NOT NULL,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    status          text NOT NULL,
    duration_micros bigint,
    PRIMARY KEY (workflow_id, id)
);
CREATE INDEX workflow_executions_by_start ON workflow_executions (workflow_id, started_at, id);

-- Leases. Rows are never deleted: token is the highest fencing token ever granted for the key, holder NULL means
-- free. Grants, extensions and releases are single statements that compare holder, token and expiry in their WHERE.
CREATE TABLE locks (
    key         text COLLATE "C" PRIMARY KEY,
    holder      text,
    owner       text NOT NULL,
    acquired_at timestamptz,
    ttl_micros  bigint,
    expires_at  timestamptz,
    token       bigint NOT NULL
);
CREATE INDEX locks_held ON locks (key) WHERE holder IS NOT NULL;
