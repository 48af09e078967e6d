package io.prodigy.storage.core.layer.forward;

import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.DlqStats;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Forwards every call; subclasses override what they change. */
public abstract class ForwardingDlqStorage implements DlqStorage {

    private final DlqStorage delegate;

    protected ForwardingDlqStorage(DlqStorage delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    protected final DlqStorage delegate() {
        return delegate;
    }

    @Override
    public DlqItem add(JobRef job, DlqFailure failure, Fence fence) {
        return delegate.add(job, failure, fence);
    }

    @Override
    public Optional<DlqItem> get(JobRef job, String itemId) {
        return delegate.get(job, itemId);
    }

    @Override
    public Page<DlqItem> list(DlqFilter filter, PageRequest page) {
        return delegate.list(filter, page);
    }

    @Override
    public DlqStats stats(JobRef job) {
        return delegate.stats(job);
    }

    @Override
    public List<DlqItem> claim(JobRef job, String worker, int maxItems, Duration lease, Fence fence) {
        return delegate.claim(job, worker, maxItems, lease, fence);
    }

    @Override
    public DlqItem extendClaim(JobRef job, String itemId, String claimToken, Duration lease) {
        return delegate.extendClaim(job, itemId, claimToken, lease);
    }

    @Override
    public boolean remove(JobRef job, String itemId, String claimToken, Fence fence) {
        return delegate.remove(job, itemId, claimToken, fence);
    }

    @Override
    public DlqItem release(JobRef job, String itemId, String claimToken, String error, Fence fence) {
        return delegate.release(job, itemId, claimToken, error, fence);
    }

    @Override
    public long purge(JobRef job, Fence fence) {
        return delegate.purge(job, fence);
    }

    @Override
    public Page<JobRef> listJobs(String repository, PageRequest page) {
        return delegate.listJobs(repository, page);
    }
}
