package io.prodigy.storage.page;

import io.prodigy.storage.error.InvalidInputException;

/**
 * What page of a listing to read: at most {@code limit} items after the position {@code cursor} names.
 *
 * <p>Listings are keyset-paged: a cursor names the last item of the previous page by its sort key, not by an offset,
 * so records inserted or deleted between two calls never make a walk skip or repeat an item that was present
 * throughout. A cursor is opaque: only pass one that a {@link Page#next()} of the same listing returned; anything
 * else is rejected with {@link InvalidInputException}.
 *
 * @param limit  how many items at most, 1 to {@link #MAX_LIMIT}
 * @param cursor {@code null} for the first page, else a {@link Page#next()} of the same listing
 */
public record PageRequest(int limit, String cursor) {

    /** The largest page any listing returns; a backend may not be asked for more in one call. */
    public static final int MAX_LIMIT = 1000;

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("Invalid page size " + limit + ": ask for 1 to " + MAX_LIMIT
                    + " items per page and follow the next cursor for more.");
        }
        if (cursor != null && cursor.isEmpty()) {
            throw new InvalidInputException("Invalid page cursor '': pass null for the first page, or the next"
                    + " cursor of the previous page.");
        }
    }

    /** The first page of {@code limit} items. */
    public static PageRequest first(int limit) {
        return new PageRequest(limit, null);
    }

    /** The page after the one whose {@link Page#next()} is {@code cursor}, with the same size. */
    public PageRequest after(String cursor) {
        return new PageRequest(limit, cursor);
    }
}
