package io.prodigy.storage.dashboard.view;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStats;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.id.JobRef;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a job's lifecycle events say: its {@link JobStatus} and the announced number of work items. Reads only the
 * lifecycle events (a type-filtered query, which backends answer from their indexes without reading the job's other
 * events), whose types come from the job's stats, so no list of types is assumed.
 *
 * @param status     the status after the last lifecycle event
 * @param totalItems {@code total_items} of the last {@code job_started} event, or -1 if none announced one
 */
record Lifecycle(JobStatus status, long totalItems) {

    static Lifecycle read(EventStorage events, JobRef job, EventStats stats) {
        if (stats.totalEvents() == 0) {
            return new Lifecycle(JobStatus.UNKNOWN, -1);
        }
        Set<String> types = stats.countsByType().keySet().stream().filter(JobStatus::isLifecycle)
                .collect(Collectors.toSet());
        if (types.isEmpty()) {
            return new Lifecycle(JobStatus.RUNNING, -1);
        }
        JobStatus status = JobStatus.RUNNING;
        long total = -1;
        try (Stream<EventRecord> s = events.query(EventFilter.forJob(job).withEventTypes(types))) {
            for (EventRecord e : (Iterable<EventRecord>) s::iterator) {
                status = JobStatus.after(e.eventType());
                JsonNode n = e.data().get("total_items");
                if (JobProgress.STARTED.equals(e.eventType()) && n != null && n.canConvertToLong()) {
                    total = n.asLong();
                }
            }
        }
        return new Lifecycle(status, total);
    }

    /** Progress against the announced total, or {@code null} when none was announced. */
    JobProgress progress(EventStats stats) {
        if (totalItems < 0) {
            return null;
        }
        return JobProgress.of(stats.countsByType().getOrDefault(JobProgress.ITEM_COMPLETED, 0L), totalItems, status);
    }
}
