package io.prodigy.storage.migrate.copy;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.migrate.verify.RecordDigests;
import io.prodigy.storage.migrate.write.EventLogSync;
import io.prodigy.storage.migrate.write.IdempotentWriter;
import io.prodigy.storage.migrate.write.SequencedEvent;
import io.prodigy.storage.migrate.write.SyncResult;
import io.prodigy.storage.migrate.write.WriteResult;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.page.Pages;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import io.prodigy.storage.workflow.WorkflowFilter;
import io.prodigy.storage.workflow.WorkflowInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One pass of a live migration: brings the target in line with the source as it is now. Events are copied
 * incrementally, from each job's target high-water mark (new jobs included); every other record type is compared
 * listing against listing, side by side in their stated order ({@link SortedMerge}), so a pass sees records that are
 * new, changed and deleted since the last one and memory stays flat. Claims and leases are counted, never copied.
 *
 * <p>A pass is not a snapshot: a record changed while the pass runs may be seen in either version, and the next pass
 * sees it again. Once writers stop, one pass makes the target mirror the source. The target must have no writer but
 * the migration.
 */
final class CatchUp {

    private static final int PAGE = PageRequest.MAX_LIMIT;

    private final UnifiedStorage source;
    private final UnifiedStorage target;
    private final IdempotentWriter writer;
    private final EventLogSync sync;
    private final Clock clock;

    CatchUp(UnifiedStorage source, UnifiedStorage target, int batchSize, Clock clock) {
        this.source = source;
        this.target = target;
        this.writer = IdempotentWriter.mirroring(target);
        this.sync = new EventLogSync(target.events(), batchSize, false);
        this.clock = clock;
    }

    /**
     * Runs one pass.
     *
     * @param number    the pass's number, for the report
     * @param since     when the previous pass (or the bulk copy) started: every change this pass finds happened
     *                  after it, which bounds the lag of changes that carry no time of their own
     * @param conflicts receives what could not be brought in line
     */
    FollowPass pass(int number, boolean cutover, Instant since, List<String> conflicts) {
        Tally tally = new Tally(since, conflicts);
        Instant start = clock.instant();
        sessions(tally);
        workflows(tally);
        checkpoints(tally);
        dlq(tally);
        events(tally);
        Instant end = clock.instant();
        Duration lag = tally.oldest == null ? Duration.ZERO : Duration.between(tally.oldest, end);
        return new FollowPass(number, cutover, start, Duration.between(start, end), tally.events, tally.records,
                tally.removed, lag.isNegative() ? Duration.ZERO : lag, tally.claimed);
    }

    /**
     * Records the target holds that the source does not (at most {@code max} named, all counted): what the passes
     * would delete from the target. Reads only; event logs are left out, since a pass deletes a target's log only
     * when the source's high-water mark shows that the source had and deleted it.
     */
    Strangers strangers(int max) {
        Strangers found = new Strangers(max);
        merge(page -> source.sessions().list(SessionFilter.ALL, page),
                page -> target.sessions().list(SessionFilter.ALL, page), Orders.SESSIONS.order(),
                onlyInTarget(t -> goneFromSource(t) ? "session " + t.id() : null, found));
        merge(page -> source.workflows().list(WorkflowFilter.ALL, page),
                page -> target.workflows().list(WorkflowFilter.ALL, page), Orders.WORKFLOWS.order(),
                onlyInTarget(t -> goneFromSource(t) ? "workflow " + t.id() : null, found));
        merge(page -> source.checkpoints().list(CheckpointFilter.ALL, page),
                page -> target.checkpoints().list(CheckpointFilter.ALL, page), Orders.CHECKPOINTS.order(),
                onlyInTarget(t -> goneFromSource(t) ? "checkpoint " + t.scope() + " " + t.id() : null, found));
        merge(page -> source.dlq().listJobs(null, page), page -> target.dlq().listJobs(null, page), Orders.JOBS,
                sides(job -> merge(page -> source.dlq().list(DlqFilter.forJob(job), page),
                        page -> target.dlq().list(DlqFilter.forJob(job), page), Orders.DLQ_ITEMS.order(),
                        onlyInTarget(t -> goneFromSource(t) ? "DLQ item " + job + " " + t.itemId() : null, found))));
        return found;
    }

    /** What {@link #strangers} found. */
    static final class Strangers {
        private final int max;
        private final List<String> named = new java.util.ArrayList<>();
        private long count;

        Strangers(int max) {
            this.max = max;
        }

        void add(String what) {
            count++;
            if (named.size() < max) {
                named.add(what);
            }
        }

        long count() {
            return count;
        }

        List<String> named() {
            return List.copyOf(named);
        }
    }

    /** Sides that only look at what the target alone lists; {@code describe} names a stranger, or gives null. */
    private static <T> SortedMerge.Sides<T> onlyInTarget(Function<T, String> describe, Strangers found) {
        return new SortedMerge.Sides<>() {
            @Override
            public void both(T s, T t) {
            }

            @Override
            public void sourceOnly(T s) {
            }

            @Override
            public void targetOnly(T t) {
                String what = describe.apply(t);
                if (what != null) {
                    found.add(what);
                }
            }
        };
    }

    private boolean goneFromSource(PersistedSession t) {
        return source.sessions().load(t.id()).isEmpty();
    }

    private boolean goneFromSource(WorkflowInfo t) {
        return source.workflows().load(t.id()).isEmpty();
    }

    private boolean goneFromSource(CheckpointInfo t) {
        return source.checkpoints().load(t.scope(), t.id()).isEmpty();
    }

    private boolean goneFromSource(DlqItem t) {
        return source.dlq().get(t.job(), t.itemId()).isEmpty();
    }

    private void sessions(Tally tally) {
        merge(page -> source.sessions().list(SessionFilter.ALL, page),
                page -> target.sessions().list(SessionFilter.ALL, page), Orders.SESSIONS.order(),
                new SortedMerge.Sides<>() {
                    @Override
                    public void both(PersistedSession s, PersistedSession t) {
                        if (!RecordDigests.same(s, t)) {
                            sourceOnly(s);
                        }
                    }

                    @Override
                    public void sourceOnly(PersistedSession s) {
                        tally.wrote(writer.session(s), s.updatedAt());
                    }

                    @Override
                    public void targetOnly(PersistedSession t) {
                        if (goneFromSource(t)) {
                            tally.removed(target.sessions().delete(t.id()));
                        }
                    }
                });
    }

    private void workflows(Tally tally) {
        merge(page -> source.workflows().list(WorkflowFilter.ALL, page),
                page -> target.workflows().list(WorkflowFilter.ALL, page), Orders.WORKFLOWS.order(),
                new SortedMerge.Sides<>() {
                    @Override
                    public void both(WorkflowInfo s, WorkflowInfo t) {
                        sourceOnly(s);
                    }

                    @Override
                    public void sourceOnly(WorkflowInfo s) {
                        WorkflowDefinition w = source.workflows().load(s.id()).orElse(null);
                        if (w == null) {
                            return; // deleted since it was listed: the next pass removes it from the target
                        }
                        WriteResult result = writer.workflow(w);
                        tally.wrote(result, w.updatedAt());
                        if (!result.isConflict()) {
                            executions(w.id(), tally);
                        }
                    }

                    @Override
                    public void targetOnly(WorkflowInfo t) {
                        if (goneFromSource(t)) {
                            tally.removed(target.workflows().delete(t.id()));
                        }
                    }
                });
    }

    /**
     * Executions are upserts by id and cannot be deleted one by one (only with their workflow), so one that only the
     * target lists is an execution whose start moved: the source side of the walk replaces it.
     */
    private void executions(String workflowId, Tally tally) {
        merge(page -> source.workflows().listExecutions(workflowId, page),
                page -> target.workflows().listExecutions(workflowId, page), Orders.EXECUTIONS.order(),
                new SortedMerge.Sides<>() {
                    @Override
                    public void both(WorkflowExecution s, WorkflowExecution t) {
                        if (!RecordDigests.same(s, t)) {
                            tally.wrote(writer.execution(s, Map.of(t.id(), t)), changedAt(s));
                        }
                    }

                    @Override
                    public void sourceOnly(WorkflowExecution s) {
                        tally.wrote(writer.execution(s, Map.of()), changedAt(s));
                    }

                    @Override
                    public void targetOnly(WorkflowExecution t) {
                        // replaced by its source version (same id, other start), see above
                    }
                });
    }

    private static Instant changedAt(WorkflowExecution e) {
        return e.finishedAt() != null ? e.finishedAt() : e.startedAt();
    }

    private void checkpoints(Tally tally) {
        merge(page -> source.checkpoints().list(CheckpointFilter.ALL, page),
                page -> target.checkpoints().list(CheckpointFilter.ALL, page), Orders.CHECKPOINTS.order(),
                new SortedMerge.Sides<>() {
                    @Override
                    public void both(CheckpointInfo s, CheckpointInfo t) {
                        sourceOnly(s);
                    }

                    @Override
                    public void sourceOnly(CheckpointInfo s) {
                        source.checkpoints().load(s.scope(), s.id())
                                .ifPresent(c -> tally.wrote(writer.checkpoint(c), c.createdAt()));
                    }

                    @Override
                    public void targetOnly(CheckpointInfo t) {
                        if (goneFromSource(t)) {
                            tally.removed(target.checkpoints().delete(t.scope(), t.id()));
                        }
                    }
                });
    }

    private void dlq(Tally tally) {
        merge(page -> source.dlq().listJobs(null, page), page -> target.dlq().listJobs(null, page), Orders.JOBS,
                sides(job -> dlqItems(job, tally)));
    }

    private void dlqItems(JobRef job, Tally tally) {
        Instant now = clock.instant();
        merge(page -> source.dlq().list(DlqFilter.forJob(job), page),
                page -> target.dlq().list(DlqFilter.forJob(job), page), Orders.DLQ_ITEMS.order(),
                new SortedMerge.Sides<>() {
                    @Override
                    public void both(DlqItem s, DlqItem t) {
                        if (!RecordDigests.same(s, t)) {
                            sourceOnly(s);
                        } else if (s.isClaimedAt(now)) {
                            tally.claimed++;
                        }
                    }

                    @Override
                    public void sourceOnly(DlqItem s) {
                        if (s.isClaimedAt(now)) {
                            tally.claimed++;
                        }
                        if (s.failureHistory().isEmpty()) {
                            tally.conflicts.add(StorageMigrator.noHistory(s));
                            return;
                        }
                        tally.wrote(writer.dlqItem(s), s.lastFailedAt());
                    }

                    @Override
                    public void targetOnly(DlqItem t) {
                        if (goneFromSource(t)) {
                            tally.removed(target.dlq().remove(job, t.itemId(), null));
                        }
                    }
                });
    }

    private void events(Tally tally) {
        merge(page -> source.events().listJobs(null, page), page -> target.events().listJobs(null, page),
                Orders.JOBS, new SortedMerge.Sides<>() {
                    @Override
                    public void both(JobRef s, JobRef t) {
                        sourceOnly(s);
                    }

                    @Override
                    public void sourceOnly(JobRef job) {
                        eventTail(job, tally);
                    }

                    @Override
                    public void targetOnly(JobRef job) {
                        // Deleted in the source (deleteJob keeps the high-water mark): delete it in the target too.
                        if (source.events().aggregate(job).totalEvents() == 0
                                && source.events().lastSequence(job) >= target.events().lastSequence(job)) {
                            tally.removed(target.events().deleteJob(job) > 0);
                        }
                    }
                });
    }

    private void eventTail(JobRef job, Tally tally) {
        long sourceLast = source.events().lastSequence(job);
        long targetLast = target.events().lastSequence(job);
        if (sourceLast == targetLast) {
            return;
        }
        if (targetLast > sourceLast) {
            tally.conflicts.add("event log " + job + ": the target log goes up to sequence " + targetLast
                    + " but the source only to " + sourceLast);
            return;
        }
        EventLogSync.Listener listener = new EventLogSync.Listener() {
            @Override
            public void appended(List<SequencedEvent> batch) {
                tally.events += batch.size();
                for (SequencedEvent e : batch) {
                    tally.changed(e.event().timestamp());
                }
            }
        };
        try (Stream<EventRecord> tail = EventCopier.upTo(source.events().query(
                EventFilter.forJob(job).withAfterSequence(targetLast)), sourceLast)) {
            SyncResult result = sync.continueAfterTarget(job, tail.map(SequencedEvent::of).iterator(), sourceLast,
                    listener);
            if (result.isConflict()) {
                tally.conflicts.add(result.conflict());
            }
        }
    }

    /** Sides that treat every job alike, whichever store lists it. */
    private static SortedMerge.Sides<JobRef> sides(Consumer<JobRef> each) {
        return new SortedMerge.Sides<>() {
            @Override
            public void both(JobRef s, JobRef t) {
                each.accept(s);
            }

            @Override
            public void sourceOnly(JobRef s) {
                each.accept(s);
            }

            @Override
            public void targetOnly(JobRef t) {
                each.accept(t);
            }
        };
    }

    private static <T> void merge(Function<PageRequest, Page<T>> sourceListing,
            Function<PageRequest, Page<T>> targetListing, Comparator<? super T> order, SortedMerge.Sides<T> sides) {
        try (Stream<T> s = Pages.stream(PAGE, sourceListing); Stream<T> t = Pages.stream(PAGE, targetListing)) {
            SortedMerge.walk(s, t, order, sides);
        }
    }

    /** What one pass did. */
    private static final class Tally {
        private final Instant since;
        private final List<String> conflicts;
        private long events;
        private long records;
        private long removed;
        private long claimed;
        private Instant oldest;

        Tally(Instant since, List<String> conflicts) {
            this.since = since;
            this.conflicts = conflicts;
        }

        void wrote(WriteResult result, Instant changedAt) {
            if (result.isConflict()) {
                conflicts.add(result.key() + ": " + result.detail());
            } else if (result.wrote()) {
                records++;
                changed(changedAt);
            }
        }

        void removed(boolean done) {
            if (done) {
                removed++;
                changed(null);
            }
        }

        /**
         * Notes a copied change made at {@code at} (its time in the source; {@code null} if unknown). The change was
         * not there when the previous pass started, so it cannot be older than that, whatever time it carries.
         */
        void changed(Instant at) {
            Instant when = at == null || at.isBefore(since) ? since : at;
            if (oldest == null || when.isBefore(oldest)) {
                oldest = when;
            }
        }
    }
}
