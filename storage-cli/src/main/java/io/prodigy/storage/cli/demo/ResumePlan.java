package io.prodigy.storage.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Where a restarted coordinator resumes the map phase: the newest map checkpoint, plus the items whose final event
 * ({@code agent_completed} or {@code dlq_item_added}) was appended after the checkpoint's last event sequence. Only
 * what is in storage counts; nothing is carried over from the crashed process.
 *
 * @param checkpointId      the map checkpoint resumed from, or {@code setup} if none was taken before the crash
 * @param checkpointVersion its version (0 for none)
 * @param fromCheckpoint    items the checkpoint records as done
 * @param fromEventLog      items found done in the log after the checkpoint
 * @param succeeded         items done successfully (checkpoint and log)
 * @param deadLettered      items dead-lettered (checkpoint and log)
 * @param pending           items still to process, in input order
 */
record ResumePlan(String checkpointId, int checkpointVersion, int fromCheckpoint, int fromEventLog,
        Set<String> succeeded, Set<String> deadLettered, List<String> pending) {

    static ResumePlan read(UnifiedStorage storage, JobRef job, List<String> allItems) {
        Set<String> succeeded = new TreeSet<>();
        Set<String> deadLettered = new TreeSet<>();
        Optional<Checkpoint> latest = storage.checkpoints().latest(CheckpointScope.job(job), CheckpointKind.MAP);
        long after = 0;
        int version = 0;
        String id = "setup";
        if (latest.isPresent()) {
            JsonNode state = latest.get().state();
            state.path("completed").forEach(n -> succeeded.add(n.asText()));
            state.path("dead_lettered").forEach(n -> deadLettered.add(n.asText()));
            after = state.path("last_event_sequence").asLong();
            version = state.path("version").asInt();
            id = latest.get().id();
        }
        int fromCheckpoint = succeeded.size() + deadLettered.size();
        try (Stream<EventRecord> since = storage.events().query(EventFilter.forJob(job).withAfterSequence(after)
                .withEventTypes(Set.of(DemoEvents.AGENT_COMPLETED, DemoEvents.DLQ_ITEM_ADDED)))) {
            since.forEach(e -> (e.eventType().equals(DemoEvents.AGENT_COMPLETED) ? succeeded : deadLettered)
                    .add(e.data().path("item_id").asText()));
        }
        int fromLog = succeeded.size() + deadLettered.size() - fromCheckpoint;
        List<String> pending = allItems.stream()
                .filter(i -> !succeeded.contains(i) && !deadLettered.contains(i)).toList();
        return new ResumePlan(id, version, fromCheckpoint, fromLog, succeeded, deadLettered, pending);
    }
}
