package io.prodigy.storage.support;

import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.page.Keyset;
import io.prodigy.storage.page.PageKey;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import io.prodigy.storage.workflow.WorkflowInfo;
import java.time.Instant;
import java.util.Comparator;

/**
 * Every order the SPI states, in one place: the listings' keysets (order plus cursors) and the comparators behind
 * {@code latest} and DLQ claims. Backends sort with these, or reproduce them in a query and still take cursors from
 * here.
 *
 * <p><b>Names compare by UTF-8 bytes</b> ({@link #UTF8}): the order PostgreSQL gives a {@code COLLATE "C"} column,
 * Redis gives sorted-set members of equal score, and S3 gives keys in a listing. Java's {@link String#compareTo}
 * compares UTF-16 units instead, which differs for characters outside the Basic Multilingual Plane (U+FF21 sorts
 * before U+10400 in UTF-8, after it in UTF-16), so it is used nowhere in a stated order.
 *
 * <p><b>Ties.</b> Every listing ends its key with the item's full identity, so no two items share a key and a page
 * boundary between items with equal times neither skips nor repeats one.
 */
public final class Orders {

    private Orders() {}

    /** Strings by their UTF-8 bytes, compared unsigned (code point order): {@link Ids#BYTE_ORDER}. */
    public static final Comparator<String> UTF8 = Ids.BYTE_ORDER;

    /** Jobs by repository, then job id, each by UTF-8 bytes. {@link JobRef#compareTo} is this order. */
    public static final Comparator<JobRef> JOBS =
            Comparator.comparing(JobRef::repository, UTF8).thenComparing(JobRef::jobId, UTF8);

    /** Sessions: by {@code startedAt}, then id. */
    public static final Keyset<PersistedSession> SESSIONS =
            Keyset.of("session", s -> PageKey.of(s.startedAt(), s.id()));

    /**
     * Checkpoints: by {@code createdAt}, then id, then scope (job scopes by repository and job id, then workflow
     * scopes by workflow id); within one scope this is {@link io.prodigy.storage.checkpoint.CheckpointStorage#NEWEST_LAST}.
     */
    public static final Keyset<CheckpointInfo> CHECKPOINTS =
            Keyset.of("checkpoint", c -> checkpointKey(c.createdAt(), c.id(), c.scope()));

    /** Workflow definitions: by {@code createdAt}, then id. */
    public static final Keyset<WorkflowInfo> WORKFLOWS =
            Keyset.of("workflow", w -> PageKey.of(w.createdAt(), w.id()));

    /** {@link #WORKFLOWS}, keyed on the definitions themselves. */
    public static final Keyset<WorkflowDefinition> WORKFLOW_DEFINITIONS =
            WORKFLOWS.by(d -> PageKey.of(d.createdAt(), d.id()));

    /** Executions of one workflow ({@code .in(workflowId)}): by {@code startedAt}, then id. */
    public static final Keyset<WorkflowExecution> EXECUTIONS =
            Keyset.of("workflow execution", e -> PageKey.of(e.startedAt(), e.id()));

    /** Items of one job's queue ({@link #dlqItemsOf}): by {@code enqueuedAt}, then item id; also the claim order. */
    public static final Keyset<DlqItem> DLQ_ITEMS =
            Keyset.of("DLQ item", i -> PageKey.of(i.enqueuedAt(), i.itemId()));

    /** Jobs that have events: by repository, then job id. */
    public static final Keyset<JobRef> EVENT_JOBS =
            Keyset.of("event job", j -> PageKey.ofNames(j.repository(), j.jobId()));

    /** Jobs that have DLQ items: by repository, then job id. */
    public static final Keyset<JobRef> DLQ_JOBS =
            Keyset.of("DLQ job", j -> PageKey.ofNames(j.repository(), j.jobId()));

    /** Live leases: by lock key (UTF-8 bytes). */
    public static final Keyset<LockLease> LOCKS = Keyset.of("lock", l -> PageKey.ofNames(l.key()));

    /** Checkpoints of one scope, oldest first: by {@code createdAt}, then id; {@code latest} is the greatest. */
    public static final Comparator<Checkpoint> CHECKPOINTS_NEWEST_LAST =
            Comparator.comparing(Checkpoint::createdAt).thenComparing(Checkpoint::id, UTF8);

    /** The executions listing of one workflow. */
    public static Keyset<WorkflowExecution> executionsOf(String workflowId) {
        return EXECUTIONS.in(workflowId);
    }

    /** The items listing of one job's queue. */
    public static Keyset<DlqItem> dlqItemsOf(JobRef job) {
        return DLQ_ITEMS.in(job.repository(), job.jobId());
    }

    /** The key of a checkpoint in {@link #CHECKPOINTS}, for backends that hold checkpoints in another form. */
    public static PageKey checkpointKey(Instant createdAt, String id, CheckpointScope scope) {
        return scope.isJob()
                ? PageKey.of(createdAt, id, "job", scope.job().repository(), scope.job().jobId())
                : PageKey.of(createdAt, id, "workflow", scope.workflowId());
    }
}
