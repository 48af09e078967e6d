package io.prodigy.storage.file.maintenance;

import io.prodigy.storage.file.FileConfig;
import io.prodigy.storage.file.event.FileEventStorage;
import io.prodigy.storage.file.event.Removal;
import io.prodigy.storage.file.io.IoErrors;
import io.prodigy.storage.file.io.JsonFiles;
import io.prodigy.storage.file.io.StoreContext;
import io.prodigy.storage.file.layout.StorageLayout;
import io.prodigy.storage.file.maintenance.StorageStatistics.CategoryStatistics;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Retention cleanups and statistics over a file store (the CLI's {@code clean} and {@code info}). */
public final class Maintenance {

    /** Temp files older than this are leftovers of a crash, not writes in progress. */
    private static final Duration STALE_TEMP = Duration.ofHours(1);

    private final StoreContext ctx;
    private final StorageLayout layout;
    private final FileConfig config;
    private final FileEventStorage events;
    private final int layoutVersion;

    public Maintenance(StoreContext ctx, FileConfig config, FileEventStorage events, int layoutVersion) {
        this.ctx = ctx;
        this.layout = ctx.layout();
        this.config = config;
        this.events = events;
        this.layoutVersion = layoutVersion;
    }

    /**
     * Applies retention to every job's event log.
     *
     * @param policy the policy for every repository, or {@code null} for the configured per-repository policies
     * @param dryRun only report what would be removed
     */
    public CleanupReport cleanup(RetentionPolicy policy, boolean dryRun) {
        ctx.checkOpen();
        Instant now = ctx.now();
        List<CleanupReport.JobCleanup> jobs = new ArrayList<>();
        long removed = 0;
        long archived = 0;
        long freed = 0;
        for (JobRef job : events.listJobs(null)) {
            RetentionPolicy p = policy != null ? policy : config.retention().policyFor(job.repository());
            if (!p.removesAnything()) {
                continue;
            }
            Instant cutoff = p.maxAge() == null ? null : now.minus(p.maxAge());
            long dropFirst = 0;
            if (p.maxEventsPerJob() > 0) {
                dropFirst = Math.max(0, events.aggregate(job).totalEvents() - p.maxEventsPerJob());
            }
            if (cutoff == null && dropFirst == 0) {
                continue;
            }
            FileEventStorage.RemovalOutcome r = events.removeEvents(job, new Removal(cutoff, dropFirst),
                    p.archive() ? layout.eventsArchiveDir(job) : null, config.enableCompression(), dryRun);
            if (r.removed() == 0) {
                continue;
            }
            jobs.add(new CleanupReport.JobCleanup(job, p, r.removed(), r.archived(), r.bytesBefore(),
                    r.bytesAfter(), r.archiveFile()));
            removed += r.removed();
            archived += r.archived();
            freed += Math.max(0, r.bytesBefore() - r.bytesAfter());
        }
        long temps = dryRun ? 0 : sweepStaleTempFiles(now);
        return new CleanupReport(dryRun, now, jobs, removed, archived, dryRun ? 0 : freed, temps);
    }

    private long sweepStaleTempFiles(Instant now) {
        long[] n = {0};
        Instant limit = now.minus(STALE_TEMP);
        walk(layout.base(), (file, attrs) -> {
            String name = file.getFileName().toString();
            if (name.startsWith(".") && name.endsWith(".tmp")
                    && attrs.lastModifiedTime().toInstant().isBefore(limit)) {
                try {
                    if (Files.deleteIfExists(file)) {
                        n[0]++;
                    }
                } catch (IOException ignored) {
                    // swept next time
                }
            }
        });
        return n[0];
    }

    /** Bytes and counts per category and repository. */
    public StorageStatistics statistics() {
        ctx.checkOpen();
        Map<String, CategoryStatistics> global = new LinkedHashMap<>();
        global.put("sessions", countJson(du(layout.sessionsDir()), layout.sessionsDir()));
        global.put("workflows", countJson(du(layout.workflowsDir()), layout.workflowsDir()));
        global.put("workflow_executions", recordsBySuffix(layout.executionsRoot(), ".json"));
        global.put("workflow_checkpoints", recordsBySuffix(layout.workflowCheckpointsRoot(), ".checkpoint.json"));
        global.put("locks", countBySuffix(du(layout.locksDir()), layout.locksDir(), ".lock"));

        Map<String, Map<String, CategoryStatistics>> repos = new LinkedHashMap<>();
        for (String repo : repositories()) {
            Map<String, CategoryStatistics> cats = new LinkedHashMap<>();
            Path eventsDir = layout.eventsRoot().resolve(repo);
            Path archiveDir = eventsDir.resolve("archive");
            CategoryStatistics all = du(eventsDir);
            CategoryStatistics archive = du(archiveDir);
            long eventCount = 0;
            for (JobRef job : events.listJobs(repo)) {
                eventCount += events.aggregate(job).totalEvents();
            }
            cats.put("events", new CategoryStatistics(all.files() - archive.files(), all.bytes() - archive.bytes(),
                    eventCount));
            cats.put("event_archive", archive.withRecords(archive.files()));
            cats.put("dlq", recordsBySuffix(layout.dlqRoot().resolve(repo), ".json"));
            cats.put("checkpoints", recordsBySuffix(layout.stateRoot().resolve(repo), ".json"));
            cats.put("logs", du(layout.logsRoot().resolve(repo)));
            repos.put(repo, cats);
        }
        long total = du(layout.base()).bytes();
        return new StorageStatistics(layout.base(), layoutVersion, ctx.now(), global, repos, total);
    }

    private List<String> repositories() {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        for (Path root : List.of(layout.eventsRoot(), layout.dlqRoot(), layout.stateRoot(), layout.logsRoot())) {
            for (Path dir : JsonFiles.subdirectories(root)) {
                String name = dir.getFileName().toString();
                if (Ids.problem(name) == null) {
                    names.add(name);
                }
            }
        }
        return new ArrayList<>(names);
    }

    private static CategoryStatistics countJson(CategoryStatistics du, Path dir) {
        return du.withRecords(JsonFiles.list(dir, ".json").size());
    }

    private static CategoryStatistics countBySuffix(CategoryStatistics du, Path dir, String suffix) {
        return du.withRecords(JsonFiles.list(dir, suffix).size());
    }

    private CategoryStatistics recordsBySuffix(Path root, String suffix) {
        long[] records = {0};
        CategoryStatistics du = walk(root, (file, attrs) -> {
            String name = file.getFileName().toString();
            if (!name.startsWith(".") && name.endsWith(suffix)) {
                records[0]++;
            }
        });
        return du.withRecords(records[0]);
    }

    private CategoryStatistics du(Path root) {
        return walk(root, (f, a) -> { });
    }

    private interface FileVisitor {
        void visit(Path file, BasicFileAttributes attrs);
    }

    /** Walks regular files under {@code root} (missing root: empty), summing count and bytes. */
    private CategoryStatistics walk(Path root, FileVisitor visitor) {
        long[] acc = {0, 0};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        acc[0]++;
                        acc[1] += attrs.size();
                        visitor.visit(file, attrs);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE; // vanished meanwhile (rotation, cleanup)
                }
            });
        } catch (NoSuchFileException e) {
            return CategoryStatistics.EMPTY;
        } catch (IOException e) {
            throw IoErrors.translate("computing statistics of", root, e);
        }
        return new CategoryStatistics(acc[0], acc[1], 0);
    }
}
