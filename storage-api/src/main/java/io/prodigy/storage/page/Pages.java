package io.prodigy.storage.page;

import io.prodigy.storage.error.InvalidInputException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Walking a paged listing from its first page to its last. The one place where the old unpaged listings (which are
 * defaults over the paged ones) and every caller that needs a whole listing turn pages.
 */
public final class Pages {

    private Pages() {}

    /**
     * Every item of the listing, fetched lazily one page at a time: a page is requested only when the stream reaches
     * it, so a consumer that stops early never reads the rest.
     *
     * @param pageSize items per request, 1..{@value PageRequest#MAX_LIMIT}
     * @param fetcher  the listing, e.g. {@code page -> storage.sessions().list(filter, page)}
     */
    public static <T> Stream<T> stream(int pageSize, Function<PageRequest, Page<T>> fetcher) {
        return stream(PageRequest.first(pageSize), fetcher);
    }

    /**
     * The items of the listing from {@code first} on (its cursor, if any, is where the walk starts; its limit is the
     * size of every page), fetched lazily one page at a time.
     */
    public static <T> Stream<T> stream(PageRequest first, Function<PageRequest, Page<T>> fetcher) {
        java.util.Objects.requireNonNull(first, "first");
        Iterator<T> items = new Iterator<>() {
            private PageRequest request = first;
            private Iterator<T> current = List.<T>of().iterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && request != null) {
                    Page<T> page = fetcher.apply(request);
                    current = page.items().iterator();
                    request = page.next().map(request::withCursor).orElse(null);
                }
                return current.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(items,
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** {@link #stream} with pages of {@link PageRequest#DEFAULT_LIMIT}. */
    public static <T> Stream<T> stream(Function<PageRequest, Page<T>> fetcher) {
        return stream(PageRequest.DEFAULT_LIMIT, fetcher);
    }

    /**
     * The first {@code max} items of the listing ({@code 0}: all of them), walking pages of at most
     * {@link PageRequest#MAX_LIMIT} and asking for no more than still needed.
     *
     * @throws InvalidInputException if {@code max} is negative
     */
    public static <T> List<T> all(int max, Function<PageRequest, Page<T>> fetcher) {
        if (max < 0) {
            throw new InvalidInputException("Invalid limit " + max + ": pass 0 for all, or a positive number.");
        }
        List<T> out = new ArrayList<>();
        PageRequest request = PageRequest.first(size(max, 0));
        while (request != null) {
            Page<T> page = fetcher.apply(request);
            for (T item : page.items()) {
                if (max > 0 && out.size() >= max) {
                    return out;
                }
                out.add(item);
            }
            if (max > 0 && out.size() >= max) {
                return out;
            }
            String next = page.next().orElse(null);
            request = next == null ? null : PageRequest.after(next, size(max, out.size()));
        }
        return out;
    }

    private static int size(int max, int have) {
        return max == 0 ? PageRequest.MAX_LIMIT : Math.min(PageRequest.MAX_LIMIT, max - have);
    }
}
