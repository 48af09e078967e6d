package io.prodigy.storage.migrate.verify;

import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.session.PersistedSession;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run put (or found already in place) in a target: every record's key and content hash, and each event
 * log's count, high-water mark and digest. {@link ManifestVerifier} reads the target back against it.
 */
public final class RecordManifest {

    /** The key of a checkpoint. */
    public record CheckpointRef(CheckpointScope scope, String id) {}

    /** One job's expected log. */
    public record EventLog(long count, long lastSequence, String checksum) {}

    private static final Comparator<CheckpointRef> CHECKPOINT_ORDER = Comparator
            .comparing((CheckpointRef r) -> r.scope().toString()).thenComparing(CheckpointRef::id);

    private final Map<String, String> sessions = new TreeMap<>();
    private final Map<CheckpointRef, String> checkpoints = new TreeMap<>(CHECKPOINT_ORDER);
    private final Map<JobRef, Map<String, String>> dlqItems = new TreeMap<>();
    private final Map<JobRef, EventLog> eventLogs = new TreeMap<>();

    public void session(PersistedSession s) {
        sessions.put(s.id(), RecordDigests.hash(s));
    }

    public void checkpoint(Checkpoint c) {
        checkpoints.put(new CheckpointRef(c.scope(), c.id()), RecordDigests.hash(c));
    }

    public void dlqItem(DlqItem item) {
        dlqItems.computeIfAbsent(item.job(), j -> new TreeMap<>()).put(item.itemId(), RecordDigests.hash(item));
    }

    public void eventLog(JobRef job, EventDigest digest) {
        eventLogs.put(job, new EventLog(digest.count(), digest.lastSequence(), digest.checksum()));
    }

    /** Session id → content hash. */
    public Map<String, String> sessions() {
        return Collections.unmodifiableMap(sessions);
    }

    public Map<CheckpointRef, String> checkpoints() {
        return Collections.unmodifiableMap(checkpoints);
    }

    /** Job → item id → content hash. */
    public Map<JobRef, Map<String, String>> dlqItems() {
        Map<JobRef, Map<String, String>> copy = new LinkedHashMap<>();
        dlqItems.forEach((job, items) -> copy.put(job, Collections.unmodifiableMap(items)));
        return Collections.unmodifiableMap(copy);
    }

    public Map<JobRef, EventLog> eventLogs() {
        return Collections.unmodifiableMap(eventLogs);
    }

    /** Number of records (events counted one by one). */
    public long size() {
        return sessions.size() + checkpoints.size() + dlqItems.values().stream().mapToLong(Map::size).sum()
                + eventLogs.values().stream().mapToLong(EventLog::count).sum();
    }
}
