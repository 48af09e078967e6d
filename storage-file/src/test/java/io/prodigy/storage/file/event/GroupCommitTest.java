package io.prodigy.storage.file.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.event.AppendResult;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.file.FileConfig;
import io.prodigy.storage.file.FileStorage;
import io.prodigy.storage.file.FileStorageProvider;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.tck.TestClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit's wait protocol: followers wait for a release, not on the commit lock, and no wake-up is lost. */
class GroupCommitTest {

    @TempDir
    Path base;

    @Test
    void waiterReturnsWhenTheHolderReleases() throws Exception {
        CommitLock lock = new CommitLock();
        lock.lock();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch failedToLock = new CountDownLatch(1);
            Future<Boolean> waiter = pool.submit(() -> {
                long seen = lock.releases();
                boolean got = lock.tryLock();
                failedToLock.countDown();
                lock.awaitRelease(() -> false, seen);
                return got;
            });
            assertThat(failedToLock.await(30, TimeUnit.SECONDS)).isTrue();
            lock.unlock();
            assertThat(waiter.get(30, TimeUnit.SECONDS)).as("the mutex was held, so tryLock failed").isFalse();
            assertThat(lock.tryLock()).as("nobody holds it any more").isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void releaseBetweenReadingTheCountAndWaitingEndsTheWaitAtOnce() {
        CommitLock lock = new CommitLock();
        long seen = lock.releases();
        lock.lock();
        lock.unlock(); // the leader finished before this thread started to wait
        assertThat(lock.releases()).isEqualTo(seen + 1);
        lock.awaitRelease(() -> false, seen); // returns: a release happened since 'seen'
        lock.awaitRelease(() -> true, lock.releases()); // returns: already done
    }

    @Test
    void concurrentAppendersGetDisjointGapFreeRangesWhileExclusiveWorkInterleaves() throws Exception {
        JobRef job = JobRef.of("repo", "group-commit");
        TestClock clock = TestClock.at(Instant.parse("2026-01-15T10:00:00Z"));
        try (FileStorage s = new FileStorageProvider().open(FileConfig.bind(Map.of("base_dir", base.toString())),
                new StorageContext(clock, null))) {
            JobLog log = s.fileEvents().log(job);
            int threads = 8;
            int appendsPerThread = 60;
            ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
            AtomicBoolean stop = new AtomicBoolean();
            List<Future<List<AppendResult>>> appenders = new ArrayList<>();
            try {
                // Takes and releases the commit lock between groups, as idle eviction does.
                Future<?> evictor = pool.submit(() -> {
                    while (!stop.get()) {
                        log.closeIfIdle();
                        Thread.onSpinWait();
                    }
                });
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    appenders.add(pool.submit(() -> {
                        List<AppendResult> results = new ArrayList<>();
                        for (int i = 0; i < appendsPerThread; i++) {
                            List<NewEvent> batch = new ArrayList<>();
                            for (int k = 0; k <= i % 3; k++) {
                                batch.add(NewEvent.of("t" + thread, null).withCorrelationId(thread + "-" + i));
                            }
                            results.add(s.events().append(job, batch));
                        }
                        return results;
                    }));
                }
                TreeMap<Long, AppendResult> byFirst = new TreeMap<>();
                for (Future<List<AppendResult>> f : appenders) {
                    for (AppendResult r : f.get(120, TimeUnit.SECONDS)) {
                        assertThat(byFirst.put(r.firstSequence(), r)).isNull();
                    }
                }
                stop.set(true);
                evictor.get(30, TimeUnit.SECONDS);
                long expectedNext = 1;
                for (AppendResult r : byFirst.values()) {
                    assertThat(r.firstSequence()).as("ranges are disjoint and gap-free").isEqualTo(expectedNext);
                    assertThat(r.lastSequence() - r.firstSequence() + 1).isEqualTo(r.appended());
                    expectedNext = r.lastSequence() + 1;
                }
                long total = expectedNext - 1;
                assertThat(total).isEqualTo((long) threads * (appendsPerThread / 3) * (1 + 2 + 3));
                List<EventRecord> stored;
                try (Stream<EventRecord> st = s.events().query(EventFilter.forJob(job))) {
                    stored = st.toList();
                }
                assertThat(stored).extracting(EventRecord::sequence)
                        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, total).boxed().toList());
                // Every event of one append landed in that append's range, together.
                for (AppendResult r : byFirst.values()) {
                    List<EventRecord> range = stored.subList((int) r.firstSequence() - 1, (int) r.lastSequence());
                    assertThat(range).extracting(EventRecord::correlationId).containsOnly(range.get(0).correlationId());
                }
            } finally {
                stop.set(true);
                pool.shutdownNow();
            }
        }
    }
}
