package io.prodigy.storage.migrate.prodigy;

import io.prodigy.storage.id.Ids;

/**
 * How {@link ProdigyImporter#importTree} reads and writes.
 *
 * @param dryRun                   read everything and compare with the target, write nothing; the report counts
 *                                 what would be imported
 * @param localRepository          {@code null} for a global tree ({@code ~/.prodigy}: the first directory under
 *                                 {@code events/}, {@code dlq/}, {@code state/} names the repository); or the
 *                                 repository of a project-local legacy {@code .prodigy/} directory, whose records
 *                                 all belong to it
 * @param redactEnvironmentSecrets mask the values of secret-looking variables (see
 *                                 {@link io.prodigy.storage.config.Redaction#isSecretKey}) in the process environment
 *                                 that the original tool saved in every workflow checkpoint; off by default, because
 *                                 the import otherwise keeps every byte
 * @param batchSize                events per append (at least 1)
 */
public record ImportOptions(boolean dryRun, String localRepository, boolean redactEnvironmentSecrets, int batchSize) {

    public static final ImportOptions DEFAULT = new ImportOptions(false, null, false, 500);

    public ImportOptions {
        if (localRepository != null) {
            Ids.check("repository name", localRepository);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
    }

    public ImportOptions withDryRun(boolean on) {
        return new ImportOptions(on, localRepository, redactEnvironmentSecrets, batchSize);
    }

    /** Reads the base directory as a project's legacy {@code .prodigy/} whose data belongs to {@code repository}. */
    public ImportOptions projectLocal(String repository) {
        return new ImportOptions(dryRun, repository, redactEnvironmentSecrets, batchSize);
    }

    public ImportOptions withRedactedEnvironmentSecrets(boolean on) {
        return new ImportOptions(dryRun, localRepository, on, batchSize);
    }

    public ImportOptions withBatchSize(int size) {
        return new ImportOptions(dryRun, localRepository, redactEnvironmentSecrets, size);
    }

    public boolean isProjectLocal() {
        return localRepository != null;
    }
}
