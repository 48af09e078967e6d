package io.prodigy.storage.migrate.copy;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.migrate.RecordType;
import io.prodigy.storage.migrate.write.WriteResult;
import java.util.List;

/** Counts and progress of one record type during a copy. Not thread-safe (a copy runs on one thread). */
final class TypeProgress {

    private final RecordType type;
    private final long total;
    private final ProgressListener listener;
    private final List<String> conflicts;
    private long copied;
    private long present;
    private long conflicting;
    private long bytes;

    TypeProgress(RecordType type, long total, ProgressListener listener, List<String> conflicts) {
        this.type = type;
        this.total = total;
        this.listener = listener;
        this.conflicts = conflicts;
    }

    /** Counts one written (or found) record and reports progress. */
    void record(WriteResult result, Object record, String current) {
        switch (result.outcome()) {
            case CREATED, CONTINUED, UPDATED -> copied++;
            case PRESENT -> present++;
            case CONFLICT -> {
                conflicting++;
                conflicts.add(result.key() + ": " + result.detail());
            }
        }
        bytes += sizeOf(record);
        report(current);
    }

    void copied(long n, long byteCount) {
        copied += n;
        bytes += byteCount;
    }

    void present(long n, long byteCount) {
        present += n;
        bytes += byteCount;
    }

    void conflict(String message, long records) {
        conflicting += records;
        conflicts.add(message);
    }

    void report(String current) {
        listener.onProgress(new CopyProgress(type, copied + present + conflicting, total, bytes, current));
    }

    TypeCounts counts() {
        return new TypeCounts(total, copied, present, conflicting, bytes);
    }

    static long sizeOf(Object record) {
        try {
            return Json.mapper().writeValueAsBytes(record).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored record could not be serialized", e);
        }
    }
}
