package io.prodigy.storage.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class EstimateTest {

    @Test
    void samplesGiveTheMeanAndJmhsConfidenceInterval() {
        Estimate e = Estimate.ofSamples(List.of(10.0, 12.0, 14.0));
        assertThat(e.value()).isEqualTo(12.0);
        // sd = 2, n = 3, t(0.9995, 2) = 31.599 -> 31.599 * 2 / sqrt(3)
        assertThat(e.error()).isCloseTo(31.599 * 2 / Math.sqrt(3), within(1e-9));
        assertThat(Estimate.ofSamples(List.of(5.0)).hasError()).isFalse();
        assertThat(Estimate.ofSamples(List.of()).format()).isEqualTo("n/a");
    }

    @Test
    void ratiosPropagateRelativeErrors() {
        Estimate r = new Estimate(80, 8).divide(new Estimate(100, 0));
        assertThat(r.value()).isEqualTo(0.8);
        assertThat(r.error()).isCloseTo(0.08, within(1e-12));
        assertThat(r.formatRatio()).isEqualTo("0.80 ± 0.08×");
        assertThat(new Estimate(1.031, 0.02).formatPercentChange()).isEqualTo("+3.1 ± 2.0%");
        assertThat(new Estimate(2, Double.NaN).reciprocal().format()).isEqualTo("0.500");
    }

    @Test
    void numbersKeepThreeSignificantDigits() {
        assertThat(Estimate.number(123456.7)).isEqualTo("123,457");
        assertThat(Estimate.number(123.4)).isEqualTo("123");
        assertThat(Estimate.number(12.34)).isEqualTo("12.3");
        assertThat(Estimate.number(1.234)).isEqualTo("1.23");
        assertThat(Estimate.number(0.01234)).isEqualTo("0.0123");
    }
}
