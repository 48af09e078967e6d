package io.prodigy.storage.s3;

import io.prodigy.storage.page.PageKey;
import io.prodigy.storage.support.InstantRange;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns names and listing positions into key segments whose S3 order (UTF-8 bytes) is the SPI's order
 * ({@link io.prodigy.storage.support.Orders}), so a listing can start at a cursor with {@code start-after} and read
 * only its page.
 *
 * <p><b>Names.</b> A raw id followed by {@code /} does not sort like the id: {@code a-b/} sorts before {@code a/}
 * because {@code -} (0x2D) is below {@code /} (0x2F), while the id {@code a} sorts before {@code a-b}. So every byte
 * up to {@code 0} (0x30) is escaped as {@code 0} and two lowercase hex digits ({@code -} becomes {@code 02d},
 * {@code 0} becomes {@code 030}); every other character stays as it is. An escape sorts below every literal (whose
 * bytes are all above {@code 0}), escapes sort among themselves by the byte they stand for, and {@code /}, the
 * separator, sorts below both: so {@code name(a) + "/"} compares with {@code name(b) + "/"} exactly as {@code a}
 * with {@code b} in UTF-8 byte order, and a name's key segment never contains {@code /}.
 *
 * <p><b>Outside the BMP.</b> AWS lists keys in UTF-8 byte order, but some S3-compatible servers (s3proxy) sort them as
 * Java strings, by UTF-16 units, which puts U+10000 and up before U+E000..U+FFFF. So a code point from U+FFFD up is
 * written as U+FFFD and two characters U+4E00 + 10 bits each (of {@code cp - 0xFFFD}): a key then holds no surrogate
 * pair (and no U+FFFE or U+FFFF, which a LIST response in XML cannot carry), and both orders agree. Such a character
 * takes 9 UTF-8 bytes instead of 4 (S3 keys have at most 1,024 bytes; docs/s3.md gives the limit).
 *
 * <p><b>Positions.</b> A {@link PageKey} becomes its time (if any) as 21 digits (whole seconds since
 * {@link InstantRange#MIN}, 12 digits, then the nanosecond, 9), then each part as a name, joined by {@code /}; key
 * order is {@link PageKey#compareTo} order, a key that is a prefix of another sorting first.
 */
final class KeyCodec {

    private static final char ESCAPE = '0';
    /**
     * Starts a code point from U+FFFD up (outside the BMP, or U+FFFD..U+FFFF), written as three BMP characters. The
     * highest character XML 1.0 can carry in a LIST response (U+FFFE and U+FFFF cannot appear there at all).
     */
    private static final char HIGH = '\uFFFD';
    /** The two characters after {@link #HIGH} carry 10 bits each, as {@code BASE + bits} (CJK, 3 UTF-8 bytes). */
    private static final char BASE = '\u4E00';
    private static final String HEX = "0123456789abcdef";
    private static final long MIN_SECOND = InstantRange.MIN.getEpochSecond();
    private static final int SECOND_DIGITS = 12;
    private static final int NANO_DIGITS = 9;

    private KeyCodec() {}

    /** The key segment of a validated id (no {@code /}): order-preserving, reversible by {@link #decodeName}. */
    static String name(String id) {
        boolean plain = true;
        for (int i = 0; i < id.length() && plain; i++) {
            char c = id.charAt(i);
            plain = c > ESCAPE && !Character.isSurrogate(c) && c < HIGH;
        }
        if (plain) {
            return id;
        }
        StringBuilder out = new StringBuilder(id.length() + 8);
        int i = 0;
        while (i < id.length()) {
            int cp = id.codePointAt(i);
            if (cp <= ESCAPE) {
                out.append(ESCAPE).append(HEX.charAt(cp >> 4)).append(HEX.charAt(cp & 0xf));
            } else if (cp >= HIGH) {
                int v = cp - HIGH;
                out.append(HIGH).append((char) (BASE + (v >> 10))).append((char) (BASE + (v & 0x3ff)));
            } else {
                out.append((char) cp);
            }
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    /** The id a {@link #name} segment stands for. */
    static String decodeName(String segment) {
        if (segment.indexOf(ESCAPE) < 0 && segment.indexOf(HIGH) < 0) {
            return segment;
        }
        StringBuilder out = new StringBuilder(segment.length());
        int i = 0;
        while (i < segment.length()) {
            char c = segment.charAt(i);
            if (c == ESCAPE || c == HIGH) {
                if (i + 3 > segment.length()) {
                    throw new IllegalArgumentException("not an encoded name: " + segment);
                }
                if (c == ESCAPE) {
                    out.append((char) Integer.parseInt(segment.substring(i + 1, i + 3), 16));
                } else {
                    out.appendCodePoint(HIGH + ((segment.charAt(i + 1) - BASE) << 10)
                            + (segment.charAt(i + 2) - BASE));
                }
                i += 3;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The key of a listing position: time (if any) and parts, each order-preserving, joined by {@code /}. */
    static String position(PageKey key) {
        StringBuilder out = new StringBuilder(64);
        if (key.at() != null) {
            out.append(time(key.at())).append('/');
        }
        for (int i = 0; i < key.parts().size(); i++) {
            if (i > 0) {
                out.append('/');
            }
            out.append(name(key.parts().get(i)));
        }
        return out.toString();
    }

    /**
     * The position {@link #position} encoded, read back.
     *
     * @param timed whether the listing's keys carry a time
     */
    static PageKey decodePosition(String encoded, boolean timed) {
        String[] segments = encoded.split("/", -1);
        int first = timed ? 1 : 0;
        if (segments.length <= first) {
            throw new IllegalArgumentException("not an encoded position: " + encoded);
        }
        List<String> names = new ArrayList<>(segments.length - first);
        for (int i = first; i < segments.length; i++) {
            names.add(decodeName(segments[i]));
        }
        return new PageKey(timed ? decodeTime(segments[0]) : null, names);
    }

    /** An instant as 21 fixed-width digits that sort like the instants. */
    static String time(Instant at) {
        String seconds = Long.toString(at.getEpochSecond() - MIN_SECOND);
        String nanos = Integer.toString(at.getNano());
        return "0".repeat(Math.max(0, SECOND_DIGITS - seconds.length())) + seconds
                + "0".repeat(NANO_DIGITS - nanos.length()) + nanos;
    }

    static Instant decodeTime(String digits) {
        if (digits.length() != SECOND_DIGITS + NANO_DIGITS) {
            throw new IllegalArgumentException("not an encoded time: " + digits);
        }
        return Instant.ofEpochSecond(Long.parseLong(digits.substring(0, SECOND_DIGITS)) + MIN_SECOND,
                Integer.parseInt(digits.substring(SECOND_DIGITS)));
    }

    /**
     * A {@code start-after} key that lies after every key under {@code dir} (which ends with {@code /}) and before
     * every key of a following name: the directory with its {@code /} replaced by the next character, {@code 0}.
     * No encoded name continues with a character between the two.
     */
    static String afterAll(String dir) {
        return dir.substring(0, dir.length() - 1) + ESCAPE;
    }

    /** A {@code start-after} key just before every key under {@code dir}, and after every earlier name. */
    static String beforeAll(String dir) {
        return dir.substring(0, dir.length() - 1);
    }
}
