package io.prodigy.storage.tck.fault;

import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.DlqStats;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.Fence;
import java.time.Duration;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import java.util.List;
import java.util.Optional;

final class FaultyDlq implements DlqStorage {

    private final DlqStorage delegate;
    private final FaultEngine engine;

    FaultyDlq(DlqStorage delegate, FaultEngine engine) {
        this.delegate = delegate;
        this.engine = engine;
    }

    @Override
    public DlqItem add(JobRef job, DlqFailure failure, Fence fence) {
        return engine.invoke("dlq.add", () -> delegate.add(job, failure, fence), job, failure, fence);
    }

    @Override
    public Optional<DlqItem> get(JobRef job, String itemId) {
        return engine.invoke("dlq.get", () -> delegate.get(job, itemId), job, itemId);
    }

    @Override
    public Page<DlqItem> list(DlqFilter filter, PageRequest page) {
        return engine.invoke("dlq.list", () -> delegate.list(filter, page), filter, page);
    }

    @Override
    public DlqStats stats(JobRef job) {
        return engine.invoke("dlq.stats", () -> delegate.stats(job), job);
    }

    @Override
    public List<DlqItem> claim(JobRef job, String worker, int maxItems, Duration lease, Fence fence) {
        return engine.invoke("dlq.claim", () -> delegate.claim(job, worker, maxItems, lease, fence), job, worker,
                maxItems, lease, fence);
    }

    @Override
    public DlqItem extendClaim(JobRef job, String itemId, String claimToken, Duration lease) {
        return engine.invoke("dlq.extendClaim", () -> delegate.extendClaim(job, itemId, claimToken, lease), job,
                itemId, claimToken, lease);
    }

    @Override
    public boolean remove(JobRef job, String itemId, String claimToken, Fence fence) {
        return engine.invoke("dlq.remove", () -> delegate.remove(job, itemId, claimToken, fence), job, itemId,
                claimToken, fence);
    }

    @Override
    public DlqItem release(JobRef job, String itemId, String claimToken, String error, Fence fence) {
        return engine.invoke("dlq.release", () -> delegate.release(job, itemId, claimToken, error, fence), job,
                itemId, claimToken, error, fence);
    }

    @Override
    public long purge(JobRef job, Fence fence) {
        return engine.invoke("dlq.purge", () -> delegate.purge(job, fence), job, fence);
    }

    @Override
    public Page<JobRef> listJobs(String repository, PageRequest page) {
        return engine.invoke("dlq.listJobs", () -> delegate.listJobs(repository, page), repository, page);
    }
}
