package io.prodigy.storage.page;

import io.prodigy.storage.error.InvalidInputException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The order of one listing and its cursors: how an item's {@link PageKey} is taken, how items compare, and how a
 * page is cut. Every listing's keyset is declared once, in {@link io.prodigy.storage.support.Orders}; backends that
 * sort in a database ({@code ORDER BY started_at, id COLLATE "C"}) still use it to read the position of a request
 * ({@link #position}) and to make the next cursor ({@link #cursor}), so cursors mean the same on every backend.
 *
 * @param <T> the items the key is taken from
 */
public final class Keyset<T> {

    private final String listing;
    private final String binding;
    private final Function<? super T, PageKey> key;
    private final Comparator<T> order;

    private Keyset(String listing, String binding, Function<? super T, PageKey> key) {
        this.listing = listing;
        this.binding = binding;
        this.key = key;
        this.order = Comparator.comparing(key::apply);
    }

    /**
     * A listing ordered by {@code key}.
     *
     * @param listing what messages call the listing ("session"); also what a cursor is bound to
     */
    public static <T> Keyset<T> of(String listing, Function<? super T, PageKey> key) {
        return new Keyset<>(listing, listing, key);
    }

    /**
     * The same listing restricted to one scope (the executions of one workflow, the items of one job's queue): its
     * cursors are refused by the listing of any other scope.
     */
    public Keyset<T> in(String... scope) {
        return new Keyset<>(listing, binding + '\u0000' + String.join("\u0000", scope), key);
    }

    /**
     * The same listing and cursors, taking the key from another representation of its items (a backend's index row,
     * a summary); {@code otherKey} must yield the key the listed item would.
     */
    public <U> Keyset<U> by(Function<? super U, PageKey> otherKey) {
        return new Keyset<>(listing, binding, otherKey);
    }

    /** What messages call the listing. */
    public String listing() {
        return listing;
    }

    public PageKey keyOf(T item) {
        return key.apply(item);
    }

    /** The listing's order: ascending keys. */
    public Comparator<T> order() {
        return order;
    }

    /**
     * Where the requested page starts: empty for the first page, else the key of the last item of the page before
     * (the page holds only items with a greater key).
     *
     * @throws InvalidInputException if {@code request} is missing, or its cursor is not one of this listing's
     */
    public Optional<PageKey> position(PageRequest request) {
        if (request == null) {
            throw new InvalidInputException("The page request for the " + listing + " listing is missing: pass"
                    + " PageRequest.first(limit) for the first page.");
        }
        return request.cursor() == null ? Optional.empty()
                : Optional.of(CursorCodec.decode(listing, binding, request.cursor()));
    }

    /** The cursor of the page that follows an item with key {@code last}. */
    public String cursor(PageKey last) {
        return CursorCodec.encode(binding, Objects.requireNonNull(last, "last"));
    }

    /** Whether {@code item} lies after {@code position} (every item does when the position is empty). */
    public boolean isAfter(T item, Optional<PageKey> position) {
        return position.isEmpty() || key.apply(item).compareTo(position.get()) > 0;
    }

    /** The requested page of {@code matching} (any order, already filtered). */
    public Page<T> page(Collection<? extends T> matching, PageRequest request) {
        return page(matching, request, Optional::of);
    }

    /**
     * The requested page of {@code candidates} (any order, already filtered), each turned into the listed item by
     * {@code resolve}. A candidate that {@code resolve} drops (deleted or changed since it was indexed) is skipped and
     * the page filled from the next ones, so a page is short only at the end of the listing.
     */
    public <C extends T, R> Page<R> page(Collection<C> candidates, PageRequest request,
            Function<? super C, Optional<R>> resolve) {
        Optional<PageKey> after = position(request);
        // Each key is taken once (not once per comparison), and only the candidates after the position are sorted.
        List<Map.Entry<PageKey, C>> sorted = new ArrayList<>(candidates.size());
        for (C c : candidates) {
            PageKey k = key.apply(c);
            if (after.isEmpty() || k.compareTo(after.get()) > 0) {
                sorted.add(Map.entry(k, c));
            }
        }
        sorted.sort(Map.Entry.comparingByKey());
        List<R> out = new ArrayList<>(Math.min(request.limit(), sorted.size()));
        PageKey last = null;
        int i = 0;
        while (i < sorted.size() && out.size() < request.limit()) {
            Map.Entry<PageKey, C> candidate = sorted.get(i++);
            Optional<R> item = resolve.apply(candidate.getValue());
            if (item.isPresent()) {
                out.add(item.get());
                last = candidate.getKey();
            }
        }
        boolean more = i < sorted.size() && last != null;
        return new Page<>(out, more ? Optional.of(cursor(last)) : Optional.empty());
    }

    @Override
    public String toString() {
        return "Keyset[" + listing + "]";
    }
}
