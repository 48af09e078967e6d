package io.prodigy.storage.core.layer.intercept;

import static io.prodigy.storage.core.layer.intercept.InterceptingStorage.call;

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

final class InterceptingDlq implements DlqStorage {

    private final DlqStorage delegate;
    private final InterceptorChain chain;

    InterceptingDlq(DlqStorage delegate, InterceptorChain chain) {
        this.delegate = delegate;
        this.chain = chain;
    }

    @Override
    public DlqItem add(JobRef job, DlqFailure failure, Fence fence) {
        return call(chain, Operation.DLQ_ADD, () -> delegate.add(job, failure, fence));
    }

    @Override
    public Optional<DlqItem> get(JobRef job, String itemId) {
        return call(chain, Operation.DLQ_GET, () -> delegate.get(job, itemId));
    }

    @Override
    public Page<DlqItem> list(DlqFilter filter, PageRequest page) {
        return call(chain, Operation.DLQ_LIST, () -> delegate.list(filter, page));
    }

    @Override
    public DlqStats stats(JobRef job) {
        return call(chain, Operation.DLQ_STATS, () -> delegate.stats(job));
    }

    @Override
    public List<DlqItem> claim(JobRef job, String worker, int maxItems, Duration lease, Fence fence) {
        return call(chain, Operation.DLQ_CLAIM, () -> delegate.claim(job, worker, maxItems, lease, fence));
    }

    @Override
    public DlqItem extendClaim(JobRef job, String itemId, String claimToken, Duration lease) {
        return call(chain, Operation.DLQ_EXTEND_CLAIM, () -> delegate.extendClaim(job, itemId, claimToken, lease));
    }

    @Override
    public boolean remove(JobRef job, String itemId, String claimToken, Fence fence) {
        return call(chain, Operation.DLQ_REMOVE, () -> delegate.remove(job, itemId, claimToken, fence));
    }

    @Override
    public DlqItem release(JobRef job, String itemId, String claimToken, String error, Fence fence) {
        return call(chain, Operation.DLQ_RELEASE, () -> delegate.release(job, itemId, claimToken, error, fence));
    }

    @Override
    public long purge(JobRef job, Fence fence) {
        return call(chain, Operation.DLQ_PURGE, () -> delegate.purge(job, fence));
    }

    @Override
    public Page<JobRef> listJobs(String repository, PageRequest page) {
        return call(chain, Operation.DLQ_LIST_JOBS, () -> delegate.listJobs(repository, page));
    }
}
