package io.prodigy.storage.s3;

import io.prodigy.storage.error.VersionConflictException;
import io.prodigy.storage.lock.Fence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

/**
 * The rules of revision-checked records (sessions, checkpoints, workflow definitions), written once over
 * {@link Generations}: revision 0 creates and needs the record absent (or deleted), revision {@code n} updates only
 * if the stored revision is {@code n}; each write checks the fence first. A record's generation is not its revision:
 * a record deleted and created again starts at revision 1 in a later generation.
 */
final class Records<T> {

    private final Backend b;
    private final S3LeaseStore leases;
    private final String kind;
    private final Class<T> type;
    private final ToLongFunction<T> revisionOf;

    Records(Backend backend, S3LeaseStore leases, String kind, Class<T> type, ToLongFunction<T> revisionOf) {
        this.b = backend;
        this.leases = leases;
        this.kind = kind;
        this.type = type;
        this.revisionOf = revisionOf;
    }

    /**
     * Saves a record presented at revision {@code presented}.
     *
     * @param stored builds the copy to store from the new revision (stamping store-set fields)
     */
    T save(String base, String key, long presented, Fence fence, LongFunction<T> stored) {
        b.ensureOpen();
        return b.gens.update(base, current -> {
            leases.checkFence(key, fence);
            T existing = current.as(type);
            long revision = existing == null ? 0 : revisionOf.applyAsLong(existing);
            if (presented != revision) {
                throw new VersionConflictException(kind, key, presented, revision);
            }
            T next = stored.apply(revision + 1);
            return Generations.write(next, next);
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
            leases.checkFence(key, fence);
            return change.apply(current.as(type));
        };
        return known == null ? b.gens.update(base, decide)
                : b.gens.update(base, known.current(), known.readAt(), decide);
    }

    /** Writes a tombstone if the record exists. */
    boolean delete(String base, String key, Fence fence) {
        b.ensureOpen();
        return b.gens.update(base, current -> {
            leases.checkFence(key, fence);
            return current.live() ? Generations.tombstone(true) : Generations.done(false);
        });
    }

    /** The stored record, or {@code null}: one LIST and one GET (none if the newest generation is cached). */
    T load(String base) {
        b.ensureOpen();
        return b.gens.read(base).as(type);
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
