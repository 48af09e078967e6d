package io.prodigy.storage.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.cli.jobs.JobData;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code demo --clean}: removes what demo runs stored, and nothing else. Demo data is found through its session
 * records, which name the demo workflow and their job ({@code workflow: demo-wordcount}, {@code job_id},
 * {@code repository} in the metadata): per such session its job's events, DLQ items and checkpoints, then the session,
 * and at the end the demo workflow definition with its executions.
 */
final class DemoCleaner {

    /** What was removed. */
    record Removed(List<String> sessions, List<JobRef> jobs, long events, long dlqItems, long checkpoints,
            boolean workflow) {}

    private DemoCleaner() {}

    static Removed clean(UnifiedStorage storage) {
        List<String> sessions = new ArrayList<>();
        List<JobRef> jobs = new ArrayList<>();
        long events = 0;
        long dlq = 0;
        long checkpoints = 0;
        for (PersistedSession s : storage.sessions().list(SessionFilter.ALL)) {
            if (!isDemo(s)) {
                continue;
            }
            JsonNode jobId = s.metadata().get("job_id");
            JsonNode repository = s.metadata().get("repository");
            if (jobId != null && repository != null) {
                JobRef job = JobRef.of(repository.asText(), jobId.asText());
                JobData.Removed r = JobData.delete(storage, job);
                events += r.events();
                dlq += r.dlqItems();
                checkpoints += r.checkpoints();
                jobs.add(job);
            }
            if (storage.sessions().delete(s.id())) {
                sessions.add(s.id());
            }
        }
        boolean workflow = storage.workflows().delete(DemoWorkflow.ID);
        return new Removed(sessions, jobs, events, dlq, checkpoints, workflow);
    }

    /** A session a demo run created: its metadata names the demo workflow. */
    static boolean isDemo(PersistedSession s) {
        JsonNode workflow = s.metadata().get("workflow");
        return workflow != null && DemoWorkflow.ID.equals(workflow.asText());
    }
}
