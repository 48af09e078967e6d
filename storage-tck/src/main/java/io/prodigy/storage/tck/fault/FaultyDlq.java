package io.prodigy.storage.tck.fault;

import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.DlqStats;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.id.JobRef;
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
    public DlqItem add(JobRef job, DlqFailure failure) {
        return engine.invoke("dlq.add", () -> delegate.add(job, failure), job, failure);
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
    public List<DlqItem> claim(JobRef job, String worker, int maxItems, Duration lease) {
        return engine.invoke("dlq.claim", () -> delegate.claim(job, worker, maxItems, lease), job, worker, maxItems,
                lease);
    }

    @Override
    public boolean remove(JobRef job, String itemId, String claimToken) {
        return engine.invoke("dlq.remove", () -> delegate.remove(job, itemId, claimToken), job, itemId, claimToken);
    }

    @Override
    public DlqItem release(JobRef job, String itemId, String claimToken, String error) {
        return engine.invoke("dlq.release", () -> delegate.release(job, itemId, claimToken, error), job, itemId,
                claimToken, error);
    }

    @Override
    public long purge(JobRef job) {
        return engine.invoke("dlq.purge", () -> delegate.purge(job), job);
    }

    @Override
    public Page<JobRef> listJobs(String repository, PageRequest page) {
        return engine.invoke("dlq.listJobs", () -> delegate.listJobs(repository, page), repository, page);
    }
}
