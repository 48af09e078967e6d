package io.prodigy.storage.file.event;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.file.FileConfig;
import io.prodigy.storage.file.FileStorage;
import io.prodigy.storage.file.FileStorageProvider;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.tck.TestClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** Base of the tests that look at one job's segment files: a store in a temp directory at a fixed time. */
abstract class OneJobStore {

    static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

    @TempDir
    Path base;

    final JobRef job = JobRef.of("repo", "job-1");

    /** A store over {@link #base} whose clock stands at {@link #T0}; segments rotate after {@code maxFileSize}. */
    FileStorage open(long maxFileSize) {
        return new FileStorageProvider().open(FileConfig.bind(Map.of("base_dir", base.toString(), "max_file_size",
                maxFileSize)), new StorageContext(TestClock.at(T0), null));
    }

    /** The job's directory of segments. */
    Path jobDir() {
        return base.resolve("events").resolve(job.repository()).resolve(job.jobId());
    }
}
