package io.prodigy.storage.file.event;

import io.prodigy.storage.Limits;
import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.event.AppendResult;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStats;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.event.EventSubscription;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.file.io.IoErrors;
import io.prodigy.storage.file.io.JobDirectories;
import io.prodigy.storage.file.io.JsonFiles;
import io.prodigy.storage.file.io.StoreContext;
import io.prodigy.storage.file.layout.StorageLayout;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.Arguments;
import io.prodigy.storage.support.ChangeNotifier;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.support.PollingSubscription;
import io.prodigy.storage.support.lease.FenceCheck;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EventStorage} over per-job segment files ({@code events/{repo}/{job}/}); see {@link JobLog} for the append
 * protocol, {@link SegmentReader} for what readers accept, {@link JobRewriter} for purges.
 *
 * <p><b>Idempotent appends</b> ({@link io.prodigy.storage.Capability#IDEMPOTENT_APPEND}): an event is dropped if the
 * job holds an event with the same id among the events with its last {@link EventStorage#IDEMPOTENCY_WINDOW}
 * sequences (10,000), or if an earlier event of the same batch or group commit has that id; see {@link RecentIds}.
 * <p><b>High-water mark.</b> The sequence floor lives in segment names; purges and {@link #deleteJob} keep the newest
 * segment, emptied if need be, as the job's durable marker, so sequences are never reused.
 */
public final class FileEventStorage implements EventStorage, AutoCloseable {

    /** The longest a subscriber waits for a new event when no hint arrives. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    private static final int MAX_OPEN_LOGS = 256;
    private static final Logger LOG = LoggerFactory.getLogger(FileEventStorage.class);

    private final StoreContext store;
    private final StorageLayout layout;
    private final EventLogContext ctx;
    private final EventWatcher watcher;
    private final Map<JobRef, JobLog> logs = new ConcurrentHashMap<>();

    public FileEventStorage(StoreContext store, long maxFileSize, boolean compress, ChangeNotifier notifier,
            FenceCheck fences) {
        this.store = store;
        this.layout = store.layout();
        this.ctx = new EventLogContext(store, maxFileSize, compress, notifier, fences);
        this.watcher = new EventWatcher(notifier);
    }

    /** The log of one job (package access for tests). */
    JobLog log(JobRef job) {
        Arguments.job(job);
        JobLog log = logs.get(job);
        if (log != null) {
            return log;
        }
        if (logs.size() >= MAX_OPEN_LOGS) {
            // Keep descriptors bounded in long-running processes: idle logs reopen on their next use.
            logs.values().removeIf(JobLog::closeIfIdle);
        }
        return logs.computeIfAbsent(job, j -> new JobLog(j, layout.eventsJobDir(j), ctx));
    }

    @Override
    public AppendResult append(JobRef job, List<NewEvent> events, Fence fence) {
        return log(job).append(Arguments.append(job, events, Limits.DEFAULT), fence);
    }

    @Override
    public Stream<EventRecord> query(EventFilter filter) {
        store.checkOpen();
        EventQuery q = new EventQuery(log(filter.job()), filter);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(q,
                Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(q::close);
    }

    @Override
    public EventStats aggregate(JobRef job) {
        store.checkOpen();
        JobLog log = log(job);
        for (int attempt = 0; ; attempt++) {
            try {
                EventStats.Builder stats = EventStats.builder(job);
                Segments segs = Segments.scan(log.dir);
                segs.reportToReaders(job);
                for (SegmentFile s : segs.live()) {
                    try {
                        ctx.indexes.indexOf(s).addTo(stats);
                    } catch (ZipException | EOFException | AccessDeniedException e) {
                        LOG.warn("Counting the events of job {}: skipping the unreadable event segment '{}' ({}); the"
                                + " other segments are counted. Restore it from a backup if you have one.", job,
                                s.path(), e.toString());
                    }
                }
                return stats.build();
            } catch (NoSuchFileException e) {
                if (attempt >= 10) {
                    throw IoErrors.translate("aggregating the events of job " + job + " in", log.dir, e);
                }
                // a segment was sealed or compressed meanwhile: list again
            } catch (IOException e) {
                throw IoErrors.translate("aggregating the events of job " + job + " in", log.dir, e);
            }
        }
    }

    @Override
    public long lastSequence(JobRef job) {
        store.checkOpen();
        return log(job).lastSequence();
    }

    @Override
    public Page<JobRef> listJobs(String repository, PageRequest page) {
        return JobDirectories.page(store, layout.eventsRoot(), repository, Orders.EVENT_JOBS, page,
                FileEventStorage::hasEvents);
    }

    private static boolean hasEvents(Path jobDir) {
        try {
            for (SegmentFile s : Segments.scan(jobDir).live()) {
                if (Files.size(s.path()) > 0) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        } catch (CorruptionException e) {
            LOG.warn("Skipping job directory '{}' in the job list: {}", jobDir, e.getMessage());
            return false;
        }
    }

    @Override
    public EventSubscription subscribe(EventFilter filter, long afterSequence, Consumer<EventRecord> handler) {
        Arguments.subscription(filter, afterSequence, handler);
        store.checkOpen();
        Path dir = layout.eventsJobDir(filter.job());
        JsonFiles.ensureDirectory(dir);
        watcher.watch(dir);
        return PollingSubscription.start(this, filter, afterSequence, handler, ctx.notifier, POLL_INTERVAL);
    }

    @Override
    public long purge(JobRef job, Instant olderThan, Fence fence) {
        Arguments.purgeCutoff(job, olderThan);
        store.checkOpen();
        return removeEvents(job, new Removal(olderThan, 0), null, false, false, fence).removed();
    }

    /**
     * Removes events by rule, optionally archiving them first; used by purge and by retention cleanups.
     *
     * @param archiveDir directory to archive removed events into, or {@code null}
     * @param dryRun     only count
     */
    public RemovalOutcome removeEvents(JobRef job, Removal removal, Path archiveDir, boolean compressArchive,
            boolean dryRun) {
        return removeEvents(job, removal, archiveDir, compressArchive, dryRun, Fence.NONE);
    }

    private RemovalOutcome removeEvents(JobRef job, Removal removal, Path archiveDir, boolean compressArchive,
            boolean dryRun, Fence fence) {
        store.checkOpen();
        JobLog log = log(job);
        try {
            JobRewriter.Result r = JobRewriter.remove(log, removal, archiveDir, compressArchive, dryRun,
                    store.now(), fence);
            return new RemovalOutcome(r.removed(), r.archived(), r.bytesBefore(), r.bytesAfter(), r.archiveFile());
        } catch (IOException e) {
            throw IoErrors.translate("removing events of job " + job + " in", log.dir, e);
        }
    }

    /** What {@link #removeEvents} did. */
    public record RemovalOutcome(long removed, long archived, long bytesBefore, long bytesAfter, Path archiveFile) {}

    @Override
    public long deleteJob(JobRef job, Fence fence) {
        store.checkOpen();
        JobLog log = log(job);
        try {
            return JobRewriter.deleteAll(log, fence);
        } catch (IOException e) {
            throw IoErrors.translate("deleting the event log of job " + job + " in", log.dir, e);
        }
    }

    @Override
    public void close() {
        watcher.close();
        ctx.shutdown();
        logs.values().forEach(JobLog::closeIfIdle);
        logs.clear();
    }
}
