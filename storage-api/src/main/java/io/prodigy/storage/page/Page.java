package io.prodigy.storage.page;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a listing, in the listing's stated order.
 *
 * @param items the items of this page, at most the requested limit (possibly fewer even when more follow)
 * @param next  the cursor of the following page, or empty on the last page
 */
public record Page<T>(List<T> items, Optional<String> next) {

    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(next, "next");
    }

    /** Whether another page may follow. */
    public boolean hasNext() {
        return next.isPresent();
    }
}
