package io.prodigy.storage.cli.info;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.cli.FileBackendAccess;
import io.prodigy.storage.file.maintenance.StorageStatistics;
import io.prodigy.storage.file.maintenance.StorageStatistics.CategoryStatistics;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Bytes on disk per category and repository, for backends that report them (the file backend's statistics: global
 * categories such as {@code sessions} and {@code locks}, and per repository {@code events}, {@code dlq},
 * {@code checkpoints}, …). Empty for backends without such a report.
 *
 * @param categories usage per category, summed over repositories ({@code events}, {@code sessions}, …)
 * @param repoBytes  bytes per repository
 * @param layoutVersion the on-disk layout version, or {@code null}
 */
public record DiskUsage(Map<String, Usage> categories, Map<String, Long> repoBytes, Integer layoutVersion) {

    /**
     * Files, bytes and logical records of one category.
     */
    public record Usage(long files, long bytes, long records) {
        Usage plus(CategoryStatistics s) {
            return new Usage(files + s.files(), bytes + s.bytes(), records + s.records());
        }
    }

    private static final DiskUsage NONE = new DiskUsage(Map.of(), Map.of(), null);

    public static DiskUsage of(UnifiedStorage storage) {
        return FileBackendAccess.of(storage).map(f -> from(f.statistics())).orElse(NONE);
    }

    static DiskUsage from(StorageStatistics stats) {
        Map<String, Usage> categories = new TreeMap<>();
        Map<String, Long> repos = new TreeMap<>();
        stats.global().forEach((cat, s) -> categories.merge(cat, new Usage(0, 0, 0).plus(s), DiskUsage::sum));
        stats.repositories().forEach((repo, cats) -> cats.forEach((cat, s) -> {
            categories.merge(cat, new Usage(0, 0, 0).plus(s), DiskUsage::sum);
            repos.merge(repo, s.bytes(), Long::sum);
        }));
        return new DiskUsage(categories, repos, stats.layoutVersion());
    }

    private static Usage sum(Usage a, Usage b) {
        return new Usage(a.files() + b.files(), a.bytes() + b.bytes(), a.records() + b.records());
    }

    public boolean available() {
        return !categories.isEmpty() || layoutVersion != null;
    }

    public long totalBytes() {
        return categories.values().stream().mapToLong(Usage::bytes).sum();
    }

    public Optional<Long> repositoryBytes(String repository) {
        return Optional.ofNullable(repoBytes.get(repository));
    }
}
