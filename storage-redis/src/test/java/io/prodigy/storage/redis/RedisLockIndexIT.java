package io.prodigy.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The index of lock keys ({@code l.held}) lists every key ever granted: a grant adds a key once, release and
 * forceRelease leave it, and {@code list()} keeps only live leases while it pages (docs/redis.md, "Locks and
 * fencing"). A row written by the earlier lock scripts (no {@code v}, not indexed, a set {@code holder} meaning
 * held) keeps its meaning and is indexed by its next grant.
 */
class RedisLockIndexIT {

    private static final Duration TTL = Duration.ofMinutes(1);

    @BeforeAll
    static void server() {
        RedisTestServer.require();
    }

    @Test
    void releasedAndBrokenKeysStayIndexedAndListShowsOnlyLiveLeasesAcrossIndexPages() {
        String prefix = RedisTestServer.newPrefix("LockIndex");
        try (UnifiedStorage s = RedisTestServer.open(RedisTestServer.config(prefix, "server"),
                StorageContext.withoutProject());
                Jedis redis = new Jedis(URI.create(RedisTestServer.url()))) {
            // More keys than one index page (256), nearly all released: list() must walk past them.
            List<LockLease> leases = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                leases.add(s.locks().tryAcquire(String.format("k-%03d", i), TTL).orElseThrow());
            }
            for (int i = 0; i < 300; i++) {
                if (i != 5 && i != 290 && i != 299) {
                    s.locks().release(leases.get(i));
                }
            }
            LockLease regranted = s.locks().tryAcquire("k-007", TTL).orElseThrow();
            s.locks().forceRelease("k-299");

            assertThat(redis.zcard("{" + prefix + "}l.held")).as("every key ever granted, once").isEqualTo(300);
            List<String> listed = new ArrayList<>();
            Page<LockLease> page = s.locks().list(PageRequest.first(1));
            listed.addAll(page.items().stream().map(LockLease::key).toList());
            while (page.next().isPresent()) {
                page = s.locks().list(PageRequest.after(page.next().get(), 1));
                listed.addAll(page.items().stream().map(LockLease::key).toList());
            }
            assertThat(listed).containsExactly("k-005", "k-007", "k-290");
            assertThat(s.locks().list()).extracting(LockLease::fencingToken)
                    .containsExactly(leases.get(5).fencingToken(), regranted.fencingToken(),
                            leases.get(290).fencingToken());
            assertThat(regranted.fencingToken()).isGreaterThan(leases.get(7).fencingToken());
        }
    }

    @Test
    void aRowOfTheEarlierScriptsKeepsItsMeaningAndIsIndexedByItsNextGrant() {
        String prefix = RedisTestServer.newPrefix("LockIndexOld");
        String row = "{" + prefix + "}l/old-key";
        try (UnifiedStorage s = RedisTestServer.open(RedisTestServer.config(prefix, "server"),
                StorageContext.withoutProject());
                Jedis redis = new Jedis(URI.create(RedisTestServer.url()))) {
            // As the earlier scripts left a released key: token kept, holder cleared, removed from the index.
            redis.hset(row, Map.of("tok", "41", "rv", "0", "owner", "old", "acq", "1", "ttl", "1000000",
                    "exp", "1000001"));
            assertThat(s.locks().list()).isEmpty();

            LockLease lease = s.locks().tryAcquire("old-key", TTL).orElseThrow();

            assertThat(lease.fencingToken()).isGreaterThan(41);
            assertThat(redis.zrange("{" + prefix + "}l.held", 0, -1)).containsExactly("old-key");
            assertThat(redis.hget(row, "v")).isEqualTo("2");
            assertThat(s.locks().list()).extracting(LockLease::key).containsExactly("old-key");
            s.locks().release(lease);
            assertThat(s.locks().list()).isEmpty();
            assertThat(redis.zrange("{" + prefix + "}l.held", 0, -1)).containsExactly("old-key");

            // Held by the earlier scripts (a holder, no mark): still held, neither granted again nor released.
            long exp = (System.currentTimeMillis() + 60_000) * 1_000;
            redis.hset("{" + prefix + "}l/old-held", Map.of("tok", "7", "rv", "0", "holder", "h-old",
                    "owner", "old", "acq", "1", "ttl", "60000000", "exp", Long.toString(exp)));
            assertThat(s.locks().tryAcquire("old-held", TTL)).isEmpty();
            assertThat(s.locks().current("old-held")).get().extracting(LockLease::holder).isEqualTo("h-old");
        }
    }
}
