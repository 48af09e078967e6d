package io.prodigy.storage.id;

import io.prodigy.storage.error.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * The one place where identifiers are validated. Every id and repository name that may end up in a file path, an
 * object key or a Redis key passes through {@link #check(String, String)} in the constructor of the record that
 * carries it, so no backend ever sees an unsafe id.
 *
 * <p>Rejected: {@code null}, empty, longer than {@value #MAX_BYTES} UTF-8 bytes, containing {@code /}, {@code \},
 * {@code ..}, NUL or any other control character, one of {@code { } * ? [ ]} (special in Redis keys and patterns), starting with {@code .} or {@code ~}, white space anywhere, or a
 * symbol, emoji, invisible formatting character (such as a zero-width joiner or a bidirectional override),
 * private-use or unassigned code point: an id must read the same wherever it is printed and be typed back as seen.
 * Letters of any script, digits and punctuation such as {@code - _ : @ + =} are fine.
 */
public final class Ids {

    /** Longest id accepted, in UTF-8 bytes; leaves room for prefixes and suffixes within a 255-byte file name. */
    public static final int MAX_BYTES = 160;

    /** Characters that are special in Redis keys (hash tags) and key patterns, refused so no backend must escape. */
    static final String RESERVED = "{}*?[]";

    /**
     * The one order of ids in every listing: by their UTF-8 bytes, unsigned (what PostgreSQL's {@code COLLATE "C"},
     * Redis sorted sets and S3 listings do). For the ids this class accepts it equals code-point order, which
     * differs from {@link String#compareTo} (UTF-16 units) only above U+FFFF.
     */
    public static final Comparator<String> BYTE_ORDER = Ids::compareBytes;

    /** What the error message says is allowed. */
    static final String ALLOWED = "Use letters, digits, '-', '_', '.', ':' or '@' (at most " + MAX_BYTES + " bytes;"
            + " no spaces, emoji or other symbols, control characters, '/' or '\\', and no leading '.' or '~').";

    private Ids() {}

    /**
     * Returns {@code value} if it is a safe identifier.
     *
     * @param what what the id names, used in the error message (for example {@code "session id"})
     * @throws InvalidInputException naming {@code what}, the rejected value and the rule it broke
     */
    public static String check(String what, String value) {
        String problem = problem(value);
        if (problem != null) {
            throw new InvalidInputException("Invalid " + what + " " + quote(value) + ": " + problem
                    + ". " + ALLOWED);
        }
        return value;
    }

    /** Returns {@code null} if the id is acceptable, otherwise why it is not. */
    public static String problem(String value) {
        if (value != null && isPlain(value)) {
            return null; // the common case, checked without allocating (ids are checked on every append)
        }
        if (value == null) {
            return "it is missing";
        }
        if (value.isEmpty()) {
            return "it is empty";
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "it is longer than " + MAX_BYTES + " bytes";
        }
        if (!value.strip().equals(value)) {
            return "it has leading or trailing white space";
        }
        if (value.indexOf('/') >= 0 || value.indexOf('\\') >= 0) {
            return "it contains a path separator";
        }
        if (value.contains("..")) {
            return "it contains '..'";
        }
        if (value.startsWith(".") || value.startsWith("~")) {
            return "it starts with '" + value.charAt(0) + "'";
        }
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (Character.isISOControl(cp) || cp == '\u2028' || cp == '\u2029') {
                return "it contains a control character at position " + i;
            }
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                return "it contains white space at position " + i;
            }
            if (RESERVED.indexOf(cp) >= 0) {
                return "it contains '" + (char) cp + "' at position " + i + " (reserved: Redis keys and patterns"
                        + " give '{', '}', '*', '?', '[' and ']' a meaning)";
            }
            switch (Character.getType(cp)) {
                case Character.OTHER_SYMBOL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                        Character.UNASSIGNED -> {
                    return "it contains " + String.format("U+%04X", cp) + " (an emoji, symbol or invisible"
                            + " character) at position " + i;
                }
                default -> { }
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    /**
     * Whether {@code value} passes every rule below for certain: non-empty, at most {@link #MAX_BYTES} characters all
     * ASCII letters, digits, '-', '_', ':', '@' or '.', not starting with '.' and without "..". Other ids take the full
     * check, which gives the same answer for these.
     */
    private static boolean isPlain(String value) {
        int n = value.length();
        if (n == 0 || n > MAX_BYTES || value.charAt(0) == '.') {
            return false;
        }
        char prev = 0;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == ':' || c == '@' || c == '.' && prev != '.';
            if (!ok) {
                return false;
            }
            prev = c;
        }
        return true;
    }

    private static int compareBytes(String a, String b) {
        // Code-point order equals unsigned UTF-8 byte order; it differs from UTF-16 order only for surrogates.
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static String quote(String value) {
        if (value == null) {
            return "(null)";
        }
        StringBuilder sb = new StringBuilder("'");
        int limit = Math.min(value.length(), 80);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (value.length() > limit) {
            sb.append("...");
        }
        return sb.append('\'').toString();
    }
}
