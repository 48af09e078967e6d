package io.prodigy.storage.postgres;

/**
 * The schema-qualified names of the tables, built once per storage. Runtime SQL names the schema explicitly instead
 * of relying on {@code search_path}, so it works through poolers that share server sessions (PgBouncer).
 */
record Tables(String schema, String sessions, String eventJobs, String events, String checkpoints, String dlq,
        String workflows, String executions, String locks) {

    static Tables in(String schema) {
        String s = SchemaMigrator.quote(schema) + ".";
        return new Tables(schema, s + "sessions", s + "event_jobs", s + "events", s + "checkpoints",
                s + "dlq_items", s + "workflows", s + "workflow_executions", s + "locks");
    }
}
