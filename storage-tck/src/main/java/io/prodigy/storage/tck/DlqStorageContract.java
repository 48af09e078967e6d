package io.prodigy.storage.tck;

import static io.prodigy.storage.tck.ContractAssertions.assertInvalidInput;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.Capability;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.DlqStats;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.dlq.FailureRecord;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract of {@link DlqStorage} for recording failures (claims are in {@link DlqClaimContract}): the first
 * failure creates an item, a second failure of the same item appends to its history and increments its retry count
 * instead of duplicating it; {@code get}; {@code list} order (oldest first), filters and limit; {@code stats};
 * {@code purge}; {@code listJobs}; operator removal; copies independent of the caller's objects; invalid ids rejected.
 *
 * <p>Use it by extending it and implementing the hook:
 * <pre>{@code
 * class MemoryDlqStorageContractTest extends DlqStorageContract {
 *     protected UnifiedStorage open(StorageContext context) {
 *         return new MemoryStorageProvider().open(StorageConfig.forBackend("memory"), context);
 *     }
 * }
 * }</pre>
 * Every test uses fresh jobs in fresh repositories, so the store may be shared with other tests.
 */
public abstract class DlqStorageContract extends StorageContractSupport {

    private DlqStorage dlq() {
        return storage().dlq();
    }

    /** A failure of a fresh item at {@link #at}({@code millis}). */
    protected static DlqFailure failure(long millis) {
        return failure(uniqueId("item"), millis, "boom");
    }

    protected static DlqFailure failure(String itemId, long millis, String error) {
        return DlqFailure.of(itemId, Json.nodes().objectNode().put("item", itemId), error).withAt(at(millis));
    }

    private List<String> listIds(DlqFilter filter) {
        return dlq().list(filter).stream().map(DlqItem::itemId).toList();
    }

    @Test
    void aFirstFailureCreatesAnItem() {
        JobRef job = newJob();
        ObjectNode details = Json.nodes().objectNode().put("exit_code", 3);
        DlqFailure f = new DlqFailure(uniqueId("item"), Json.nodes().objectNode().put("file", "a.rs"), "timeout",
                "agent-7", details, Map.of("attempt", "1"), at(1_000));

        DlqItem item = dlq().add(job, f);

        assertThat(item.job()).isEqualTo(job);
        assertThat(item.itemId()).isEqualTo(f.itemId());
        assertThat(item.workItem()).isEqualTo(f.workItem());
        assertThat(item.enqueuedAt()).isEqualTo(at(1_000));
        assertThat(item.lastFailedAt()).isEqualTo(at(1_000));
        assertThat(item.retryCount()).isZero();
        assertThat(item.lastError()).isEqualTo("timeout");
        assertThat(item.metadata()).isEqualTo(Map.of("attempt", "1"));
        assertThat(item.failureHistory()).containsExactly(
                new FailureRecord(at(1_000), "timeout", "agent-7", details, f.failureId()));
        assertThat(item.claim()).isNull();
        assertThat(dlq().get(job, f.itemId())).contains(item);
    }

    @Test
    void aSecondFailureOfTheSameItemAppendsToItsHistoryInsteadOfDuplicatingIt() {
        JobRef job = newJob();
        String id = uniqueId("item");
        DlqFailure first = failure(id, 1_000, "first error").withMetadata(Map.of("a", "1", "b", "1"));
        dlq().add(job, first);
        DlqFailure second = new DlqFailure(id, null, "second error", "agent-2", null, Map.of("b", "2", "c", "2"),
                at(5_000));

        DlqItem item = dlq().add(job, second);

        assertThat(item.retryCount()).isEqualTo(1);
        assertThat(item.enqueuedAt()).as("enqueuedAt is the first failure").isEqualTo(at(1_000));
        assertThat(item.lastFailedAt()).isEqualTo(at(5_000));
        assertThat(item.lastError()).isEqualTo("second error");
        assertThat(item.workItem()).as("the work item is kept when a later failure omits it")
                .isEqualTo(first.workItem());
        assertThat(item.metadata()).as("metadata merged, later values win")
                .isEqualTo(Map.of("a", "1", "b", "2", "c", "2"));
        assertThat(item.failureHistory()).extracting(FailureRecord::error)
                .containsExactly("first error", "second error");
        assertThat(item.failureHistory().get(1).agentId()).isEqualTo("agent-2");
        assertThat(listIds(DlqFilter.forJob(job))).containsExactly(id);
        assertThat(dlq().get(job, id)).contains(item);

        DlqItem third = dlq().add(job, failure(id, 9_000, "third error"));
        assertThat(third.retryCount()).isEqualTo(2);
        assertThat(third.failureHistory()).hasSize(3);
        assertThat(dlq().stats(job).totalItems()).isEqualTo(1);
    }

    @Test
    void aFailureWithoutATimestampIsStampedWithTheStoreClock() {
        assumeCapability(Capability.CLIENT_CLOCK);
        JobRef job = newJob();
        clock.set(at(60_000));
        DlqItem item = dlq().add(job, DlqFailure.of(uniqueId("item"), null, "e"));

        assertThat(item.enqueuedAt()).isEqualTo(at(60_000));
        assertThat(item.failureHistory()).singleElement()
                .satisfies(f -> assertThat(f.at()).isEqualTo(at(60_000)));

        clock.advance(Duration.ofSeconds(5));
        DlqItem again = dlq().add(job, DlqFailure.of(item.itemId(), null, "e2"));
        assertThat(again.lastFailedAt()).isEqualTo(at(65_000));
    }

    @Test
    void getOfAnUnknownItemIsEmpty() {
        assertThat(dlq().get(newJob(), uniqueId("item"))).isEmpty();
    }

    @Test
    void itemsAreScopedToTheirJob() {
        JobRef jobA = newJob();
        JobRef jobB = JobRef.of(jobA.repository(), uniqueId("job"));
        String id = uniqueId("item");
        dlq().add(jobA, failure(id, 0, "a"));
        DlqItem b = dlq().add(jobB, failure(id, 0, "b"));

        assertThat(b.retryCount()).as("the same item id in another job is another item").isZero();
        assertThat(dlq().get(jobA, id).orElseThrow().lastError()).isEqualTo("a");
        assertThat(dlq().get(jobB, id).orElseThrow().lastError()).isEqualTo("b");
    }

    @Test
    void storedItemsAreIndependentOfTheCallersObjects() {
        JobRef job = newJob();
        ObjectNode work = Json.nodes().objectNode().put("n", 1);
        DlqItem stored = dlq().add(job, DlqFailure.of(uniqueId("item"), work, "e").withAt(at(0)));
        work.put("n", 666);
        ((ObjectNode) stored.workItem()).put("n", 667);

        DlqItem read = dlq().get(job, stored.itemId()).orElseThrow();
        assertThat(read.workItem().get("n").asInt()).isEqualTo(1);
        ((ObjectNode) read.workItem()).put("n", 777);
        assertThat(dlq().list(DlqFilter.forJob(job)).get(0).workItem().get("n").asInt()).isEqualTo(1);
    }

    @Test
    void listOrdersOldestFirstThenById() {
        JobRef job = newJob();
        DlqItem late = dlq().add(job, failure(3_000));
        DlqItem early = dlq().add(job, failure(1_000));
        DlqItem tieA = dlq().add(job, failure("a-" + uniqueId("item"), 2_000, "e"));
        DlqItem tieB = dlq().add(job, failure("b-" + uniqueId("item"), 2_000, "e"));

        assertThat(listIds(DlqFilter.forJob(job)))
                .containsExactly(early.itemId(), tieA.itemId(), tieB.itemId(), late.itemId());
    }

    @Test
    void aLaterFailureDoesNotMoveAnItemInTheOrder() {
        JobRef job = newJob();
        DlqItem first = dlq().add(job, failure(1_000));
        DlqItem second = dlq().add(job, failure(2_000));
        dlq().add(job, failure(first.itemId(), 9_000, "again"));

        assertThat(listIds(DlqFilter.forJob(job))).containsExactly(first.itemId(), second.itemId());
    }

    @Test
    void listFiltersByEnqueueTimeExclusively() {
        JobRef job = newJob();
        DlqItem i1 = dlq().add(job, failure(1_000));
        DlqItem i2 = dlq().add(job, failure(2_000));
        DlqItem i3 = dlq().add(job, failure(3_000));
        DlqFilter all = DlqFilter.forJob(job);

        assertThat(listIds(all.withAfter(at(1_000)))).containsExactly(i2.itemId(), i3.itemId());
        assertThat(listIds(all.withBefore(at(3_000)))).containsExactly(i1.itemId(), i2.itemId());
        assertThat(listIds(all.withAfter(at(1_000)).withBefore(at(3_000)))).containsExactly(i2.itemId());
    }

    @Test
    void listFiltersByRetryCountInclusively() {
        JobRef job = newJob();
        DlqItem zero = dlq().add(job, failure(0));
        DlqItem one = dlq().add(job, failure(1));
        dlq().add(job, failure(one.itemId(), 10, "again"));
        DlqItem two = dlq().add(job, failure(2));
        dlq().add(job, failure(two.itemId(), 10, "again"));
        dlq().add(job, failure(two.itemId(), 20, "again"));
        DlqFilter all = DlqFilter.forJob(job);

        assertThat(listIds(all.withRetryCountBetween(1, null))).containsExactly(one.itemId(), two.itemId());
        assertThat(listIds(all.withRetryCountBetween(null, 1))).containsExactly(zero.itemId(), one.itemId());
        assertThat(listIds(all.withRetryCountBetween(1, 1))).containsExactly(one.itemId());
        assertThat(listIds(all.withRetryCountBetween(3, null))).isEmpty();
    }

    @Test
    void listAppliesTheLimitAfterFilteringAndOrdering() {
        JobRef job = newJob();
        DlqItem i1 = dlq().add(job, failure(1_000));
        DlqItem i2 = dlq().add(job, failure(2_000));
        dlq().add(job, failure(3_000));
        dlq().add(job, failure(i2.itemId(), 4_000, "again"));

        assertThat(listIds(DlqFilter.forJob(job).withLimit(2))).containsExactly(i1.itemId(), i2.itemId());
        assertThat(listIds(DlqFilter.forJob(job).withRetryCountBetween(1, null).withLimit(5)))
                .containsExactly(i2.itemId());
        assertThat(listIds(DlqFilter.forJob(job).withLimit(0))).hasSize(3);
    }

    @Test
    void statsSummariseTheQueue() {
        JobRef job = newJob();
        DlqItem a = dlq().add(job, failure(1_000));
        dlq().add(job, failure(a.itemId(), 1_500, "again"));
        dlq().add(job, failure(a.itemId(), 1_600, "again"));
        dlq().add(job, failure(2_000));
        DlqItem c = dlq().add(job, failure(5_000));
        dlq().add(job, failure(c.itemId(), 6_000, "again"));
        dlq().add(newJob(), failure(0));

        DlqStats stats = dlq().stats(job);
        assertThat(stats.job()).isEqualTo(job);
        assertThat(stats.totalItems()).isEqualTo(3);
        assertThat(stats.itemsByRetryCount()).isEqualTo(Map.of(0, 1L, 1, 1L, 2, 1L));
        assertThat(stats.oldestItem()).isEqualTo(at(1_000));
        assertThat(stats.newestItem()).isEqualTo(at(5_000));
        assertThat(stats.averageRetryCount()).isEqualTo(1.0);
        assertThat(stats.claimedItems()).isZero();
    }

    @Test
    void statsOfAnEmptyQueue() {
        JobRef job = newJob();
        DlqStats stats = dlq().stats(job);
        assertThat(stats.totalItems()).isZero();
        assertThat(stats.itemsByRetryCount()).isEmpty();
        assertThat(stats.oldestItem()).isNull();
        assertThat(stats.newestItem()).isNull();
        assertThat(stats.averageRetryCount()).isZero();
    }

    @Test
    void purgeRemovesEveryItemOfTheJobOnly() {
        JobRef job = newJob();
        JobRef other = JobRef.of(job.repository(), uniqueId("job"));
        dlq().add(job, failure(0));
        dlq().add(job, failure(1));
        DlqItem claimed = dlq().add(job, failure(2));
        dlq().claim(job, "w", 10, Duration.ofMinutes(5));
        DlqItem kept = dlq().add(other, failure(0));

        assertThat(dlq().purge(job)).isEqualTo(3);
        assertThat(dlq().list(DlqFilter.forJob(job))).isEmpty();
        assertThat(dlq().get(job, claimed.itemId())).as("claimed items are purged too").isEmpty();
        assertThat(dlq().get(other, kept.itemId())).contains(kept);
        assertThat(dlq().purge(job)).isZero();
    }

    @Test
    void listJobsByRepositoryAndAcrossRepositories() {
        JobRef a1 = newJob();
        JobRef a2 = JobRef.of(a1.repository(), uniqueId("job"));
        JobRef b1 = newJob();
        for (JobRef job : List.of(a1, a2, b1)) {
            dlq().add(job, failure(0));
        }

        assertThat(dlq().listJobs(a1.repository())).containsExactlyInAnyOrder(a1, a2);
        assertThat(dlq().listJobs(b1.repository())).containsExactly(b1);
        assertThat(dlq().listJobs(null)).contains(a1, a2, b1);
        assertThat(dlq().listJobs(newRepository())).isEmpty();

        dlq().purge(a2);
        assertThat(dlq().listJobs(a1.repository())).as("a purged job has no items left").containsExactly(a1);
    }

    @Test
    void operatorRemovalWithoutATokenRemovesTheItem() {
        JobRef job = newJob();
        DlqItem item = dlq().add(job, failure(0));
        DlqItem claimed = dlq().add(job, failure(1));
        dlq().claim(job, "w", 10, Duration.ofMinutes(5));

        assertThat(dlq().remove(job, item.itemId(), null)).isTrue();
        assertThat(dlq().remove(job, claimed.itemId(), null)).as("regardless of claims").isTrue();
        assertThat(dlq().remove(job, item.itemId(), null)).isFalse();
        assertThat(dlq().remove(job, uniqueId("item"), null)).isFalse();
        assertThat(dlq().list(DlqFilter.forJob(job))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.prodigy.storage.tck.InvalidIds#all")
    void invalidIdsAreRejectedBeforeReachingTheStore(String label, String badId) {
        JobRef job = newJob();
        assertInvalidInput(() -> dlq().get(job, badId), "get of DLQ item id " + label);
        assertInvalidInput(() -> dlq().remove(job, badId, null), "remove of DLQ item id " + label);
        assertInvalidInput(() -> dlq().release(job, badId, "token", null), "release of DLQ item id " + label);
        assertInvalidInput(() -> dlq().listJobs(badId), "listJobs of repository " + label);
        assertInvalidInput(() -> DlqFailure.of(badId, null, "e"), "a failure of item " + label);
    }
}
