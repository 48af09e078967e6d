package io.prodigy.storage.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JfrHotMethodsTest {

    @TempDir
    Path dir;

    private static volatile long sink;

    /** Burns CPU in a method with a recognisable name, so the profile has something to find. */
    private static void spinForProfile(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long x = 1;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 10_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        sink = x;
    }

    @Test
    void findsTheMethodThatBurnedTheCpu() throws Exception {
        Path jfr = dir.resolve("spin.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            r.start();
            spinForProfile(400);
            r.stop();
            r.dump(jfr);
        }
        String md = JfrHotMethods.render(jfr, Pattern.compile("spinForProfile"), 5);
        assertThat(md).contains("CPU samples in spin.jfr").contains("| method | on stack (inclusive) |");
        assertThat(md).contains("JfrHotMethodsTest.spinForProfile");
    }
}
