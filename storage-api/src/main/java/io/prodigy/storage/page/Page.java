package io.prodigy.storage.page;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One page of a listing, in the listing's stated order.
 *
 * <p>{@code next} is present when an item may follow the last one of this page; pass it to the listing in a
 * {@link PageRequest} to continue. It is empty on the last page. Because a page is cut at the position of its last
 * item (a keyset, not an offset), items inserted or deleted elsewhere during a walk never make a later page repeat or
 * skip an item that was not changed. If the following items were deleted meanwhile, the page after a present
 * {@code next} may be empty.
 *
 * @param items the page's items, at most the request's limit
 * @param next  the cursor of the following page, if any
 */
public record Page<T>(List<T> items, Optional<String> next) {

    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(next, "next");
    }

    /** A page with no items and nothing after it. */
    public static <T> Page<T> empty() {
        return new Page<>(List.of(), Optional.empty());
    }

    /** Whether a following page may hold items. */
    public boolean hasNext() {
        return next.isPresent();
    }

    /** The same page with every item mapped (the cursor stays valid: it names a position, not an item). */
    public <R> Page<R> map(Function<? super T, ? extends R> mapper) {
        return new Page<>(items.stream().<R>map(mapper).toList(), next);
    }
}
