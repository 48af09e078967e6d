package io.prodigy.storage.core.layer.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.config.CacheConfig;
import io.prodigy.storage.tck.TestClock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The interleavings {@link ReadCache} guards against, made deterministic by running the "other thread's" step inside
 * the loader or the write.
 */
class ReadCacheRaceTest {

    private final ReadCache cache = new ReadCache(new CacheConfig(100, Duration.ofHours(1), "memory"),
            TestClock.startingNow());
    private final CacheKey key = new CacheKey.Session("s-1");

    private Optional<String> read(java.util.function.Supplier<Optional<String>> loader) {
        return cache.read(key, String.class, UnaryOperator.identity(), loader);
    }

    @Test
    void aSlowReaderDoesNotReinstateTheValueAWriterReplaced() {
        // The reader loads "old"; before it fills the cache, a writer stores "new".
        Optional<String> seen = read(() -> {
            cache.write(key, () -> "new", v -> v);
            return Optional.of("old");
        });

        assertThat(seen).contains("old");
        assertThat(read(() -> Optional.of("from-backend"))).contains("new");
    }

    @Test
    void aSlowReaderDoesNotReinstateADeletedValue() {
        read(() -> {
            cache.write(key, () -> true, null);
            return Optional.of("old");
        });

        assertThat(read(() -> Optional.of("from-backend"))).contains("from-backend");
    }

    @Test
    void aSlowReaderDoesNotFillAcrossABulkInvalidation() {
        read(() -> {
            cache.invalidateAll(k -> true);
            return Optional.of("old");
        });

        assertThat(read(() -> Optional.of("from-backend"))).contains("from-backend");
    }

    @Test
    void ofTwoOverlappingWritesNeitherResultIsCached() {
        // Writer A's backend write runs, then writer B writes completely, then A finishes: which landed last in the
        // backend is unknown, so the entry must be dropped rather than hold A's result.
        cache.write(key, () -> {
            cache.write(key, () -> "b", v -> v);
            return "a";
        }, v -> v);

        assertThat(read(() -> Optional.of("from-backend"))).contains("from-backend");
    }

    @Test
    void anUncontendedWriteFillsTheEntry() {
        cache.write(key, () -> "mine", v -> v);

        assertThat(read(() -> Optional.of("from-backend"))).contains("mine");
    }

    @Test
    void aFailedWriteDropsTheEntry() {
        cache.write(key, () -> "v1", v -> v);
        try {
            cache.write(key, () -> {
                throw new IllegalStateException("lost answer");
            }, v -> v);
        } catch (IllegalStateException expected) {
            // the write may have been applied
        }

        assertThat(read(() -> Optional.of("from-backend"))).contains("from-backend");
    }
}
