package io.prodigy.storage.core.layer.forward;

import io.prodigy.storage.event.AppendResult;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStats;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.event.EventSubscription;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Forwards every call; subclasses override what they change. */
public abstract class ForwardingEventStorage implements EventStorage {

    private final EventStorage delegate;

    protected ForwardingEventStorage(EventStorage delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    protected final EventStorage delegate() {
        return delegate;
    }

    @Override
    public AppendResult append(JobRef job, List<NewEvent> events, Fence fence) {
        return delegate.append(job, events, fence);
    }

    @Override
    public Stream<EventRecord> query(EventFilter filter) {
        return delegate.query(filter);
    }

    @Override
    public EventStats aggregate(JobRef job) {
        return delegate.aggregate(job);
    }

    @Override
    public long lastSequence(JobRef job) {
        return delegate.lastSequence(job);
    }

    @Override
    public Page<JobRef> listJobs(String repository, PageRequest page) {
        return delegate.listJobs(repository, page);
    }

    @Override
    public EventSubscription subscribe(EventFilter filter, long afterSequence, Consumer<EventRecord> handler) {
        return delegate.subscribe(filter, afterSequence, handler);
    }

    @Override
    public EventSubscription subscribe(EventFilter filter, Consumer<EventRecord> handler) {
        return delegate.subscribe(filter, handler);
    }

    @Override
    public long purge(JobRef job, Instant olderThan, Fence fence) {
        return delegate.purge(job, olderThan, fence);
    }

    @Override
    public long deleteJob(JobRef job, Fence fence) {
        return delegate.deleteJob(job, fence);
    }
}
