package io.prodigy.storage.support.lease;

import java.util.Comparator;

/**
 * Orders strings by their UTF-8 bytes without encoding them. UTF-8 byte order equals code-point order; Java's
 * {@link String#compareTo} compares UTF-16 units instead, which puts supplementary characters (surrogate pairs,
 * {@code D800-DFFF}) before {@code E000-FFFF}. The fix-up below moves surrogates above that range.
 */
enum Utf8Order implements Comparator<String> {
    INSTANCE;

    @Override
    public int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (x >= Character.MIN_SURROGATE && y >= Character.MIN_SURROGATE) {
                    return codePointRank(x) - codePointRank(y);
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    /** Ranks a unit at or above {@code D800} so surrogates sort after {@code E000-FFFF}. */
    private static int codePointRank(char c) {
        return c >= 0xE000 ? c - 0x800 : c + 0x2000;
    }
}
