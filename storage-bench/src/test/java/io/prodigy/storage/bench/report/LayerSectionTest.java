package io.prodigy.storage.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LayerSectionTest {

    @Test
    void aCallThatWaitsForTheDiskIsJudgedOnItsWallTime() {
        // an append: 250 µs, of which 50 µs on the CPU; the layers add 0.5 µs of CPU
        LayerSection.Interleaved append = new LayerSection.Interleaved(21, 250_000, 0.08, 50_000, 500);
        assertThat(append.computes()).isFalse();
        assertThat(append.basis()).isEqualTo("wall");
        assertThat(append.overhead()).isCloseTo(0.002, within(1e-9));
    }

    @Test
    void aCallThatComputesIsJudgedOnItsCpuTimeWhateverTheLoadDidToItsWallTime() {
        // a load: 14 µs on the CPU, stretched to 20 µs by a loaded machine; the layers add 0.7 µs of CPU
        LayerSection.Interleaved load = new LayerSection.Interleaved(21, 20_000, -0.02, 14_000, 700);
        assertThat(load.computes()).isTrue();
        assertThat(load.basis()).isEqualTo("CPU");
        assertThat(load.overhead()).isCloseTo(0.05, within(1e-9));
    }
}
