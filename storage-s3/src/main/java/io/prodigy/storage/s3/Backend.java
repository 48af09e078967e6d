package io.prodigy.storage.s3;

import io.prodigy.storage.error.StorageUnavailableException;
import io.prodigy.storage.support.ChangeNotifier;
import io.prodigy.storage.support.InstantRange;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every store of one open S3 storage shares: the object store, the generation chains, the key layout, the
 * client clock, the change notifier for subscriptions in this process, and the open/closed state.
 */
final class Backend {

    final ObjectStore store;
    final Generations gens;
    final Layout layout;
    final S3Config config;
    final ChangeNotifier appends = new ChangeNotifier();
    final ObjectCache cache;
    private final Clock clock;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Parallel GETs of listings; daemon threads, stopped on close. */
    final ExecutorService readers;

    Backend(ObjectStore store, ObjectCache cache, Layout layout, S3Config config, Clock clock, int parallelReads) {
        this.store = store;
        this.cache = cache;
        AtomicInteger n = new AtomicInteger();
        this.readers = Executors.newFixedThreadPool(Math.max(1, parallelReads), r -> {
            Thread t = new Thread(r, "s3-read-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.gens = new Generations(store, cache, config.compactionGrace(), readers);
        this.layout = layout;
        this.config = config;
        this.clock = clock;
    }

    /**
     * The client clock: S3 has no clock an operation can read atomically with a write, so timestamps, lease and claim
     * expiry come from the context clock of the process (docs/s3.md, "Time").
     */
    Instant now() {
        return InstantRange.normalize(clock.instant());
    }

    /** A plain (non-generation) JSON object as listed, parsed through the cache; {@code null} if it is gone. */
    <T> T object(ObjectStore.Listed o, Class<T> type) {
        return cache.get(o.key(), o.eTag(), key -> store.get(key)
                .map(bytes -> new ObjectCache.Sized<>(Envelope.Codec.read(key, bytes, type), bytes.length))
                .orElse(null));
    }

    /** A plain JSON object read by key (one GET, not cached: no ETag is known before it), or {@code null}. */
    <T> T fetch(String key, Class<T> type) {
        return store.get(key).map(bytes -> Envelope.Codec.read(key, bytes, type)).orElse(null);
    }

    void ensureOpen() {
        if (closed.get()) {
            throw new Closed();
        }
    }

    boolean markClosed() {
        return closed.compareAndSet(false, true);
    }

    boolean isClosed() {
        return closed.get();
    }

    /** A call on a closed storage: unavailable and never retryable, the instance cannot serve again. */
    static final class Closed extends StorageUnavailableException {
        Closed() {
            super("S3 storage is closed: it cannot serve calls after close(). Open a new storage.");
        }

        @Override
        public boolean isRetryable() {
            return false;
        }
    }
}
