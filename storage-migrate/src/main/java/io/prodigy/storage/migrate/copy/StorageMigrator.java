package io.prodigy.storage.migrate.copy;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.migrate.MigrationException;
import io.prodigy.storage.migrate.RecordType;
import io.prodigy.storage.migrate.verify.StorageVerifier;
import io.prodigy.storage.migrate.verify.VerificationReport;
import io.prodigy.storage.migrate.write.IdempotentWriter;
import io.prodigy.storage.migrate.write.WriteResult;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.page.Pages;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import io.prodigy.storage.workflow.WorkflowFilter;
import io.prodigy.storage.workflow.WorkflowInfo;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies everything from one {@link UnifiedStorage} to another (spec 093's migration tool): sessions, workflow
 * definitions and their executions, checkpoints, DLQ items with their whole failure history, and event logs with
 * their order and sequence numbers. Works between any two backends, through the SPI only.
 *
 * <p><b>Streaming.</b> Event logs are copied job by job, reading the source as a stream and appending in batches, so
 * memory stays flat however many events there are. Every other listing is walked a page at a time (once to count,
 * for progress, then to copy), so memory stays flat however many records there are too.
 *
 * <p><b>Resumable, never duplicating.</b> Records the target already holds identically are skipped; an event log
 * continues after the prefix the target already holds (see {@link io.prodigy.storage.migrate.write.EventLogSync},
 * which also reproduces sequence numbers purged in the source); a DLQ item whose history was half replayed is
 * completed. An interrupted copy is resumed by running it again.
 *
 * <p><b>Conflicts.</b> A record the target holds with different content is never overwritten; it is reported, the
 * copy goes on with everything else, and {@link CopyFailedException} lists the conflicts at the end.
 *
 * <p><b>Not copied.</b> Lock leases and DLQ claims belong to running processes of the source. While the source has
 * live ones the copy refuses to start (something is still writing to it) unless forced. Store-managed fields are the
 * target's own: revisions start again at 1, and sessions' and workflows' {@code updated_at} become the copy time.
 *
 * <p><b>Verification.</b> At the end the target is compared with the source: counts and checksums per record type,
 * per repository and job, each event log event by event; a record changed in either store is reported by key.
 */
public final class StorageMigrator {

    private static final Logger LOG = LoggerFactory.getLogger(StorageMigrator.class);

    private final UnifiedStorage source;
    private final UnifiedStorage target;

    public StorageMigrator(UnifiedStorage source, UnifiedStorage target) {
        if (source == target) {
            throw new InvalidInputException("The source and the target of a copy are the same store; open the"
                    + " target with a different configuration.");
        }
        this.source = source;
        this.target = target;
    }

    /**
     * Copies the source into the target.
     *
     * @throws MigrationException if the source has live leases or claims and
     *                            {@code options.force()} is off; nothing was copied
     * @throws CopyFailedException                           if records conflict or verification fails
     */
    public CopyReport copy(CopyOptions options) {
        return copy(options, new IdempotentWriter(target, options.dryRun()));
    }

    /**
     * Copies the source into a target that follows it live (see {@link #follow}): the first copy, or the copy a
     * resumed live migration starts with. Records the target holds in an older version are replaced rather than
     * reported as conflicts, since the source may have changed them since an interrupted run copied them.
     */
    private CopyReport copy(CopyOptions options, IdempotentWriter writer) {
        List<String> warnings = new ArrayList<>();
        List<String> leases = liveLeases();
        if (!leases.isEmpty()) {
            String what = leases.size() + " live lease(s) or claim(s): " + String.join("; ", leases);
            if (!options.force()) {
                throw new MigrationException("The source " + source.backendType()
                        + " store is in use: " + what + ". Stop the processes using it, wait until the leases"
                        + " expire, or force the copy (leases and claims are never copied).");
            }
            warnings.add("copied although the source has " + what + "; they were not copied");
        }
        LOG.info("{} {} store into {} store", options.dryRun() ? "Dry run: copying" : "Copying",
                source.backendType(), target.backendType());
        List<String> conflicts = new ArrayList<>();
        Map<RecordType, TypeCounts> counts = new EnumMap<>(RecordType.class);

        Function<PageRequest, Page<PersistedSession>> sessions = page -> source.sessions().list(SessionFilter.ALL,
                page);
        TypeProgress sessionProgress = progress(RecordType.SESSION, count(sessions), options, conflicts);
        try (Stream<PersistedSession> all = Pages.stream(sessions)) {
            all.forEach(s -> sessionProgress.record(writer.session(s), s, s.id()));
        }
        counts.put(RecordType.SESSION, sessionProgress.counts());

        copyWorkflows(writer, options, conflicts, counts);

        Function<PageRequest, Page<CheckpointInfo>> checkpoints = page -> source.checkpoints().list(
                CheckpointFilter.ALL, page);
        TypeProgress checkpointProgress = progress(RecordType.CHECKPOINT, count(checkpoints), options, conflicts);
        try (Stream<CheckpointInfo> all = Pages.stream(checkpoints)) {
            all.forEach(info -> source.checkpoints().load(info.scope(), info.id()).ifPresent(c ->
                    checkpointProgress.record(writer.checkpoint(c), c, info.scope() + " " + info.id())));
        }
        counts.put(RecordType.CHECKPOINT, checkpointProgress.counts());

        copyDlq(writer, options, conflicts, counts);

        Function<PageRequest, Page<JobRef>> jobs = page -> source.events().listJobs(null, page);
        long totalEvents;
        try (Stream<JobRef> all = Pages.stream(PageRequest.MAX_LIMIT, jobs)) {
            totalEvents = all.mapToLong(j -> source.events().aggregate(j).totalEvents()).sum();
        }
        TypeProgress eventProgress = progress(RecordType.EVENT, totalEvents, options, conflicts);
        EventCopier events = new EventCopier(source.events(), target.events(), options);
        try (Stream<JobRef> all = Pages.stream(jobs)) {
            all.forEach(job -> events.copy(job, eventProgress));
        }
        counts.put(RecordType.EVENT, eventProgress.counts());

        VerificationReport verification = options.verify() && !options.dryRun() ? verify() : null;
        CopyReport report = new CopyReport(options.dryRun(), counts, conflicts, warnings, verification);
        LOG.info(report.summary());
        if (!conflicts.isEmpty()) {
            throw new CopyFailedException(conflicts.size() + " record(s) could not be copied because the target"
                    + " already holds different data (first: " + conflicts.get(0) + "). Everything else was "
                    + (options.dryRun() ? "checked" : "copied") + "; see the report.", report);
        }
        if (verification != null && !verification.ok()) {
            throw new CopyFailedException("The copy finished, but the target does not match the source: "
                    + verification.summary() + "\nWas the source or the target written to during the copy?", report);
        }
        return report;
    }

    private void copyWorkflows(IdempotentWriter writer, CopyOptions options, List<String> conflicts,
            Map<RecordType, TypeCounts> counts) {
        Function<PageRequest, Page<WorkflowInfo>> workflows = page -> source.workflows().list(WorkflowFilter.ALL,
                page);
        long[] totals = new long[2];
        try (Stream<WorkflowInfo> all = Pages.stream(PageRequest.MAX_LIMIT, workflows)) {
            all.forEach(w -> {
                totals[0]++;
                totals[1] += w.executionCount(); // carried by the listing: no query per workflow
            });
        }
        TypeProgress workflowProgress = progress(RecordType.WORKFLOW, totals[0], options, conflicts);
        TypeProgress executionProgress = progress(RecordType.WORKFLOW_EXECUTION, totals[1], options, conflicts);
        try (Stream<WorkflowInfo> all = Pages.stream(workflows)) {
            all.forEach(info -> copyWorkflow(info, writer, workflowProgress, executionProgress));
        }
        counts.put(RecordType.WORKFLOW, workflowProgress.counts());
        counts.put(RecordType.WORKFLOW_EXECUTION, executionProgress.counts());
    }

    private void copyWorkflow(WorkflowInfo info, IdempotentWriter writer, TypeProgress workflowProgress,
            TypeProgress executionProgress) {
        WorkflowDefinition w = source.workflows().load(info.id()).orElse(null);
        if (w == null) {
            return;
        }
        WriteResult result = writer.workflow(w);
        workflowProgress.record(result, w, w.id());
        if (result.isConflict()) {
            long runs = source.workflows().executionCount(w.id());
            executionProgress.conflict("the " + runs + " execution(s) of workflow " + w.id()
                    + " were not copied because the workflow conflicts", runs);
            return;
        }
        Map<String, WorkflowExecution> existing;
        if (target.workflows().load(w.id()).isPresent()) {
            try (Stream<WorkflowExecution> runs = Pages.stream(PageRequest.MAX_LIMIT,
                    page -> target.workflows().listExecutions(w.id(), page))) {
                existing = runs.collect(Collectors.toMap(WorkflowExecution::id, Function.identity()));
            }
        } else {
            existing = Map.of();
        }
        try (Stream<WorkflowExecution> runs = Pages.stream(page -> source.workflows().listExecutions(w.id(), page))) {
            runs.forEach(e -> executionProgress.record(writer.execution(e, existing), e, w.id() + "/" + e.id()));
        }
    }

    private void copyDlq(IdempotentWriter writer, CopyOptions options, List<String> conflicts,
            Map<RecordType, TypeCounts> counts) {
        Function<PageRequest, Page<JobRef>> jobs = page -> source.dlq().listJobs(null, page);
        long total;
        try (Stream<JobRef> all = Pages.stream(PageRequest.MAX_LIMIT, jobs)) {
            total = all.mapToLong(j -> source.dlq().stats(j).totalItems()).sum();
        }
        TypeProgress progress = progress(RecordType.DLQ_ITEM, total, options, conflicts);
        try (Stream<JobRef> all = Pages.stream(jobs)) {
            all.forEach(job -> {
                try (Stream<DlqItem> items = Pages.stream(page -> source.dlq().list(DlqFilter.forJob(job), page))) {
                    items.forEach(item -> copyDlqItem(writer, progress, job, item));
                }
            });
        }
        counts.put(RecordType.DLQ_ITEM, progress.counts());
    }

    private static void copyDlqItem(IdempotentWriter writer, TypeProgress progress, JobRef job, DlqItem item) {
        if (item.failureHistory().isEmpty()) {
            progress.conflict(noHistory(item), 1);
            return;
        }
        progress.record(writer.dlqItem(item), item, job + " " + item.itemId());
    }

    /** Why an item cannot be copied: a DLQ item is rebuilt in the target by replaying its failure history. */
    static String noHistory(DlqItem item) {
        return "DLQ item " + item.job() + " " + item.itemId() + " has no failure history in the source, so it cannot"
                + " be rebuilt in the target";
    }

    /** How many items a listing has, walked a page at a time (only the count is kept). */
    private static <T> long count(Function<PageRequest, Page<T>> listing) {
        try (Stream<T> all = Pages.stream(PageRequest.MAX_LIMIT, listing)) {
            return all.count();
        }
    }

    /**
     * A live migration (spec 093's "parallel operation during migration for zero downtime"): copies the source while
     * its writers keep working, then keeps copying what they add (passes, {@code options.pollInterval()} apart) until
     * {@code stop} fires; then cuts over: a final catch-up pass, verification that the target mirrors the source, and
     * the source's locks and claims at that moment, which are reported and never copied.
     *
     * <p>Each pass appends the events above every job's target high-water mark, in sequence order and gap-free, and
     * brings sessions, workflow definitions and executions, checkpoints and DLQ items in line: new, changed and
     * deleted ones (see {@code CatchUp}). The target must have no other writer until the cut-over. Point the writers
     * at the target after {@code stop} fired and this returned; writes the source receives after the last cut-over
     * pass are not copied (the verification then fails and names them).
     *
     * <p>Resumable: a live migration interrupted at any point is resumed by running it again; it continues without
     * duplicating an event, replacing records that changed in the source since.
     *
     * @throws CopyFailedException if the bulk copy finds the target holding different event logs (nothing of them was
     *                             overwritten); records are replaced
     */
    public FollowReport follow(FollowOptions options, StopSignal stop) {
        return new LiveMigration(this, source, target, Clock.systemUTC())
                .run(options, stop, copyOptions -> copy(copyOptions, IdempotentWriter.mirroring(target)));
    }

    /** Compares the target with the source (see {@link StorageVerifier}); reads only. */
    public VerificationReport verify() {
        return StorageVerifier.compare(source, target);
    }

    /** The source's live lock leases and claimed DLQ items, described for humans; empty if there are none. */
    public List<String> liveLeases() {
        List<String> live = new ArrayList<>();
        heldLocks().forEach(lock -> live.add(lock.toString()));
        try (Stream<JobRef> jobs = Pages.stream(PageRequest.MAX_LIMIT, page -> source.dlq().listJobs(null, page))) {
            jobs.forEach(job -> {
                long claimed = source.dlq().stats(job).claimedItems();
                if (claimed > 0) {
                    live.add(claimed + " claimed DLQ item(s) in " + job);
                }
            });
        }
        return live;
    }

    /** The source's live lock leases. */
    List<HeldLock> heldLocks() {
        return source.locks().list().stream().map(HeldLock::of).toList();
    }

    /** How many DLQ items are under a live claim in the source. */
    long claimedItems() {
        try (Stream<JobRef> jobs = Pages.stream(PageRequest.MAX_LIMIT, page -> source.dlq().listJobs(null, page))) {
            return jobs.mapToLong(job -> source.dlq().stats(job).claimedItems()).sum();
        }
    }

    private static TypeProgress progress(RecordType type, long total, CopyOptions options, List<String> conflicts) {
        return new TypeProgress(type, total, options.progress(), conflicts);
    }
}
