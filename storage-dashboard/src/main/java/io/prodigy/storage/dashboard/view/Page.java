package io.prodigy.storage.dashboard.view;

import java.util.List;
import java.util.Objects;

/**
 * One page of a listing, in the listing's key order.
 *
 * @param items     the items of this page (at most {@code limit})
 * @param limit     the page size that was asked for
 * @param nextAfter the cursor to pass as {@code after} for the next page, or {@code null} on the last page
 */
public record Page<T>(List<T> items, int limit, String nextAfter) {

    public Page {
        items = List.copyOf(items);
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
    }

    public static <T> Page<T> of(List<T> items, int limit, String nextAfter) {
        return new Page<>(items, limit, nextAfter);
    }

    /** Whether a next page may exist. */
    public boolean hasNext() {
        return nextAfter != null;
    }

    @Override
    public String toString() {
        return "Page[" + items.size() + " items, limit " + limit + ", next after " + Objects.toString(nextAfter, "-")
                + "]";
    }
}
