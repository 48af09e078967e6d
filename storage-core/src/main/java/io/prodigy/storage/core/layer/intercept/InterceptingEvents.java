package io.prodigy.storage.core.layer.intercept;

import static io.prodigy.storage.core.layer.intercept.InterceptingStorage.call;

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

/**
 * Events through the chain. {@link #query} is intercepted when the stream is opened; reading the lazy stream happens
 * in the caller's thread afterwards and is not retried or timed (a half-read stream cannot be re-read transparently).
 */
final class InterceptingEvents implements EventStorage {

    private final EventStorage delegate;
    private final InterceptorChain chain;

    InterceptingEvents(EventStorage delegate, InterceptorChain chain) {
        this.delegate = delegate;
        this.chain = chain;
    }

    @Override
    public AppendResult append(JobRef job, List<NewEvent> events, Fence fence) {
        return call(chain, Operation.EVENTS_APPEND, () -> delegate.append(job, events, fence));
    }

    @Override
    public Stream<EventRecord> query(EventFilter filter) {
        return call(chain, Operation.EVENTS_QUERY, () -> delegate.query(filter));
    }

    @Override
    public EventStats aggregate(JobRef job) {
        return call(chain, Operation.EVENTS_AGGREGATE, () -> delegate.aggregate(job));
    }

    @Override
    public long lastSequence(JobRef job) {
        return call(chain, Operation.EVENTS_LAST_SEQUENCE, () -> delegate.lastSequence(job));
    }

    @Override
    public Page<JobRef> listJobs(String repository, PageRequest page) {
        return call(chain, Operation.EVENTS_LIST_JOBS, () -> delegate.listJobs(repository, page));
    }

    @Override
    public EventSubscription subscribe(EventFilter filter, long afterSequence, Consumer<EventRecord> handler) {
        return call(chain, Operation.EVENTS_SUBSCRIBE, () -> delegate.subscribe(filter, afterSequence, handler));
    }

    @Override
    public long purge(JobRef job, Instant olderThan, Fence fence) {
        return call(chain, Operation.EVENTS_PURGE, () -> delegate.purge(job, olderThan, fence));
    }

    @Override
    public long deleteJob(JobRef job, Fence fence) {
        return call(chain, Operation.EVENTS_DELETE_JOB, () -> delegate.deleteJob(job, fence));
    }
}
