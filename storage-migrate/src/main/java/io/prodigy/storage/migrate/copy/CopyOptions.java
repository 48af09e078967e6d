package io.prodigy.storage.migrate.copy;

import java.util.Objects;

/**
 * How {@link StorageMigrator#copy} runs.
 *
 * @param dryRun    read both stores and report what would be copied; write nothing
 * @param force     copy even though the source has live lock leases or DLQ claims (they are not copied)
 * @param batchSize events per append (at least 1)
 * @param verify    compare source and target after copying (counts and checksums per type, repository and job)
 * @param progress  receives progress updates
 */
public record CopyOptions(boolean dryRun, boolean force, int batchSize, boolean verify, ProgressListener progress) {

    public static final CopyOptions DEFAULT = new CopyOptions(false, false, 500, true, ProgressListener.NONE);

    public CopyOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        progress = Objects.requireNonNullElse(progress, ProgressListener.NONE);
    }

    public CopyOptions withDryRun(boolean on) {
        return new CopyOptions(on, force, batchSize, verify, progress);
    }

    public CopyOptions withForce(boolean on) {
        return new CopyOptions(dryRun, on, batchSize, verify, progress);
    }

    public CopyOptions withBatchSize(int size) {
        return new CopyOptions(dryRun, force, size, verify, progress);
    }

    public CopyOptions withVerify(boolean on) {
        return new CopyOptions(dryRun, force, batchSize, on, progress);
    }

    public CopyOptions withProgress(ProgressListener listener) {
        return new CopyOptions(dryRun, force, batchSize, verify, listener);
    }
}
