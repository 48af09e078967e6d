package io.prodigy.storage.it;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.migrate.verify.CanonicalJson;
import io.prodigy.storage.migrate.verify.RecordDigests;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.page.Pages;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.workflow.WorkflowExecution;
import io.prodigy.storage.workflow.WorkflowFilter;
import io.prodigy.storage.workflow.WorkflowInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A whole store as sorted lines of text, one per record ({@code type key canonical-json}) plus each event log's
 * high-water mark, read through the SPI alone. Two stores hold the same data exactly when their dumps are equal.
 * "The same" is migration's definition ({@link RecordDigests#content}: store-managed revisions, write ids and
 * {@code updated_at} left out); the dump is a second look, independent of {@code StorageVerifier}'s checksums, and
 * on a difference the assertion shows the very lines that differ.
 */
final class CanonicalDump {

    private CanonicalDump() {}

    static List<String> of(UnifiedStorage store) {
        List<String> lines = new ArrayList<>();
        try (Stream<io.prodigy.storage.session.PersistedSession> all = Pages.stream(PageRequest.MAX_LIMIT,
                page -> store.sessions().list(SessionFilter.ALL, page))) {
            all.forEach(s -> lines.add("session " + s.id() + " " + CanonicalJson.write(RecordDigests.content(s))));
        }
        List<String> workflowIds;
        try (Stream<WorkflowInfo> all = Pages.stream(PageRequest.MAX_LIMIT,
                page -> store.workflows().list(WorkflowFilter.ALL, page))) {
            workflowIds = all.map(WorkflowInfo::id).toList();
        }
        for (String id : workflowIds) {
            store.workflows().load(id).ifPresent(w -> lines.add("workflow " + id + " "
                    + CanonicalJson.write(RecordDigests.content(w))));
            try (Stream<WorkflowExecution> runs = Pages.stream(PageRequest.MAX_LIMIT,
                    page -> store.workflows().listExecutions(id, page))) {
                runs.forEach(e -> lines.add("execution " + id + "/" + e.id() + " "
                        + CanonicalJson.write(RecordDigests.content(e))));
            }
        }
        try (Stream<CheckpointInfo> all = Pages.stream(PageRequest.MAX_LIMIT,
                page -> store.checkpoints().list(CheckpointFilter.ALL, page))) {
            all.forEach(info -> store.checkpoints().load(info.scope(), info.id()).ifPresent(c -> lines.add(
                    "checkpoint " + CanonicalJson.write(RecordDigests.scope(c.scope())) + " " + c.id() + " "
                            + CanonicalJson.write(RecordDigests.content(c)))));
        }
        for (JobRef job : jobs(store, true)) {
            try (Stream<DlqItem> items = Pages.stream(PageRequest.MAX_LIMIT,
                    page -> store.dlq().list(DlqFilter.forJob(job), page))) {
                items.forEach(item -> lines.add("dlq " + job + " " + item.itemId() + " "
                        + CanonicalJson.write(RecordDigests.content(item))));
            }
        }
        for (JobRef job : jobs(store, false)) {
            lines.add("log " + job + " last_sequence=" + store.events().lastSequence(job));
            try (Stream<EventRecord> events = store.events().query(EventFilter.forJob(job))) {
                events.forEach(e -> lines.add("event " + job + " " + e.sequence() + " "
                        + CanonicalJson.write(RecordDigests.content(e))));
            }
        }
        lines.sort(null);
        return lines;
    }

    private static List<JobRef> jobs(UnifiedStorage store, boolean dlq) {
        try (Stream<JobRef> all = Pages.stream(PageRequest.MAX_LIMIT, page -> dlq ? store.dlq().listJobs(null, page)
                : store.events().listJobs(null, page))) {
            return all.toList();
        }
    }
}
