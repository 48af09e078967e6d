package io.prodigy.storage.page;

import io.prodigy.storage.error.InvalidInputException;

/**
 * Which page of a listing to return: at most {@code limit} items, after the position {@code cursor} names.
 *
 * <p>Validated on construction, so every backend refuses the same requests with the same message: a limit outside
 * 1..{@value #MAX_LIMIT} or an empty cursor is an {@link InvalidInputException}. Whether a non-null cursor belongs to
 * the listing it is passed to is checked by that listing (see {@link Keyset}); a cursor is opaque to callers and only
 * ever comes from {@link Page#next()} of the same listing.
 *
 * @param limit  the most items the page holds, 1..{@value #MAX_LIMIT}
 * @param cursor {@code null} for the first page, else the {@link Page#next()} of the previous page
 */
public record PageRequest(int limit, String cursor) {

    /** The largest page any backend serves: big enough to amortise a round trip, small enough to bound memory. */
    public static final int MAX_LIMIT = 1000;

    /** The page size callers use when they have no reason to choose one. */
    public static final int DEFAULT_LIMIT = 100;

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("Invalid page limit " + limit + ": pass a number from 1 to " + MAX_LIMIT
                    + ".");
        }
        if (cursor != null && cursor.isBlank()) {
            throw new InvalidInputException("The page cursor is empty: pass null for the first page, or the next"
                    + " cursor of the previous page.");
        }
    }

    /** The first page, of at most {@code limit} items. */
    public static PageRequest first(int limit) {
        return new PageRequest(limit, null);
    }

    /** The page of at most {@code limit} items after {@code cursor} ({@code null}: the first page). */
    public static PageRequest after(String cursor, int limit) {
        return new PageRequest(limit, cursor);
    }

    /** The same size, continuing at {@code nextCursor}. */
    public PageRequest withCursor(String nextCursor) {
        return new PageRequest(limit, nextCursor);
    }

    /** Whether this asks for the first page. */
    public boolean isFirst() {
        return cursor == null;
    }

    @Override
    public String toString() {
        return "PageRequest[limit=" + limit + (cursor == null ? ", first" : ", after a cursor") + "]";
    }
}
