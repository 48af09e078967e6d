package io.prodigy.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.event.AppendResult;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.postgres.PostgresConfig.Migrations;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Spring Batch's pattern for migration scripts: bring a schema to each older version, write data the way that version
 * stored it, migrate to the newest, and read everything back through the current code.
 */
class PgSchemaUpgradeTest {

    private final String schema = "t_upgrade_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    @AfterEach
    void drop() {
        PgTestServer.get().dropSchema(schema);
    }

    @Test
    void dataWrittenAtEveryOlderVersionReadsBackAfterMigratingToTheNewest() throws Exception {
        List<SchemaMigrator.Migration> all = SchemaMigrator.MIGRATIONS;
        for (int v = 1; v < all.size(); v++) {
            try (Connection c = PgTestServer.get().connect()) {
                assertThat(SchemaMigrator.migrate(c, schema, Migrations.CREATE, all.subList(0, v))).isEqualTo(v);
            }
            writeAtVersion(v);
        }

        try (UnifiedStorage s = open()) {
            assertThat(s.health().details()).containsEntry("schema_version", SchemaMigrator.expectedVersion());
            JobRef job = JobRef.of("repo", "job");
            try (Stream<EventRecord> events = s.events().query(EventFilter.forJob(job))) {
                assertThat(events.map(EventRecord::id).toList()).containsExactly("v1-a", "v1-b", "v3-c");
            }
            assertThat(s.events().append(job, List.of(new NewEvent("v1-a", null, "t", null, null, null)))
                    .alreadyStored()).as("ids written at version 1 still dedupe").containsEntry("v1-a", 1L);
            // Version 4 moved the ids from event_ids into a unique index on events: a batch mixing an id stored
            // before it with a new one stores only the new one, at the next sequence.
            AppendResult mixed = s.events().append(job,
                    List.of(new NewEvent("v3-c", null, "t", null, null, null), NewEvent.of("after", null)));
            assertThat(mixed.alreadyStored()).as("ids written at version 3 still dedupe").containsEntry("v3-c", 3L);
            assertThat(mixed.appended()).isEqualTo(1);
            assertThat(mixed.firstSequence()).isEqualTo(4);
            assertThat(s.events().lastSequence(job)).isEqualTo(4);
            try (Connection c = PgTestServer.get().connect(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT to_regclass('" + schema + ".event_ids') IS NULL,"
                            + " to_regclass('" + schema + ".events_by_id') IS NOT NULL")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("event_ids dropped").isTrue();
                assertThat(rs.getBoolean(2)).as("events_by_id created").isTrue();
            }
            assertThat(s.sessions().load("s-v1")).hasValueSatisfying(p -> assertThat(p.revision()).isEqualTo(1));
            // A lock granted at version 1 (no revoked column then) is held, then released and granted above it.
            assertThat(s.locks().current("lock-v1")).hasValueSatisfying(
                    l -> assertThat(l.fencingToken()).isEqualTo(7));
            LockLease broken = s.locks().forceRelease("lock-v1").orElseThrow();
            assertThat(broken.fencingToken()).isEqualTo(7);
            assertThat(s.locks().tryAcquire("lock-v1", Duration.ofSeconds(30)))
                    .hasValueSatisfying(l -> assertThat(l.fencingToken()).isEqualTo(8));
        }
    }

    /** Rows as version {@code v} wrote them, with that version's columns only. */
    private void writeAtVersion(int v) throws Exception {
        if (v != 1 && v != 3) {
            return;
        }
        try (Connection c = PgTestServer.get().connect(); Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + schema);
            if (v == 3) {
                // The last version with event_ids: an event and its id, as an append stored them then.
                s.execute("UPDATE event_jobs SET last_seq = 3 WHERE repo = 'repo' AND job = 'job'");
                s.execute("INSERT INTO event_ids VALUES ('repo', 'job', 'v3-c', 3)");
                s.execute("INSERT INTO events VALUES ('repo', 'job', 3, 'v3-c', '2026-01-02T00:00:00Z', 'started',"
                        + " '{}', NULL, NULL)");
                return;
            }
            s.execute("INSERT INTO event_jobs VALUES ('repo', 'job', 2)");
            s.execute("INSERT INTO event_ids VALUES ('repo', 'job', 'v1-a', 1), ('repo', 'job', 'v1-b', 2)");
            s.execute("INSERT INTO events VALUES ('repo', 'job', 1, 'v1-a', '2026-01-01T00:00:00Z', 'started',"
                    + " '{}', NULL, NULL), ('repo', 'job', 2, 'v1-b', '2026-01-01T00:00:01Z', 'agent_completed',"
                    + " '{\"n\": 1}', NULL, 'agent-1')");
            s.execute("INSERT INTO sessions VALUES ('s-v1', 'IN_PROGRESS', '2026-01-01T00:00:00Z',"
                    + " '2026-01-01T00:00:00Z', 0, 0, NULL, '{}', 1, 'w-1')");
            s.execute("INSERT INTO locks (key, holder, owner, acquired_at, ttl_micros, expires_at, token)"
                    + " VALUES ('lock-v1', 'holder-1', 'pid 1 on old-host', now(), 600000000,"
                    + " now() + interval '10 minutes', 7)");
        }
    }

    private UnifiedStorage open() {
        Map<String, Object> config = PgTestServer.get().backendConfig(schema);
        return new PostgresStorageProvider().open(StorageConfig.forBackend("postgres").withBackendConfig(config),
                StorageContext.withoutProject());
    }
}
