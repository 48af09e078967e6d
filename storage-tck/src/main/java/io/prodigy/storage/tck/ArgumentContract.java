package io.prodigy.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.support.Arguments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Bad arguments are refused the same way on every backend: an {@link InvalidInputException} whose message is the one
 * {@link Arguments} writes, thrown before anything is stored. (Before these rules were shared, the memory and file
 * backends answered several of these calls differently: one threw, the other returned an empty list, claimed for a
 * blank worker, or failed with a {@code NullPointerException}.)
 */
public abstract class ArgumentContract extends StorageContractSupport {

    private static final Duration LEASE = Duration.ofMinutes(1);

    /** {@code call} fails exactly as {@code rule} does: same type, same message. */
    private static void refusedLike(ThrowingCallable call, ThrowingCallable rule) {
        Throwable expected = catchThrowable(rule);
        assertThat(expected).as("the shared rule itself refuses").isInstanceOf(InvalidInputException.class);
        Throwable actual = catchThrowable(call);
        assertThat(actual).as("the backend refuses like the shared rule").isInstanceOf(InvalidInputException.class)
                .hasMessage(expected.getMessage());
    }

    @Test
    void savingNothingIsRefusedByEveryStore() {
        refusedLike(() -> storage().sessions().save(null), () -> Arguments.record("Session", null));
        refusedLike(() -> storage().checkpoints().save(null), () -> Arguments.record("Checkpoint", null));
        refusedLike(() -> storage().workflows().save(null), () -> Arguments.record("Workflow definition", null));
    }

    @Test
    void anAppendNeedsAJobAndAtLeastOneEventAndNoNulls() {
        JobRef job = newJob();
        List<NewEvent> one = List.of(NewEvent.of("e", null));
        refusedLike(() -> storage().events().append(null, one), () -> Arguments.job(null));
        refusedLike(() -> storage().events().append(job, List.of()),
                () -> Arguments.append(job, List.of(), storage().limits()));
        List<NewEvent> withNull = Arrays.asList(NewEvent.of("e", null), null);
        refusedLike(() -> storage().events().append(job, withNull),
                () -> Arguments.append(job, withNull, storage().limits()));

        assertThat(storage().events().lastSequence(job)).as("nothing was stored").isZero();
    }

    @Test
    void anAppendOverTheBatchLimitStoresNothing() {
        JobRef job = newJob();
        int limit = storage().limits().maxBatchSize();
        List<NewEvent> tooMany = new ArrayList<>(limit + 1);
        for (int i = 0; i <= limit; i++) {
            tooMany.add(NewEvent.of("e", null));
        }

        refusedLike(() -> storage().events().append(job, tooMany),
                () -> Arguments.append(job, tooMany, storage().limits()));

        assertThat(storage().events().lastSequence(job)).isZero();
        try (var events = storage().events().query(EventFilter.forJob(job))) {
            assertThat(events.count()).isZero();
        }
    }

    @Test
    void aPurgeNeedsACutOff() {
        JobRef job = newJob();
        refusedLike(() -> storage().events().purge(job, null), () -> Arguments.purgeCutoff(job, null));
    }

    @Test
    void aClaimNeedsAWorkerAtLeastOneItemAndAPositiveLease() {
        JobRef job = newJob();
        storage().dlq().add(job, DlqFailure.of(uniqueId("item"), Json.nodes().textNode("w"), "boom"));
        var limits = storage().limits();

        refusedLike(() -> storage().dlq().claim(job, "w", 0, LEASE),
                () -> Arguments.claim(job, "w", 0, LEASE, limits));
        refusedLike(() -> storage().dlq().claim(job, "", 1, LEASE),
                () -> Arguments.claim(job, "", 1, LEASE, limits));
        refusedLike(() -> storage().dlq().claim(job, null, 1, LEASE),
                () -> Arguments.claim(job, null, 1, LEASE, limits));
        refusedLike(() -> storage().dlq().claim(job, "w", 1, null),
                () -> Arguments.claim(job, "w", 1, null, limits));
        refusedLike(() -> storage().dlq().claim(job, "w", 1, Duration.ZERO),
                () -> Arguments.claim(job, "w", 1, Duration.ZERO, limits));
        int over = limits.maxClaimSize() + 1;
        refusedLike(() -> storage().dlq().claim(job, "w", over, LEASE),
                () -> Arguments.claim(job, "w", over, LEASE, limits));

        assertThat(storage().dlq().stats(job).claimedItems()).as("nothing was claimed").isZero();
    }

    @Test
    void aSubscriptionNeedsAFilterAHandlerAndAPositionOfZeroOrMore() {
        EventFilter filter = EventFilter.forJob(newJob());
        refusedLike(() -> storage().events().subscribe(null, 0, e -> { }),
                () -> Arguments.subscription(null, 0, (Object) null));
        refusedLike(() -> storage().events().subscribe(filter, 0, null),
                () -> Arguments.subscription(filter, 0, null));
        refusedLike(() -> storage().events().subscribe(filter, -1, e -> { }),
                () -> Arguments.subscription(filter, -1, "handler"));
    }

    @Test
    void addingNoFailureIsRefused() {
        JobRef job = newJob();
        refusedLike(() -> storage().dlq().add(job, null), () -> Arguments.failure(job, null));
        refusedLike(() -> storage().dlq().add(null, DlqFailure.of("item-1", null, "e")), () -> Arguments.job(null));
    }

    @Test
    void pruneAndExecutionListingsRefuseNegativeCounts() {
        CheckpointScope scope = CheckpointScope.workflow(uniqueId("wf"));
        String workflow = uniqueId("wf");
        refusedLike(() -> storage().checkpoints().prune(scope, -1), () -> Arguments.keep(scope, -1));
        refusedLike(() -> storage().checkpoints().prune(null, 1), () -> Arguments.scope(null));
        refusedLike(() -> storage().workflows().listExecutions(workflow, -1),
                () -> Arguments.limitOrAll("executions of workflow '" + workflow + "'", -1));
    }
}
