package io.prodigy.storage.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.lock.LockLease;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The reduce phase: under a storage lock (so that two coordinators of the same job, say in two worktrees, never
 * reduce at once), merge the word counts of every {@code agent_completed} event and save the reduce checkpoint with
 * the lease's fencing token. Then it shows fencing at work: a write still carrying the first lease's token, made after
 * the lock was granted again, is rejected.
 */
final class ReducePhase {

    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration MAX_WAIT = Duration.ofSeconds(10);

    /**
     * What the reduce produced.
     *
     * @param lockKey        the lock that guarded it
     * @param fencingToken   the token its writes carried
     * @param inputs         how many map outputs were merged
     * @param totalWords     words over all documents
     * @param distinctWords  distinct words
     * @param top            the most frequent words with their counts
     * @param staleWriteRejected whether a write with the superseded token was rejected (false when the backend does
     *                       not enforce fencing, for example with {@code enable_locking: false})
     */
    record Result(String lockKey, long fencingToken, int inputs, long totalWords, int distinctWords,
            Map<String, Long> top, String checkpointId, boolean staleWriteRejected) {}

    private ReducePhase() {}

    static Result run(UnifiedStorage storage, JobRef job, DemoEvents events, Clock clock) {
        String key = "reduce:" + job.repository() + ":" + job.jobId();
        LockLease lease = storage.locks().acquire(key, LEASE, MAX_WAIT);
        Checkpoint saved;
        Map<String, Long> counts = new TreeMap<>();
        int inputs = 0;
        long total = 0;
        try {
            try (Stream<EventRecord> completed = storage.events().query(EventFilter.forJob(job)
                    .withEventType(DemoEvents.AGENT_COMPLETED))) {
                for (EventRecord e : (Iterable<EventRecord>) completed::iterator) {
                    JsonNode output = e.data().path("output");
                    inputs++;
                    total += output.path("words").asLong();
                    output.path("counts").fields().forEachRemaining(f ->
                            counts.merge(f.getKey(), f.getValue().asLong(), Long::sum));
                }
            }
            storage.events().append(job, List.of(events.reduceStarted(lease.fencingToken(), inputs)));
            Map<String, Long> top = new LinkedHashMap<>();
            counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(Map.Entry.comparingByKey())).limit(5)
                    .forEach(en -> top.put(en.getKey(), en.getValue()));
            ObjectNode state = Json.nodes().objectNode();
            state.put("inputs", inputs);
            state.put("total_words", total);
            state.put("distinct_words", counts.size());
            state.put("fencing_token", lease.fencingToken());
            state.set("counts", Json.mapper().valueToTree(counts));
            saved = storage.checkpoints().save(Checkpoint.job("reduce-v1", job, CheckpointKind.REDUCE, 1,
                    clock.instant(), inputs, state), lease.fence());
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("inputs", inputs);
            result.put("total_words", total);
            result.put("distinct_words", counts.size());
            result.put("top_words", top);
            storage.events().append(job, List.of(events.reduceCompleted(result)));
            storage.locks().release(lease);
            boolean rejected = staleWriteRejected(storage, key, saved, lease.fence());
            return new Result(key, lease.fencingToken(), inputs, total, counts.size(), top, saved.id(), rejected);
        } catch (RuntimeException e) {
            releaseQuietly(storage, lease, e);
            throw e;
        }
    }

    /**
     * Takes the lock again (a newer token), then writes with the old fence, as a paused "zombie" reducer would.
     * The write carries the same state, so even a backend that does not enforce fencing changes nothing.
     */
    private static boolean staleWriteRejected(UnifiedStorage storage, String key, Checkpoint saved, Fence stale) {
        LockLease newer = storage.locks().acquire(key, LEASE, MAX_WAIT);
        try {
            storage.checkpoints().save(saved, stale);
            return false;
        } catch (FencingException expected) {
            return true;
        } finally {
            storage.locks().release(newer);
        }
    }

    private static void releaseQuietly(UnifiedStorage storage, LockLease lease, RuntimeException failure) {
        try {
            storage.locks().release(lease);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
