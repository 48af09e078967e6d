package io.prodigy.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.id.Ids;
import io.prodigy.storage.page.PageKey;
import io.prodigy.storage.support.InstantRange;
import io.prodigy.storage.support.Orders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The key encodings sort in S3 (UTF-8 byte order of the whole key) exactly as the SPI's orders, and read back. */
class KeyCodecTest {

    /** Characters around every boundary the encoding cares about: below and at '/', '0', and outside the BMP. */
    private static final String[] ALPHABET = {" ", "!", "-", ".", "+", "0", "1", "9", ":", "@", "A", "_", "a", "z",
        "~", "é", "\uFF21", "\uD801\uDC00", "\uD83D\uDE00", "00", "02d",
        "\uFFFD", "\uFFFF", "\uE000", "\u4E00", "\uDBFF\uDFFF"};

    @Test
    void namesFollowedBySlashSortAsTheNames() {
        Random random = new Random(13);
        List<String> ids = new ArrayList<>(List.of("a", "a-b", "a b", "a0", "a/".substring(0, 1), "ab", "a.b"));
        for (int i = 0; i < 3000; i++) {
            StringBuilder id = new StringBuilder();
            int n = 1 + random.nextInt(5);
            for (int j = 0; j < n; j++) {
                id.append(ALPHABET[random.nextInt(ALPHABET.length)]);
            }
            if (Ids.problem(id.toString()) == null) {
                ids.add(id.toString());
            }
        }
        for (int i = 0; i < ids.size() - 1; i++) {
            String a = ids.get(i);
            String b = ids.get(i + 1);
            String ka = "sessions/" + KeyCodec.name(a) + "/g1";
            String kb = "sessions/" + KeyCodec.name(b) + "/g1";
            assertThat(Integer.signum(Orders.UTF8.compare(ka, kb)))
                    .as("%s vs %s", a, b).isEqualTo(Integer.signum(Orders.UTF8.compare(a, b)));
            // Servers that sort keys as Java strings (UTF-16 units, s3proxy) give the same order.
            assertThat(Integer.signum(ka.compareTo(kb))).as("UTF-16 order of %s vs %s", a, b)
                    .isEqualTo(Integer.signum(Orders.UTF8.compare(a, b)));
            assertThat(KeyCodec.name(a)).doesNotContain("/");
            assertThat(KeyCodec.decodeName(KeyCodec.name(a))).isEqualTo(a);
        }
        assertThat(KeyCodec.name("job-1")).isEqualTo("job02d1");
        assertThat(KeyCodec.name("plain_id")).isEqualTo("plain_id");
    }

    @Test
    void positionsSortAsPageKeysAndReadBack() {
        Random random = new Random(7);
        Instant[] times = {InstantRange.MIN, Instant.EPOCH.minusNanos(1000), Instant.EPOCH,
            Instant.parse("2026-12-03T10:00:00.000001Z"), Instant.parse("2026-12-03T10:00:00.1Z"), InstantRange.MAX};
        String[] names = {"a", "a-b", "a0", "b", "é", "\uD83D\uDE00", "job", "workflow"};
        List<PageKey> keys = new ArrayList<>();
        // Positions of one index have the same number of parts, or (all checkpoints) differ before the shorter ends.
        for (int i = 0; i < 2000; i++) {
            int parts = 2;
            String[] p = new String[parts];
            for (int j = 0; j < parts; j++) {
                p[j] = names[random.nextInt(names.length)];
            }
            keys.add(PageKey.of(times[random.nextInt(times.length)], p));
            keys.add(PageKey.of(times[random.nextInt(times.length)], p[1], p[0]));
            Instant t = times[random.nextInt(times.length)];
            keys.add(random.nextBoolean() ? PageKey.of(t, p[0], "job", p[1], p[0])
                    : PageKey.of(t, p[0], "workflow", p[1]));
        }
        for (int i = 0; i < keys.size() - 3; i++) {
            PageKey a = keys.get(i);
            PageKey b = keys.get(i + 3); // same shape
            // As an index entry: "<position>/<token>".
            String ea = "index/x/" + KeyCodec.position(a) + "/f00d";
            String eb = "index/x/" + KeyCodec.position(b) + "/beef";
            if (!a.equals(b)) {
                assertThat(Integer.signum(Orders.UTF8.compare(ea, eb))).as("%s vs %s", a, b)
                        .isEqualTo(Integer.signum(a.compareTo(b)));
            }
            assertThat(KeyCodec.decodePosition(KeyCodec.position(a), true)).isEqualTo(a);
        }
    }

    @Test
    void startAfterKeysBoundADirectory() {
        String dir = "events/" + KeyCodec.name("a") + "/";
        String inside = dir + "c000000000000/s1";
        String longerName = "events/" + KeyCodec.name("a-b") + "/x";
        String escapedZero = "events/" + KeyCodec.name("a0") + "/x";
        String before = "events/" + KeyCodec.name(" ") + "/x";
        assertThat(Orders.UTF8.compare(KeyCodec.beforeAll(dir), inside)).isNegative();
        assertThat(Orders.UTF8.compare(KeyCodec.beforeAll(dir), before)).isPositive();
        assertThat(Orders.UTF8.compare(KeyCodec.afterAll(dir), inside)).isPositive();
        assertThat(Orders.UTF8.compare(KeyCodec.afterAll(dir), longerName)).isNegative();
        assertThat(Orders.UTF8.compare(KeyCodec.afterAll(dir), escapedZero)).isNegative();
    }
}
