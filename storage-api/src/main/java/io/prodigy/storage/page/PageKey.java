package io.prodigy.storage.page;

import io.prodigy.storage.support.Orders;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The sort key of one item of a listing, which is also the position a cursor names: the items after a cursor are
 * exactly those whose key is greater.
 *
 * <p>Keys compare by {@code at} (absent sorts first; a listing uses it for all its items or for none), then by
 * {@code parts} in turn, each compared by UTF-8 bytes ({@link Orders#UTF8}), a key that is a prefix of another sorting
 * first. The last parts make the key unique within the listing (the id, and what scopes the id), so a page boundary
 * between items with equal times neither skips nor repeats one.
 *
 * @param at    the item's time, or {@code null} in listings ordered by name only
 * @param parts the item's names, most significant first; at least one
 */
public record PageKey(Instant at, List<String> parts) implements Comparable<PageKey> {

    public PageKey {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a page key needs at least one part");
        }
    }

    /** A key of a listing ordered by time, then by the given names. */
    public static PageKey of(Instant at, String... parts) {
        return new PageKey(Objects.requireNonNull(at, "at"), List.of(parts));
    }

    /** A key of a listing ordered by names only. */
    public static PageKey ofNames(String... parts) {
        return new PageKey(null, List.of(parts));
    }

    @Override
    public int compareTo(PageKey other) {
        if (at != other.at) {
            if (at == null || other.at == null) {
                return at == null ? -1 : 1;
            }
            int c = at.compareTo(other.at);
            if (c != 0) {
                return c;
            }
        }
        int n = Math.min(parts.size(), other.parts.size());
        for (int i = 0; i < n; i++) {
            int c = Orders.UTF8.compare(parts.get(i), other.parts.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(parts.size(), other.parts.size());
    }
}
