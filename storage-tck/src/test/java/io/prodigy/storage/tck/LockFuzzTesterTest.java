package io.prodigy.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.error.LockNotHeldException;
import io.prodigy.storage.error.LockTimeoutException;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.lock.LockService;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The fuzz oracle itself: quiet for a correct lock service, loud for one whose tokens do not increase. */
class LockFuzzTesterTest {

    /** A minimal correct lock service: one monitor, leases that never expire during the test. */
    private static class SimpleLocks implements LockService {
        private final Map<String, LockLease> live = new HashMap<>();
        private final Map<String, Long> lastToken = new HashMap<>();

        long nextToken(String key) {
            return lastToken.merge(key, 1L, Long::sum);
        }

        @Override
        public synchronized Optional<LockLease> tryAcquire(String key, Duration ttl) {
            if (live.containsKey(key)) {
                return Optional.empty();
            }
            Instant now = Instant.now();
            LockLease lease = new LockLease(key, UUID.randomUUID().toString(), "", now, ttl, now.plus(ttl),
                    nextToken(key));
            live.put(key, lease);
            return Optional.of(lease);
        }

        @Override
        public LockLease acquire(String key, Duration ttl, Duration maxWait) {
            long deadline = System.nanoTime() + maxWait.toNanos();
            while (System.nanoTime() < deadline) {
                Optional<LockLease> lease = tryAcquire(key, ttl);
                if (lease.isPresent()) {
                    return lease.get();
                }
                Await.sleep(Duration.ofMillis(1));
            }
            throw new LockTimeoutException(key, maxWait, "another thread");
        }

        @Override
        public synchronized LockLease extend(LockLease lease, Duration ttl) {
            throw new LockNotHeldException(lease.key(), "extend is not used by the fuzz test");
        }

        @Override
        public synchronized void release(LockLease lease) {
            LockLease current = live.get(lease.key());
            if (current == null || !current.holder().equals(lease.holder())) {
                throw new LockNotHeldException(lease.key(), "not the live lease");
            }
            live.remove(lease.key());
        }

        @Override
        public synchronized Optional<LockLease> current(String key) {
            return Optional.ofNullable(live.get(key));
        }

        @Override
        public synchronized List<LockLease> list() {
            return live.values().stream().sorted(java.util.Comparator.comparing(LockLease::key)).toList();
        }

        @Override
        public Page<LockLease> list(PageRequest request) {
            return new Page<>(list(), Optional.empty()); // one page: the fuzz test never lists
        }

        @Override
        public synchronized Optional<LockLease> forceRelease(String key) {
            return Optional.ofNullable(live.remove(key));
        }
    }

    /** Exclusive, but every grant carries token 1. */
    private static final class ConstantTokenLocks extends SimpleLocks {
        @Override
        long nextToken(String key) {
            return 1;
        }
    }

    @Test
    void aCorrectLockServiceLosesNoUpdateAndItsTokensIncrease() throws Exception {
        LockFuzzTester.Result result = new LockFuzzTester(new SimpleLocks(), List.of("a", "b", "c"), 6, 30)
                .run(Duration.ofSeconds(60));

        assertThat(result.counters()).isEqualTo(result.expectedCounters());
        assertThat(result.expectedCounters().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(180);
        assertThat(result.tokensInGrantOrder()).allSatisfy((key, tokens) -> assertThat(tokens)
                .hasSize(result.expectedCounters().get(key)).isSorted().doesNotHaveDuplicates());
    }

    @Test
    void tokensThatDoNotIncreaseAreVisible() throws Exception {
        LockFuzzTester.Result result = new LockFuzzTester(new ConstantTokenLocks(), List.of("a"), 4, 10)
                .run(Duration.ofSeconds(60));

        assertThat(result.counters()).isEqualTo(result.expectedCounters());
        assertThat(result.tokensInGrantOrder().get("a")).hasSize(40).containsOnly(1L);
    }
}
