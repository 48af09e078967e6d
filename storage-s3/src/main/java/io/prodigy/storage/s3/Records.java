package io.prodigy.storage.s3;

import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.support.lease.FenceCheck;
import io.prodigy.storage.support.revision.Revisions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Revision-checked records (sessions, checkpoints, workflow definitions) over {@link Generations}: each write reads
 * the newest generation, checks the fence ({@link FenceCheck}, right before the create-only write: not atomic with it,
 * docs/s3.md "Fencing"), and lets {@link Revisions} decide between a new version, a retry of a write already stored
 * (same write id: nothing is written) and a conflict. A record's generation is not its revision: a record deleted and
 * created again starts at revision 1 in a later generation.
 */
final class Records<T> {

    private final Backend b;
    private final FenceCheck fences;
    private final Class<T> type;
    private final BiConsumer<T, T> reindex;

    /**
     * @param reindex puts the order-index entries of a record's new state (second argument) given the state it
     *                replaces (first, {@code null} if none), right before the write ({@link OrderIndex#prepare});
     *                {@code null} for records no listing orders by time
     */
    Records(Backend backend, FenceCheck fences, Class<T> type, BiConsumer<T, T> reindex) {
        this.b = backend;
        this.fences = fences;
        this.type = type;
        this.reindex = reindex;
    }

    /**
     * Saves a record: {@code resolve} (one of {@link Revisions}' rules) decides on the stored record ({@code null} if
     * there is none).
     *
     * @param key names the record in a fencing error ({@code "session 's-1'"})
     */
    T save(String base, String key, Fence fence, Function<T, Revisions.Saved<T>> resolve) {
        b.ensureOpen();
        return b.gens.update(base, current -> {
            fences.check(fence, key);
            Revisions.Saved<T> saved = resolve.apply(current.as(type));
            return saved.alreadyStored() ? Generations.done(saved.record())
                    : indexed(current, Generations.write(saved.record(), saved.record()));
        });
    }

    /** Applies {@code change} to the stored record ({@code null} if there is none) whatever its revision. */
    <R> R modify(String base, String key, Fence fence, Function<T, Generations.Step<R>> change) {
        return modify(base, key, fence, null, change);
    }

    /** As {@link #modify(String, String, Fence, Function)}, deciding first on {@code known}, a record just listed. */
    <R> R modify(String base, String key, Fence fence, Stored<T> known, Function<T, Generations.Step<R>> change) {
        b.ensureOpen();
        Function<Generations.Current, Generations.Step<R>> decide = current -> {
            fences.check(fence, key);
            return indexed(current, change.apply(current.as(type)));
        };
        return known == null ? b.gens.update(base, decide)
                : b.gens.update(base, known.current(), known.readAt(), decide);
    }

    /** {@code step}, putting the order-index entries of the record's new state before it is written. */
    <R> Generations.Step<R> indexed(Generations.Current current, Generations.Step<R> step) {
        if (reindex != null && step instanceof Generations.Write<R> w && type.isInstance(w.record())) {
            T before = current.as(type);
            T after = type.cast(w.record());
            return w.before(() -> reindex.accept(before, after));
        }
        return step;
    }

    /** Writes a tombstone if the record exists. */
    boolean delete(String base, String key, Fence fence) {
        b.ensureOpen();
        return b.gens.update(base, current -> {
            fences.check(fence, key);
            return current.live() ? Generations.tombstone(true) : Generations.done(false);
        });
    }

    /** The stored record, or {@code null}: one LIST and one GET (none if the newest generation is cached). */
    T load(String base) {
        b.ensureOpen();
        return b.gens.read(base).as(type);
    }

    /**
     * The stored record at {@code base} with its state, or {@code null}: one LIST and one GET (none if cached). As a
     * listing reads it, it collects what the grace period allows (superseded generations, a whole record whose
     * tombstone is that old: one DeleteObjects when there is any), so deleted records do not outlive their listing.
     */
    Stored<T> stored(String base) {
        b.ensureOpen();
        long readAt = System.nanoTime();
        Generations.Current c = b.gens.read(base);
        b.gens.compact(c);
        if (!c.live()) {
            return null;
        }
        return new Stored<>(base, c.as(type), c.gens().get(c.gens().size() - 1).object().size(), c, readAt);
    }

    /**
     * Every live record under {@code prefix}, where {@code baseOf} maps a key to its record base (or {@code null}).
     * One LIST per 1,000 objects and one GET per record not cached. Garbage the grace period allows is collected on
     * the way (one DeleteObjects request when there is any).
     */
    List<Stored<T>> all(String prefix, Function<String, String> baseOf) {
        b.ensureOpen();
        long readAt = System.nanoTime();
        ObjectStore.Page page = b.store.listAll(prefix);
        Map<String, Generations.Current> currents = b.gens.currents(page, baseOf);
        List<Stored<T>> out = new ArrayList<>();
        List<String> garbage = new ArrayList<>();
        for (Generations.Current c : currents.values()) {
            garbage.addAll(b.gens.collectable(c));
            if (c.live()) {
                long size = c.gens().get(c.gens().size() - 1).object().size();
                out.add(new Stored<>(c.base(), c.as(type), size, c, readAt));
            }
        }
        if (!garbage.isEmpty()) {
            b.store.deleteAll(garbage);
        }
        return out;
    }

    /**
     * A live record with its base, the size of its newest generation object, and the state it was read from (with
     * the {@link System#nanoTime()} of the listing), so a write can start from it without reading again.
     */
    record Stored<T>(String base, T value, long sizeBytes, Generations.Current current, long readAt) {}
}
