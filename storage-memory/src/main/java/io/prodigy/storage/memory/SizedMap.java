package io.prodigy.storage.memory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A map whose every row is charged to the {@link MemoryBudget}. Not thread-safe: the owning store guards it with its
 * own lock.
 *
 * <p>Writes measure first, charge the budget, and change the map only if the charge succeeded, so a write that does
 * not fit leaves the map as it was. {@link #putAll} charges a whole batch at once, so a batch is stored entirely or
 * not at all.
 *
 * @param <K> key
 * @param <V> immutable stored value (values hold only private deep copies, see {@link Copies})
 */
final class SizedMap<K, V> {

    private record Row<V>(V value, long bytes) {}

    private final MemoryBudget budget;
    private final String kind;
    private final Map<K, Row<V>> rows = new HashMap<>();
    private long bytes;

    /** @param kind what a row is, for error messages ({@code session}, {@code DLQ item}) */
    SizedMap(MemoryBudget budget, String kind) {
        this.budget = budget;
        this.kind = kind;
    }

    V get(K key) {
        Row<V> row = rows.get(key);
        return row == null ? null : row.value;
    }

    /** Stored size of the row, or 0 if absent. */
    long bytesOf(K key) {
        Row<V> row = rows.get(key);
        return row == null ? 0 : row.bytes;
    }

    boolean containsKey(K key) {
        return rows.containsKey(key);
    }

    /** Stores {@code value} under {@code key}, replacing any row. */
    void put(K key, V value) {
        putAll(Map.of(key, value));
    }

    /** Stores every entry, or none if the batch does not fit. */
    void putAll(Map<K, V> batch) {
        Map<K, Row<V>> measured = new HashMap<>();
        long delta = 0;
        long newRows = 0;
        for (Map.Entry<K, V> e : batch.entrySet()) {
            long size = RecordSizes.of(e.getValue(), kind + " '" + e.getKey() + "'");
            measured.put(e.getKey(), new Row<>(e.getValue(), size));
            Row<V> old = rows.get(e.getKey());
            delta += size - (old == null ? 0 : old.bytes);
            newRows += old == null ? 1 : 0;
        }
        long growth = delta;
        budget.charge(growth, newRows, () -> batch.size() == 1
                ? kind + " '" + batch.keySet().iterator().next() + "'"
                : batch.size() + " " + kind + "s");
        rows.putAll(measured);
        bytes += growth;
    }

    /** Stores a row loaded from a snapshot: charged even past the limit, because loading must not drop data. */
    void load(K key, V value) {
        long size = RecordSizes.of(value, kind + " '" + key + "'");
        Row<V> old = rows.put(key, new Row<>(value, size));
        long delta = size - (old == null ? 0 : old.bytes);
        budget.chargeUnchecked(delta, old == null ? 1 : 0);
        bytes += delta;
    }

    /** Removes the row and frees its space; returns the removed value or {@code null}. */
    V remove(K key) {
        Row<V> row = rows.remove(key);
        if (row == null) {
            return null;
        }
        budget.charge(-row.bytes, -1, () -> kind);
        bytes -= row.bytes;
        return row.value;
    }

    /** Removes every row; returns how many there were. */
    int clear() {
        int n = rows.size();
        budget.charge(-bytes, -n, () -> kind);
        rows.clear();
        bytes = 0;
        return n;
    }

    /** A copy of the values (the values themselves are immutable). */
    List<V> values() {
        List<V> out = new ArrayList<>(rows.size());
        for (Row<V> row : rows.values()) {
            out.add(row.value);
        }
        return out;
    }

    Collection<K> keys() {
        return List.copyOf(rows.keySet());
    }

    int size() {
        return rows.size();
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }
}
