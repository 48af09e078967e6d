package io.prodigy.storage.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.id.JobRef;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OrdersTest {

    private static int bytewise(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void supplementaryCharactersSortAfterTheTopOfTheBasicPlaneAsInUtf8() {
        String fullwidthA = "\uFF21";
        String deseret = new String(Character.toChars(0x10400));
        assertThat(fullwidthA.compareTo(deseret)).as("Java's UTF-16 order").isPositive();
        assertThat(Orders.UTF8.compare(fullwidthA, deseret)).isNegative();
        assertThat(Orders.UTF8.compare(deseret, fullwidthA)).isPositive();
    }

    @Test
    void agreesWithUnsignedUtf8BytesOnRandomStrings() {
        Random random = new Random(42);
        int[] pool = {'A', 'a', 'Z', '-', '_', '.', 0x7F, 0xE9, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFF21, 0xFFFD, 0x10000,
                0x10400, 0x1F600, 0x10FFFF};
        for (int round = 0; round < 20_000; round++) {
            String a = randomString(random, pool);
            String b = randomString(random, pool);
            assertThat(Integer.signum(Orders.UTF8.compare(a, b))).as("%s vs %s", a, b)
                    .isEqualTo(Integer.signum(bytewise(a, b)));
        }
    }

    @Test
    void jobsOrderByRepositoryThenJobEachByUtf8() {
        JobRef a = JobRef.of("a", "z");
        JobRef ab = JobRef.of("a-b", "a");
        JobRef wide = JobRef.of("\uFF21", "x");
        JobRef deseret = JobRef.of(new String(Character.toChars(0x10400)), "x");
        List<JobRef> sorted = List.of(deseret, wide, ab, a).stream().sorted().toList();
        assertThat(sorted).containsExactly(a, ab, wide, deseret);
    }

    private static String randomString(Random random, int[] pool) {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            sb.appendCodePoint(pool[random.nextInt(pool.length)]);
        }
        return sb.toString();
    }
}
