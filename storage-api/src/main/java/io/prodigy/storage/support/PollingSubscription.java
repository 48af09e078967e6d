package io.prodigy.storage.support;

import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.event.EventSubscription;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscription algorithm, written once for every backend: a daemon thread re-reads the job's log after the last
 * delivered position, hands matching events to the handler in sequence order, then waits for a hint from a
 * {@link ChangeNotifier} or for the poll interval, whichever comes first.
 *
 * <p>Correctness rests only on re-reading: {@code lastSequence(job)} is read before each query, and the query sees
 * every append that returned before it started, so after a round every matching event up to that sequence has been
 * delivered. Hints only make delivery faster. The filter's {@code limit} is ignored (a subscription is infinite).
 */
public final class PollingSubscription implements EventSubscription {

    private static final Logger LOG = LoggerFactory.getLogger(PollingSubscription.class);
    private static final long BATCH = 1_000;

    private final EventStorage store;
    private final EventFilter filter;
    private final Consumer<EventRecord> handler;
    private final ChangeNotifier notifier;
    private final Duration pollInterval;
    private final AtomicLong position;
    private final AtomicBoolean active = new AtomicBoolean(true);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;

    private PollingSubscription(EventStorage store, EventFilter filter, long afterSequence,
            Consumer<EventRecord> handler, ChangeNotifier notifier, Duration pollInterval) {
        this.store = store;
        this.filter = filter.withLimit(0);
        this.handler = handler;
        this.notifier = notifier;
        this.pollInterval = pollInterval;
        this.position = new AtomicLong(afterSequence);
        this.thread = new Thread(this::run, "prodigy-subscription-" + filter.job());
        this.thread.setDaemon(true);
    }

    /**
     * Starts delivering on a new daemon thread.
     *
     * @param pollInterval the longest a new event waits when no hint arrives
     */
    public static PollingSubscription start(EventStorage store, EventFilter filter, long afterSequence,
            Consumer<EventRecord> handler, ChangeNotifier notifier, Duration pollInterval) {
        if (afterSequence < 0) {
            throw new IllegalArgumentException("afterSequence must not be negative");
        }
        PollingSubscription s = new PollingSubscription(store, filter, afterSequence, handler, notifier, pollInterval);
        s.thread.start();
        return s;
    }

    private void run() {
        try {
            while (active.get()) {
                long seenVersion = notifier.version();
                boolean delivered = pollOnce();
                if (!delivered && active.get()) {
                    notifier.awaitChange(seenVersion, pollInterval);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (active.get()) {
                LOG.warn("Subscription to {} stopped: {}", filter.job(), e.toString(), e);
            }
        } finally {
            active.set(false);
            stopped.countDown();
        }
    }

    /** One round; returns whether anything was delivered (then it polls again at once). */
    private boolean pollOnce() {
        long upTo = store.lastSequence(filter.job());
        long from = position.get();
        if (upTo <= from) {
            return false;
        }
        long delivered = 0;
        try (Stream<EventRecord> events = store.query(filter.withAfterSequence(from).withLimit(BATCH))) {
            var it = events.iterator();
            while (it.hasNext() && active.get()) {
                EventRecord e = it.next();
                handler.accept(e);
                position.set(e.sequence());
                delivered++;
            }
        }
        if (delivered < BATCH && active.get()) {
            // Every matching event up to upTo has been delivered: skip past the non-matching ones too.
            position.accumulateAndGet(upTo, Math::max);
        }
        return delivered > 0;
    }

    @Override
    public long lastDeliveredSequence() {
        return position.get();
    }

    @Override
    public boolean isActive() {
        return active.get();
    }

    @Override
    public void close() {
        active.set(false);
        notifier.signal();
        if (Thread.currentThread() != thread) {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
