package io.prodigy.storage.bench.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    @Test
    void bucketsAreMonotonicAndTheirMiddlesFallInsideThem() {
        int last = -1;
        for (long v = 0; v < 5_000_000; v += 1 + v / 50) {
            int b = LatencyRecorder.bucket(v);
            assertThat(b).isGreaterThanOrEqualTo(last);
            last = b;
            assertThat(LatencyRecorder.bucket(LatencyRecorder.bucketMiddle(b))).isEqualTo(b);
            assertThat((double) LatencyRecorder.bucketMiddle(b)).isCloseTo(v, within(Math.max(1.0, v * 0.032)));
        }
        assertThat(LatencyRecorder.bucket(Long.MAX_VALUE)).isLessThan(64 * 32);
    }

    @Test
    void percentilesOfAUniformSpreadAreWithinThreePercent() {
        LatencyRecorder r = new LatencyRecorder();
        for (int i = 1; i <= 100_000; i++) {
            r.record(i * 10L); // 10 ns .. 1 ms
        }
        assertThat(r.count()).isEqualTo(100_000);
        assertThat((double) r.percentileNanos(50)).isCloseTo(500_000, within(500_000 * 0.032));
        assertThat((double) r.percentileNanos(99)).isCloseTo(990_000, within(990_000 * 0.032));
        assertThat(r.percentileNanos(100)).isLessThanOrEqualTo(1_000_000);
        assertThat(r.meanNanos()).isCloseTo(500_005, within(1.0));
        r.reset();
        assertThat(r.count()).isZero();
        assertThat(r.percentileNanos(50)).isZero();
    }

    @Test
    void aSingleSlowCallShowsInTheTailOnly() {
        LatencyRecorder r = new LatencyRecorder();
        for (int i = 0; i < 999; i++) {
            r.record(1_000);
        }
        r.record(50_000_000);
        assertThat((double) r.percentileNanos(50)).isCloseTo(1_000, within(32.0));
        assertThat((double) r.percentileNanos(99)).isCloseTo(1_000, within(32.0));
        assertThat((double) r.percentileNanos(99.95)).isCloseTo(50_000_000, within(50_000_000 * 0.032));
    }
}
