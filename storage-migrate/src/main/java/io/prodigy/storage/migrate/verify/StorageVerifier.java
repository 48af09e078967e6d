package io.prodigy.storage.migrate.verify;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.migrate.RecordType;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.page.Pages;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.workflow.WorkflowExecution;
import io.prodigy.storage.workflow.WorkflowFilter;
import io.prodigy.storage.workflow.WorkflowInfo;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Checks that a target store holds every record of a source store, identically (see {@link RecordDigests} for what
 * "identically" leaves out): counts and checksums per record type and group, and the key of every record that is
 * missing or differs. Events are compared job by job while streaming both logs side by side, including sequence
 * numbers and each job's high-water mark, so memory stays flat however long the logs are. Every listing is read a
 * page at a time; what is kept is one digest per record.
 *
 * <p>Records that only the target has are reported as notes and counted ({@link VerificationReport#targetOnly()}),
 * not as failures: a copy may go into a store that held data before. A live migration's cut-over, whose target must
 * mirror the source, asks for {@link VerificationReport#mirrors()}.
 */
public final class StorageVerifier {

    static final String GLOBAL = "*";

    private StorageVerifier() {}

    public static VerificationReport compare(UnifiedStorage source, UnifiedStorage target) {
        ReportBuilder report = new ReportBuilder();
        report.compare(RecordType.SESSION, GLOBAL, sessions(source), sessions(target));
        report.compare(RecordType.WORKFLOW, GLOBAL, workflows(source), workflows(target));
        report.compare(RecordType.WORKFLOW_EXECUTION, GLOBAL, executions(source), executions(target));
        compareGroups(report, RecordType.CHECKPOINT, checkpoints(source), checkpoints(target));
        compareGroups(report, RecordType.DLQ_ITEM, dlqItems(source), dlqItems(target));
        compareEvents(report, source, target);
        return report.build();
    }

    private static void compareGroups(ReportBuilder report, RecordType type, Map<String, DigestSet> expected,
            Map<String, DigestSet> actual) {
        expected.forEach((group, set) -> report.compare(type, group, set, actual.getOrDefault(group, new DigestSet())));
        actual.keySet().stream().filter(g -> !expected.containsKey(g)).forEach(g -> {
            report.compare(type, g, new DigestSet(), actual.get(g));
            report.note("the target has " + actual.get(g).size() + " " + type.name().toLowerCase(java.util.Locale.ROOT)
                    + " record(s) in '" + g + "', which the source does not have");
        });
    }

    static DigestSet sessions(UnifiedStorage store) {
        DigestSet set = new DigestSet();
        try (Stream<PersistedSession> all = Pages.stream(PageRequest.MAX_LIMIT,
                page -> store.sessions().list(SessionFilter.ALL, page))) {
            all.forEach(s -> set.put(s.id(), RecordDigests.hash(s)));
        }
        return set;
    }

    static DigestSet workflows(UnifiedStorage store) {
        DigestSet set = new DigestSet();
        try (Stream<WorkflowInfo> all = workflowInfos(store)) {
            all.forEach(info -> store.workflows().load(info.id()).ifPresent(w -> set.put(w.id(),
                    RecordDigests.hash(w))));
        }
        return set;
    }

    static DigestSet executions(UnifiedStorage store) {
        DigestSet set = new DigestSet();
        try (Stream<WorkflowInfo> all = workflowInfos(store)) {
            all.forEach(info -> {
                try (Stream<WorkflowExecution> runs = Pages.stream(PageRequest.MAX_LIMIT,
                        page -> store.workflows().listExecutions(info.id(), page))) {
                    runs.forEach(e -> set.put(e.workflowId() + "/" + e.id(), RecordDigests.hash(e)));
                }
            });
        }
        return set;
    }

    private static Stream<WorkflowInfo> workflowInfos(UnifiedStorage store) {
        return Pages.stream(PageRequest.MAX_LIMIT, page -> store.workflows().list(WorkflowFilter.ALL, page));
    }

    static Map<String, DigestSet> checkpoints(UnifiedStorage store) {
        Map<String, DigestSet> groups = new TreeMap<>();
        try (Stream<CheckpointInfo> all = Pages.stream(PageRequest.MAX_LIMIT,
                page -> store.checkpoints().list(CheckpointFilter.ALL, page))) {
            all.forEach(info -> store.checkpoints().load(info.scope(), info.id()).ifPresent(c -> groups
                    .computeIfAbsent(checkpointGroup(c), g -> new DigestSet())
                    .put(checkpointKey(c), RecordDigests.hash(c))));
        }
        return groups;
    }

    static String checkpointGroup(Checkpoint c) {
        return c.scope().isJob() ? c.scope().job().repository() : GLOBAL;
    }

    static String checkpointKey(Checkpoint c) {
        return (c.scope().isJob() ? c.scope().job().jobId() : "workflow " + c.scope().workflowId()) + "/" + c.id();
    }

    static Map<String, DigestSet> dlqItems(UnifiedStorage store) {
        Map<String, DigestSet> groups = new TreeMap<>();
        try (Stream<JobRef> jobs = Pages.stream(PageRequest.MAX_LIMIT, page -> store.dlq().listJobs(null, page))) {
            jobs.forEach(job -> {
                DigestSet set = groups.computeIfAbsent(job.toString(), g -> new DigestSet());
                try (Stream<DlqItem> items = Pages.stream(PageRequest.MAX_LIMIT,
                        page -> store.dlq().list(DlqFilter.forJob(job), page))) {
                    items.forEach(item -> set.put(item.itemId(), RecordDigests.hash(item)));
                }
            });
        }
        return groups;
    }

    private static void compareEvents(ReportBuilder report, UnifiedStorage source, UnifiedStorage target) {
        // Both job listings come in the same order (repository, then job id), so one merge walk finds the jobs
        // only the target has without holding either list.
        try (Stream<JobRef> s = Pages.stream(page -> source.events().listJobs(null, page));
                Stream<JobRef> t = Pages.stream(page -> target.events().listJobs(null, page))) {
            Iterator<JobRef> sourceJobs = s.iterator();
            Iterator<JobRef> targetJobs = t.iterator();
            JobRef targetJob = targetJobs.hasNext() ? targetJobs.next() : null;
            while (sourceJobs.hasNext()) {
                JobRef job = sourceJobs.next();
                compareJob(report, source, target, job);
                while (targetJob != null && targetJob.compareTo(job) <= 0) {
                    noteTargetOnly(report, target, targetJob, job);
                    targetJob = targetJobs.hasNext() ? targetJobs.next() : null;
                }
            }
            while (targetJob != null) {
                noteTargetOnly(report, target, targetJob, null);
                targetJob = targetJobs.hasNext() ? targetJobs.next() : null;
            }
        }
    }

    private static void noteTargetOnly(ReportBuilder report, UnifiedStorage target, JobRef targetJob,
            JobRef sourceJob) {
        if (!targetJob.equals(sourceJob)) {
            report.targetOnly(RecordType.EVENT, targetJob.toString(), target.events().aggregate(targetJob).totalEvents());
            report.note("the target has an event log for " + targetJob + ", which the source does not have");
        }
    }

    private static void compareJob(ReportBuilder report, UnifiedStorage source, UnifiedStorage target, JobRef job) {
        String group = job.toString();
        EventDigest expected = new EventDigest();
        EventDigest actual = new EventDigest();
        String firstDifference = null;
        try (Stream<EventRecord> s = source.events().query(EventFilter.forJob(job));
                Stream<EventRecord> t = target.events().query(EventFilter.forJob(job))) {
            Iterator<EventRecord> si = s.iterator();
            Iterator<EventRecord> ti = t.iterator();
            while (si.hasNext() || ti.hasNext()) {
                EventRecord se = si.hasNext() ? si.next() : null;
                EventRecord te = ti.hasNext() ? ti.next() : null;
                if (se != null) {
                    expected.add(se);
                }
                if (te != null) {
                    actual.add(te);
                }
                if (firstDifference == null) {
                    firstDifference = difference(se, te);
                }
            }
        }
        report.eventRow(group, expected.count(), expected.checksum(), actual);
        if (firstDifference != null) {
            report.mismatch(RecordType.EVENT, group, "log", firstDifference);
        }
        long sourceLast = source.events().lastSequence(job);
        long targetLast = target.events().lastSequence(job);
        if (sourceLast != targetLast) {
            report.mismatch(RecordType.EVENT, group, "last sequence", "the source's log ends at sequence "
                    + sourceLast + ", the target's at " + targetLast);
        }
    }

    private static String difference(EventRecord s, EventRecord t) {
        if (t == null) {
            return "the target lacks event " + s.id() + " at sequence " + s.sequence() + " and every later one";
        }
        if (s == null) {
            return "the target has extra event " + t.id() + " at sequence " + t.sequence();
        }
        String sc = RecordDigests.canonical(RecordDigests.content(s));
        String tc = RecordDigests.canonical(RecordDigests.content(t));
        if (sc.equals(tc)) {
            return null;
        }
        return "event at sequence " + s.sequence() + " (" + s.id() + ") differs from the target's event at sequence "
                + t.sequence() + " (" + t.id() + ")";
    }
}
