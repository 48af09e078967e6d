package io.prodigy.storage.bench.append;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.bench.support.BenchDirs;
import io.prodigy.storage.bench.support.Backends;
import io.prodigy.storage.bench.support.EventFixtures;
import io.prodigy.storage.bench.support.EventFixtures.EventFactory;
import io.prodigy.storage.bench.support.ExtraMetrics;
import io.prodigy.storage.id.JobRef;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A backend of the project, reached through the SPI: {@code events().append(job, batch)}.
 *
 * <p>The memory backend keeps every event on the heap, and at millions of events per second a trial would outgrow
 * any sensible heap; so for it the target switches to a fresh job every {@value #MEMORY_JOB_EVENTS} events and deletes
 * the old one. The switch is rare (and costs one {@code deleteJob}) and shows as a slightly lower memory figure.
 */
final class BackendTarget implements AppendTarget {

    private static final long MEMORY_JOB_EVENTS = 1_000_000;

    private final String name;
    private final UnifiedStorage storage;
    private final Path dir;
    private final boolean rotateJobs;
    private final AtomicReference<JobRef> job = new AtomicReference<>(EventFixtures.JOB);
    private final AtomicLong eventsInJob = new AtomicLong();
    private final AtomicLong rotations = new AtomicLong();
    /** The acknowledged events {@link #verify} found stored, for the bytes per event measured on closing. */
    private long verified;

    private BackendTarget(String name, UnifiedStorage storage, Path dir, boolean rotateJobs) {
        this.name = name;
        this.storage = storage;
        this.dir = dir;
        this.rotateJobs = rotateJobs;
    }

    static BackendTarget file() {
        Path dir = BenchDirs.newScratchDir("append-file");
        try {
            return new BackendTarget("file", Backends.openFile(dir), dir, false);
        } catch (RuntimeException e) {
            BenchDirs.deleteRecursively(dir);
            throw e;
        }
    }

    static BackendTarget memory() {
        return new BackendTarget("memory", Backends.openMemory(), null, true);
    }

    @Override
    public Appender appender(int threadIndex, int batch) {
        EventFactory events = new EventFactory(AppendTarget.tag(threadIndex));
        var store = storage.events();
        return () -> {
            JobRef target = job.get();
            int n = store.append(target, events.batch(batch)).appended();
            if (rotateJobs && eventsInJob.addAndGet(n) >= MEMORY_JOB_EVENTS) {
                rotate(target);
            }
            return n;
        };
    }

    private void rotate(JobRef full) {
        JobRef next = JobRef.of(full.repository(), "bench-job-" + rotations.incrementAndGet());
        if (job.compareAndSet(full, next)) {
            eventsInJob.set(0);
            storage.events().deleteJob(full);
        }
    }

    @Override
    public void verify(long acknowledged) {
        if (rotateJobs) {
            return; // the memory backend's jobs were rotated away; it is not durable anyway
        }
        long stored = storage.events().lastSequence(EventFixtures.JOB);
        if (stored != acknowledged) {
            throw new IllegalStateException(name + " backend holds " + stored + " events but " + acknowledged
                    + " appends were acknowledged");
        }
        verified = acknowledged;
    }

    @Override
    public void close() {
        try {
            storage.close();
            // Measured once closed: an open file store's active segment is preallocated past its data.
            if (dir != null && verified > 0) {
                ExtraMetrics.record("append", Map.of("impl", name), "stored_bytes_per_event",
                        (double) BenchDirs.sizeOf(dir) / verified, "bytes");
            }
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }
}
