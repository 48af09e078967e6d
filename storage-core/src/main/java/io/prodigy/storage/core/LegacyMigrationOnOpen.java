package io.prodigy.storage.core;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.ConfigBinder;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.error.StorageException;
import io.prodigy.storage.migrate.legacy.LegacyMigration;
import io.prodigy.storage.migrate.legacy.LegacyMigrationOptions;
import io.prodigy.storage.migrate.legacy.LegacyMigrationReport;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The automatic half of spec 102's migration: when the file backend is opened for a project that still has a legacy
 * {@code .prodigy/} directory, its data is migrated into the global store (backup, import, verify, move aside; see
 * {@link LegacyMigration}).
 *
 * <p>Runs only when all hold: the backend is {@code file}, the {@link StorageContext} names a project directory, and
 * {@code backend_config.auto_migrate_legacy} is not {@code false}. Detection is a few {@code stat} calls, so the check
 * costs nothing measurable on an open without legacy data.
 *
 * <p>A failed migration does not fail the open: the migration has already rolled back and left the local data as it
 * was, so the global store is consistent and usable. The error is logged with what failed and how to retry
 * ({@code prodigy-storage migrate legacy}), and the next open tries again.
 */
final class LegacyMigrationOnOpen {

    private static final Logger LOG = LoggerFactory.getLogger(LegacyMigrationOnOpen.class);
    static final String AUTO_MIGRATE_KEY = "auto_migrate_legacy";

    private LegacyMigrationOnOpen() {}

    /** Migrates if the conditions above hold; returns the report of a migration that ran. */
    static Optional<LegacyMigrationReport> runIfNeeded(UnifiedStorage storage, StorageConfig config,
            StorageContext context) {
        Path project = context.projectDirectory();
        if (project == null || !"file".equalsIgnoreCase(config.backend())
                || Boolean.FALSE.equals(config.backendConfig().get(AUTO_MIGRATE_KEY))) {
            return Optional.empty();
        }
        Path baseDir = baseDir(config);
        if (!LegacyMigration.detect(project, baseDir).found()) {
            return Optional.empty();
        }
        LegacyMigrationOptions options = LegacyMigrationOptions.of(baseDir.resolve("backups"))
                .withTargetLabel(baseDir.toString())
                .withGlobalBaseDir(baseDir)
                .withClock(context.clock());
        try {
            return Optional.of(LegacyMigration.migrate(project, storage, options));
        } catch (StorageException e) {
            LOG.error("Automatic migration of legacy storage in {} failed; the local data is unchanged and the global"
                    + " store is usable. Run 'prodigy-storage migrate legacy {}' to see the details and retry. Cause: {}",
                    project.resolve(".prodigy"), project, e.getMessage());
            return Optional.empty();
        }
    }

    private static Path baseDir(StorageConfig config) {
        Object dir = config.backendConfig().get("base_dir");
        return dir == null ? ConfigBinder.expandHome("~/.prodigy") : ConfigBinder.expandHome(dir.toString());
    }
}
