package io.prodigy.storage.cli.demo;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.id.JobRef;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Reprocesses the job's dead-letter queue the way a DLQ worker does: claim the items (a lease, so that a second worker
 * in another worktree would not take them too), retry each, remove the ones that now succeed and release the others
 * with the new failure appended to their history. Items that failed every attempt with a retryable error succeed on
 * reprocessing when their seeded coin says so; fatal ones keep failing.
 */
final class DlqReprocessing {

    static final String WORKER = "dlq-reprocessor";

    /** How many items were claimed, fixed (removed) and released back with one more failure. */
    record Result(int claimed, int fixed, int stillFailing) {}

    private DlqReprocessing() {}

    static Result run(UnifiedStorage storage, JobRef job, Corpus corpus, DemoEvents events, Clock clock, long seed) {
        List<DlqItem> claimed = storage.dlq().claim(job, WORKER, 1_000, Duration.ofMinutes(1));
        int fixed = 0;
        for (DlqItem item : claimed) {
            Corpus.Item source = corpus.get(item.itemId());
            boolean recovers = source.behaviour() == Corpus.Behaviour.BROKEN
                    && Math.floorMod(item.itemId().hashCode() * 31 + seed, 2) == 0;
            if (recovers) {
                long started = clock.millis();
                storage.dlq().remove(job, item.itemId(), item.claim().token());
                storage.events().append(job, List.of(events.agentCompleted(WORKER, item.itemId(),
                        clock.millis() - started, source.mapOutput())));
                fixed++;
            } else {
                storage.dlq().release(job, item.itemId(), item.claim().token(),
                        "still failing after reprocessing: " + source.error());
            }
        }
        storage.events().append(job, List.of(events.dlqItemsReprocessed(claimed.size(), fixed)));
        return new Result(claimed.size(), fixed, claimed.size() - fixed);
    }
}
