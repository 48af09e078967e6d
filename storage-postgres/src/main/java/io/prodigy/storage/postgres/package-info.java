/**
 * The {@code postgres} backend (alias {@code postgresql}): the storage SPI on PostgreSQL through HikariCP and pgjdbc.
 *
 * <p>Entry points: {@link io.prodigy.storage.postgres.PostgresStorageProvider} (found through {@code ServiceLoader})
 * and its typed configuration {@link io.prodigy.storage.postgres.PostgresConfig}. Everything else is internal.
 *
 * <p>How it is built: {@code PgClient} holds the pool, the {@code LISTEN} connection ({@code Notifications}) and the
 * schema version ({@code SchemaMigrator}, versioned SQL files under {@code migrations/}); {@code PostgresStorage} is
 * one store over a client; {@code Db} runs statements and transactions and translates SQL errors
 * ({@code SqlErrors}); one class per store ({@code PgSessionStorage}, {@code PgEventStorage},
 * {@code PgCheckpointStorage}, {@code PgDlqStorage}, {@code PgWorkflowStorage}, and {@code PgLockService} over the
 * {@code LeaseTable} primitive); {@code Fences} checks a fence inside a write's transaction. docs/postgres.md
 * describes the schema, the statements each call costs and the guarantees.
 */
package io.prodigy.storage.postgres;
