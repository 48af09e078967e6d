package io.prodigy.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.Capability;
import io.prodigy.storage.dlq.DlqClaim;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.error.LockNotHeldException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link DlqStorage}'s claims, which let workers in different threads, worktrees or processes
 * reprocess dead letters without ever reprocessing the same item at once: {@code claim} takes the oldest unclaimed
 * items, a live claim excludes every other claim, claims expire after their lease (tested with the {@link TestClock}
 * where the backend follows it, and with {@link #elapse} otherwise), {@code remove}/{@code release} need the live
 * claim's token ({@link LockNotHeldException} otherwise), {@code release} records a new failure, and many threads
 * claiming from one queue never get the same item twice.
 *
 * <p>Use it by extending it and implementing the hook:
 * <pre>{@code
 * class MemoryDlqClaimContractTest extends DlqClaimContract {
 *     protected UnifiedStorage open(StorageContext context) {
 *         return new MemoryStorageProvider().open(StorageConfig.forBackend("memory"), context);
 *     }
 * }
 * }</pre>
 */
public abstract class DlqClaimContract extends StorageContractSupport {

    private static final Duration LONG_LEASE = Duration.ofMinutes(10);

    private DlqStorage dlq() {
        return storage().dlq();
    }

    private static DlqFailure failure(String itemId, long millis) {
        return DlqFailure.of(itemId, Json.nodes().objectNode().put("item", itemId), "boom").withAt(at(millis));
    }

    /** Adds {@code count} items enqueued 1 ms apart, oldest first; returns their ids in that order. */
    private List<String> addItems(JobRef job, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = String.format("item-%05d-%s", i, uniqueId("x"));
            dlq().add(job, failure(id, i));
            ids.add(id);
        }
        return ids;
    }

    private static List<String> ids(List<DlqItem> items) {
        return items.stream().map(DlqItem::itemId).toList();
    }

    @Test
    void claimTakesTheOldestUnclaimedItemsUpToTheMaximum() {
        JobRef job = newJob();
        List<String> items = addItems(job, 5);

        List<DlqItem> first = dlq().claim(job, "worker-1", 2, LONG_LEASE);
        List<DlqItem> second = dlq().claim(job, "worker-2", 10, LONG_LEASE);

        assertThat(ids(first)).containsExactlyElementsOf(items.subList(0, 2));
        assertThat(ids(second)).containsExactlyElementsOf(items.subList(2, 5));
        assertThat(first).allSatisfy(i -> {
            assertThat(i.claim()).isNotNull();
            assertThat(i.claim().worker()).isEqualTo("worker-1");
            assertThat(i.claim().token()).isNotBlank();
        });
        assertThat(dlq().claim(job, "worker-3", 10, LONG_LEASE)).as("everything is claimed").isEmpty();
    }

    @Test
    void eachClaimHasItsOwnToken() {
        JobRef job = newJob();
        addItems(job, 3);
        List<DlqItem> claimed = dlq().claim(job, "w", 3, LONG_LEASE);

        assertThat(claimed).extracting(i -> i.claim().token()).doesNotHaveDuplicates();
    }

    @Test
    void claimOfAnEmptyQueueIsEmpty() {
        assertThat(dlq().claim(newJob(), "w", 5, LONG_LEASE)).isEmpty();
    }

    @Test
    void claimedItemsShowTheirClaimAndCountInStats() {
        JobRef job = newJob();
        List<String> items = addItems(job, 3);
        DlqItem claimed = dlq().claim(job, "w", 1, LONG_LEASE).get(0);

        DlqItem stored = dlq().get(job, items.get(0)).orElseThrow();
        assertThat(stored.claim()).isEqualTo(claimed.claim());
        assertThat(dlq().list(DlqFilter.forJob(job))).as("claimed items are still listed").hasSize(3);
        assertThat(dlq().stats(job).claimedItems()).isEqualTo(1);
        assertThat(dlq().stats(job).totalItems()).isEqualTo(3);
    }

    @Test
    void aClaimRecordsItsLeaseOnTheStoreClock() {
        assumeCapability(Capability.CLIENT_CLOCK);
        JobRef job = newJob();
        addItems(job, 1);
        clock.set(at(100_000));

        DlqClaim claim = dlq().claim(job, "worker-9", 1, Duration.ofSeconds(30)).get(0).claim();

        assertThat(claim.worker()).isEqualTo("worker-9");
        assertThat(claim.claimedAt()).isEqualTo(at(100_000));
        assertThat(claim.expiresAt()).isEqualTo(at(130_000));
    }

    @Test
    void anExpiredClaimLetsTheItemBeClaimedAgainAtExactlyItsExpiry() {
        assumeCapability(Capability.CLIENT_CLOCK);
        JobRef job = newJob();
        String item = addItems(job, 1).get(0);
        DlqItem first = dlq().claim(job, "slow-worker", 1, Duration.ofSeconds(30)).get(0);

        clock.advance(Duration.ofSeconds(30).minusMillis(1));
        assertThat(dlq().claim(job, "other", 1, LONG_LEASE)).as("1 ms before expiry the claim is live").isEmpty();
        assertThat(dlq().stats(job).claimedItems()).isEqualTo(1);

        clock.advance(Duration.ofMillis(1));
        List<DlqItem> second = dlq().claim(job, "other", 1, LONG_LEASE);
        assertThat(ids(second)).containsExactly(item);
        assertThat(second.get(0).claim().token()).isNotEqualTo(first.claim().token());
        assertThat(second.get(0).claim().worker()).isEqualTo("other");

        String staleToken = first.claim().token();
        assertThatThrownBy(() -> dlq().remove(job, item, staleToken)).isInstanceOf(LockNotHeldException.class);
        assertThatThrownBy(() -> dlq().release(job, item, staleToken, "late")).isInstanceOf(
                LockNotHeldException.class);
        assertThat(dlq().get(job, item)).as("the stale worker changed nothing").isPresent()
                .hasValueSatisfying(i -> assertThat(i.retryCount()).isZero());
    }

    @Test
    void aLapsedClaimNobodyReclaimedCanStillBeRemovedOrReleasedByItsHolder() {
        assumeCapability(Capability.CLIENT_CLOCK);
        JobRef job = newJob();
        List<String> items = addItems(job, 2);
        List<DlqItem> claimed = dlq().claim(job, "slow-worker", 2, Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(31));

        assertThat(dlq().remove(job, items.get(0), claimed.get(0).claim().token()))
                .as("remove with the token of a lapsed claim nobody took over, as locks.release").isTrue();
        DlqItem released = dlq().release(job, items.get(1), claimed.get(1).claim().token(), "too slow");
        assertThat(released.claim()).isNull();
        assertThat(released.retryCount()).isEqualTo(1);
        assertThat(dlq().get(job, items.get(0))).isEmpty();
    }

    @Test
    void theHolderCanExtendALiveClaimAndKeepsItsToken() {
        assumeCapability(Capability.CLIENT_CLOCK);
        JobRef job = newJob();
        String item = addItems(job, 1).get(0);
        clock.set(at(100_000));
        DlqItem claimed = dlq().claim(job, "w", 1, Duration.ofSeconds(30)).get(0);
        clock.advance(Duration.ofSeconds(20));

        DlqItem extended = dlq().extendClaim(job, item, claimed.claim().token(), Duration.ofSeconds(30));

        assertThat(extended.claim().token()).isEqualTo(claimed.claim().token());
        assertThat(extended.claim().worker()).isEqualTo("w");
        assertThat(extended.claim().claimedAt()).isEqualTo(at(100_000));
        assertThat(extended.claim().expiresAt()).isEqualTo(at(150_000));
        assertThat(dlq().get(job, item)).contains(extended);
        clock.advance(Duration.ofSeconds(20));
        assertThat(dlq().claim(job, "other", 1, LONG_LEASE)).as("still claimed past the first lease").isEmpty();
        assertThat(dlq().remove(job, item, claimed.claim().token())).isTrue();
    }

    @Test
    void extendClaimRefusesAnotherTokenALapsedClaimAndAnUnknownItem() {
        assumeCapability(Capability.CLIENT_CLOCK);
        JobRef job = newJob();
        String item = addItems(job, 1).get(0);
        DlqItem claimed = dlq().claim(job, "w", 1, Duration.ofSeconds(30)).get(0);

        assertThatThrownBy(() -> dlq().extendClaim(job, item, "not-the-token", LONG_LEASE))
                .isInstanceOf(LockNotHeldException.class);
        clock.advance(Duration.ofSeconds(30));
        assertThatThrownBy(() -> dlq().extendClaim(job, item, claimed.claim().token(), LONG_LEASE))
                .as("a lapsed claim, as locks.extend").isInstanceOf(LockNotHeldException.class);
        assertThatThrownBy(() -> dlq().extendClaim(job, uniqueId("item"), "t", LONG_LEASE))
                .isInstanceOf(NotFoundException.class);
        assertThat(dlq().get(job, item).orElseThrow().claim()).isEqualTo(claimed.claim());
    }

    @Test
    void anExpiredClaimLetsTheItemBeClaimedAgain() {
        JobRef job = newJob();
        String item = addItems(job, 1).get(0);
        Duration lease = Duration.ofMillis(150);
        DlqItem first = dlq().claim(job, "slow-worker", 1, lease).get(0);
        assertThat(dlq().claim(job, "other", 1, LONG_LEASE)).isEmpty();

        List<DlqItem> second = List.of();
        long deadline = System.nanoTime() + Await.DEFAULT_TIMEOUT.toNanos();
        while (second.isEmpty() && System.nanoTime() < deadline) {
            elapse(Duration.ofMillis(50));
            second = dlq().claim(job, "other", 1, LONG_LEASE);
        }
        assertThat(ids(second)).as("the item became claimable after its lease ran out").containsExactly(item);
        assertThat(second.get(0).claim().token()).isNotEqualTo(first.claim().token());
        assertThatThrownBy(() -> dlq().remove(job, item, first.claim().token()))
                .isInstanceOf(LockNotHeldException.class);
    }

    @Test
    void removeWithTheLiveClaimTokenRemovesTheItem() {
        JobRef job = newJob();
        List<String> items = addItems(job, 2);
        DlqItem claimed = dlq().claim(job, "w", 1, LONG_LEASE).get(0);

        assertThat(dlq().remove(job, claimed.itemId(), claimed.claim().token())).isTrue();
        assertThat(dlq().get(job, claimed.itemId())).isEmpty();
        assertThat(ids(dlq().list(DlqFilter.forJob(job)))).containsExactly(items.get(1));
    }

    @Test
    void removeWithAWrongTokenIsRejectedAndKeepsTheItem() {
        JobRef job = newJob();
        List<String> items = addItems(job, 2);
        DlqItem claimed = dlq().claim(job, "w", 1, LONG_LEASE).get(0);

        assertThatThrownBy(() -> dlq().remove(job, claimed.itemId(), "not-the-token"))
                .isInstanceOf(LockNotHeldException.class);
        assertThatThrownBy(() -> dlq().remove(job, items.get(1), claimed.claim().token()))
                .as("a token of another item").isInstanceOf(LockNotHeldException.class);
        assertThatThrownBy(() -> dlq().remove(job, items.get(1), "some-token"))
                .as("a token for an unclaimed item").isInstanceOf(LockNotHeldException.class);
        assertThat(dlq().get(job, claimed.itemId())).isPresent();
        assertThat(dlq().get(job, items.get(1))).isPresent();
    }

    @Test
    void releaseWithAnErrorRecordsTheFailureAndMakesTheItemClaimableAgain() {
        JobRef job = newJob();
        addItems(job, 1);
        DlqItem claimed = dlq().claim(job, "w", 1, LONG_LEASE).get(0);

        DlqItem released = dlq().release(job, claimed.itemId(), claimed.claim().token(), "reprocessing failed");

        assertThat(released.retryCount()).isEqualTo(1);
        assertThat(released.lastError()).isEqualTo("reprocessing failed");
        assertThat(released.failureHistory()).hasSize(2);
        assertThat(released.failureHistory().get(1).agentId()).as("the failure is the claim's worker's")
                .isEqualTo("w");
        assertThat(released.claim() == null || !released.claim().token().equals(claimed.claim().token()))
                .as("the released claim is gone").isTrue();
        assertThat(dlq().get(job, claimed.itemId())).contains(released);
        assertThat(dlq().stats(job).claimedItems()).isZero();
        assertThat(ids(dlq().claim(job, "w2", 1, LONG_LEASE))).containsExactly(claimed.itemId());
    }

    @Test
    void releaseWithoutAnErrorKeepsTheRetryCount() {
        JobRef job = newJob();
        addItems(job, 1);
        DlqItem claimed = dlq().claim(job, "w", 1, LONG_LEASE).get(0);

        DlqItem released = dlq().release(job, claimed.itemId(), claimed.claim().token(), null);

        assertThat(released.retryCount()).isZero();
        assertThat(released.failureHistory()).hasSize(1);
        assertThat(dlq().claim(job, "w2", 1, LONG_LEASE)).hasSize(1);
    }

    @Test
    void releaseWithAWrongTokenIsRejectedAndChangesNothing() {
        JobRef job = newJob();
        addItems(job, 1);
        DlqItem claimed = dlq().claim(job, "w", 1, LONG_LEASE).get(0);

        assertThatThrownBy(() -> dlq().release(job, claimed.itemId(), "wrong", "e"))
                .isInstanceOf(LockNotHeldException.class);
        DlqItem stored = dlq().get(job, claimed.itemId()).orElseThrow();
        assertThat(stored.retryCount()).isZero();
        assertThat(stored.claim()).isEqualTo(claimed.claim());

        dlq().release(job, claimed.itemId(), claimed.claim().token(), null);
        assertThatThrownBy(() -> dlq().release(job, claimed.itemId(), claimed.claim().token(), null))
                .as("a claim cannot be released twice").isInstanceOf(LockNotHeldException.class);
    }

    @Test
    void releaseOfAnUnknownItemIsNotFound() {
        JobRef job = newJob();
        String id = uniqueId("item");
        assertThatThrownBy(() -> dlq().release(job, id, "token", "e"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining(id);
    }

    @Test
    void concurrentWorkersNeverClaimTheSameItem() throws Exception {
        JobRef job = newJob();
        List<String> items = addItems(job, 300);
        int workers = 8;
        Map<String, String> claimedBy = new ConcurrentHashMap<>();
        List<String> doubleClaims = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                String worker = "worker-" + w;
                futures.add(pool.submit(() -> {
                    start.await();
                    while (true) {
                        List<DlqItem> got = dlq().claim(job, worker, 3, LONG_LEASE);
                        if (got.isEmpty()) {
                            return null;
                        }
                        for (DlqItem item : got) {
                            String previous = claimedBy.putIfAbsent(item.itemId(), worker);
                            if (previous != null) {
                                doubleClaims.add(item.itemId() + " by " + previous + " and " + worker);
                            }
                        }
                    }
                }));
            }
            start.countDown();
            long deadline = System.nanoTime() + Await.WORKLOAD_TIMEOUT.toNanos(); // all workers, together
            for (Future<?> f : futures) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(doubleClaims).as("items claimed twice while their claim was live").isEmpty();
        assertThat(claimedBy.keySet()).containsExactlyInAnyOrderElementsOf(items);
        assertThat(dlq().stats(job).claimedItems()).isEqualTo(items.size());
    }

    @Test
    void concurrentWorkersProcessEveryItemExactlyOnce() throws Exception {
        JobRef job = newJob();
        List<String> items = addItems(job, 200);
        Set<String> processed = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                String worker = "worker-" + w;
                futures.add(pool.submit(() -> {
                    List<DlqItem> got;
                    while (!(got = dlq().claim(job, worker, 2, LONG_LEASE)).isEmpty()) {
                        for (DlqItem item : got) {
                            if (!processed.add(item.itemId())) {
                                duplicates.incrementAndGet();
                            }
                            assertThat(dlq().remove(job, item.itemId(), item.claim().token())).isTrue();
                        }
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + Await.WORKLOAD_TIMEOUT.toNanos(); // all workers, together
            for (Future<?> f : futures) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(duplicates).hasValue(0);
        assertThat(new HashSet<>(processed)).containsExactlyInAnyOrderElementsOf(items);
        assertThat(dlq().list(DlqFilter.forJob(job))).isEmpty();
    }
}
