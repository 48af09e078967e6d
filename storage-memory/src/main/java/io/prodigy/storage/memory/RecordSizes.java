package io.prodigy.storage.memory;

import io.prodigy.storage.json.Json;
import io.prodigy.storage.error.InvalidInputException;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Measures a record as the number of bytes of its JSON form under {@link Json#mapper()}: the same bytes a
 * snapshot writes, so {@code max_memory} bounds the snapshot too. Counting, not buffering: nothing is allocated for
 * the output.
 */
final class RecordSizes {

    private RecordSizes() {}

    /**
     * @throws InvalidInputException if the record holds a value that cannot be written as JSON (it is then rejected
     *                               before anything is stored)
     */
    static long of(Object record, String what) {
        CountingSink sink = new CountingSink();
        try {
            Json.mapper().writeValue(sink, record);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot store " + what + ": it cannot be written as JSON ("
                    + e.getMessage() + "). Use only JSON values (objects, arrays, strings, numbers,"
                    + " booleans, null) in its data.", e);
        }
        return sink.count;
    }

    private static final class CountingSink extends OutputStream {
        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
