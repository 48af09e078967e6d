package io.prodigy.storage.tck.fault;

import io.prodigy.storage.event.AppendResult;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStats;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.event.EventSubscription;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.Fence;
import java.time.Instant;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

final class FaultyEvents implements EventStorage {

    private final EventStorage delegate;
    private final FaultEngine engine;

    FaultyEvents(EventStorage delegate, FaultEngine engine) {
        this.delegate = delegate;
        this.engine = engine;
    }

    @Override
    public AppendResult append(JobRef job, List<NewEvent> events, Fence fence) {
        return engine.invoke("events.append", () -> delegate.append(job, events, fence), job, events, fence);
    }

    @Override
    public Stream<EventRecord> query(EventFilter filter) {
        return engine.invoke("events.query", () -> delegate.query(filter), filter);
    }

    @Override
    public EventStats aggregate(JobRef job) {
        return engine.invoke("events.aggregate", () -> delegate.aggregate(job), job);
    }

    @Override
    public long lastSequence(JobRef job) {
        return engine.invoke("events.lastSequence", () -> delegate.lastSequence(job), job);
    }

    @Override
    public Page<JobRef> listJobs(String repository, PageRequest page) {
        return engine.invoke("events.listJobs", () -> delegate.listJobs(repository, page), repository, page);
    }

    @Override
    public EventSubscription subscribe(EventFilter filter, long afterSequence, Consumer<EventRecord> handler) {
        return engine.invoke("events.subscribe", () -> delegate.subscribe(filter, afterSequence, handler), filter,
                afterSequence, handler);
    }

    @Override
    public long purge(JobRef job, Instant olderThan, Fence fence) {
        return engine.invoke("events.purge", () -> delegate.purge(job, olderThan, fence), job, olderThan, fence);
    }

    @Override
    public long deleteJob(JobRef job, Fence fence) {
        return engine.invoke("events.deleteJob", () -> delegate.deleteJob(job, fence), job, fence);
    }
}
