package io.prodigy.storage.file.maintenance;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sizes and counts of a file store, for {@code info} and cleanup decisions.
 *
 * @param global       categories that are not per repository: {@code sessions}, {@code workflows},
 *                     {@code workflow_executions}, {@code workflow_checkpoints}, {@code locks}
 * @param repositories per repository name: {@code events}, {@code event_archive}, {@code dlq},
 *                     {@code checkpoints}, {@code logs}
 */
public record StorageStatistics(Path baseDir, int layoutVersion, Instant computedAt,
        Map<String, CategoryStatistics> global, Map<String, Map<String, CategoryStatistics>> repositories,
        long totalBytes) {

    public StorageStatistics {
        global = Collections.unmodifiableMap(new TreeMap<>(global));
        Map<String, Map<String, CategoryStatistics>> repos = new TreeMap<>();
        repositories.forEach((k, v) -> repos.put(k, Collections.unmodifiableMap(new TreeMap<>(v))));
        repositories = Collections.unmodifiableMap(repos);
    }

    /**
     * @param files   regular files (guards and temp files included)
     * @param bytes   their total size
     * @param records logical records: events, DLQ items, checkpoints, sessions, …
     */
    public record CategoryStatistics(long files, long bytes, long records) {
        public static final CategoryStatistics EMPTY = new CategoryStatistics(0, 0, 0);

        CategoryStatistics plus(CategoryStatistics o) {
            return new CategoryStatistics(files + o.files, bytes + o.bytes, records + o.records);
        }

        CategoryStatistics withRecords(long n) {
            return new CategoryStatistics(files, bytes, n);
        }
    }
}
