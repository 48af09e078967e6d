package io.prodigy.storage.migrate.copy;

import java.util.Comparator;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * Walks two listings sorted in the same order side by side, as a merge does: each item is either in both (equal
 * keys), only in the source, or only in the target. Holds one item of each side at a time, so two paged listings of
 * any size are compared in flat memory.
 */
final class SortedMerge {

    /** What to do with the items of each kind. */
    interface Sides<T> {
        void both(T source, T target);

        void sourceOnly(T source);

        void targetOnly(T target);
    }

    private SortedMerge() {}

    static <T> void walk(Stream<T> source, Stream<T> target, Comparator<? super T> order, Sides<T> sides) {
        Iterator<T> s = source.iterator();
        Iterator<T> t = target.iterator();
        T a = s.hasNext() ? s.next() : null;
        T b = t.hasNext() ? t.next() : null;
        while (a != null || b != null) {
            int c = a == null ? 1 : b == null ? -1 : order.compare(a, b);
            if (c == 0) {
                sides.both(a, b);
            } else if (c < 0) {
                sides.sourceOnly(a);
            } else {
                sides.targetOnly(b);
            }
            if (c <= 0) {
                a = s.hasNext() ? s.next() : null;
            }
            if (c >= 0) {
                b = t.hasNext() ? t.next() : null;
            }
        }
    }
}
