package io.prodigy.storage.migrate.legacy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link LegacyMigration#migrate} runs.
 *
 * @param dryRun        only report what would be migrated: no backup, no lock, no writes, no move
 * @param backupDir     where the backup {@code legacy-backup-{repo}-{timestamp}/} is made; must be outside the
 *                      project (the factory passes {@code {base_dir}/backups})
 * @param targetLabel   how messages name the target, for example the file backend's base directory
 *                      ({@code /home/me/.prodigy}); {@code null} for "{backend} storage"
 * @param globalBaseDir the global store's directory, if the target has one: a project whose {@code .prodigy} is
 *                      that directory (a project at the home directory) is never treated as legacy; may be null
 * @param lockTtl       lease of the {@code legacy-migration:{repo}} lock, renewed every third of it while running
 * @param lockWait      how long to wait for another process that is migrating the same repository
 * @param clock         time source for the backup and migrated directory names
 */
public record LegacyMigrationOptions(
        boolean dryRun, Path backupDir, String targetLabel, Path globalBaseDir, Duration lockTtl, Duration lockWait,
        Clock clock) {

    public LegacyMigrationOptions {
        Objects.requireNonNull(backupDir, "backupDir");
        Objects.requireNonNull(lockTtl, "lockTtl");
        Objects.requireNonNull(lockWait, "lockWait");
        Objects.requireNonNull(clock, "clock");
        if (lockTtl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("lockTtl must be at least 1s, was " + lockTtl);
        }
    }

    /** Defaults: not a dry run, 2-minute lease renewed while running, wait up to 5 minutes, system clock. */
    public static LegacyMigrationOptions of(Path backupDir) {
        return new LegacyMigrationOptions(false, backupDir, null, null, Duration.ofMinutes(2), Duration.ofMinutes(5),
                Clock.systemUTC());
    }

    public LegacyMigrationOptions withDryRun(boolean on) {
        return new LegacyMigrationOptions(on, backupDir, targetLabel, globalBaseDir, lockTtl, lockWait, clock);
    }

    public LegacyMigrationOptions withTargetLabel(String label) {
        return new LegacyMigrationOptions(dryRun, backupDir, label, globalBaseDir, lockTtl, lockWait, clock);
    }

    public LegacyMigrationOptions withGlobalBaseDir(Path dir) {
        return new LegacyMigrationOptions(dryRun, backupDir, targetLabel, dir, lockTtl, lockWait, clock);
    }

    public LegacyMigrationOptions withLock(Duration ttl, Duration wait) {
        return new LegacyMigrationOptions(dryRun, backupDir, targetLabel, globalBaseDir, ttl, wait, clock);
    }

    public LegacyMigrationOptions withClock(Clock c) {
        return new LegacyMigrationOptions(dryRun, backupDir, targetLabel, globalBaseDir, lockTtl, lockWait, c);
    }
}
