package io.prodigy.storage.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.json.Json;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The local deadline: a value of this process only. */
class LockLeaseTest {

    private static final Instant T = Instant.parse("2026-01-15T10:00:00Z");

    @Test
    void theLocalDeadlineIsNeitherSerializedNorPartOfEquality() throws Exception {
        LockLease lease = new LockLease("k", "h", "me", T, Duration.ofSeconds(30), T.plusSeconds(30), 3, 12345L);

        String json = Json.mapper().writeValueAsString(lease);
        assertThat(json).doesNotContain("deadline").doesNotContain("12345");
        LockLease read = Json.mapper().readValue(json, LockLease.class);
        assertThat(read).isEqualTo(lease).hasSameHashCodeAs(lease);
        assertThat(lease.withLocalDeadline(99)).isEqualTo(lease);
        assertThat(lease.toString()).doesNotContain("12345");
    }

    @Test
    void theOldConstructorMeasuresTheDeadlineFromNow() {
        long before = System.nanoTime();
        LockLease lease = new LockLease("k", "h", "me", T, Duration.ofSeconds(30), T.plusSeconds(30), 3);
        assertThat(lease.localDeadlineNanos() - before).isGreaterThanOrEqualTo(Duration.ofSeconds(30).toNanos());
        assertThat(lease.isLocallyExpired()).isFalse();
        assertThat(lease.localTimeLeft()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30));

        LockLease lapsed = lease.withLocalDeadline(System.nanoTime() - 1);
        assertThat(lapsed.isLocallyExpired()).isTrue();
        assertThat(lapsed.localTimeLeft()).isZero();
    }
}
