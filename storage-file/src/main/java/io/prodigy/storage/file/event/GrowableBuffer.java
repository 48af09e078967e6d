package io.prodigy.storage.file.event;

import java.nio.ByteBuffer;

/** A reusable byte buffer for assembling one write (not thread-safe; owned by a job's committer). */
final class GrowableBuffer {

    private byte[] bytes;
    private int size;

    GrowableBuffer(int initialCapacity) {
        bytes = new byte[initialCapacity];
    }

    void clear() {
        size = 0;
        if (bytes.length > 4 * 1024 * 1024) {
            bytes = new byte[64 * 1024]; // don't pin a huge buffer after one big batch
        }
    }

    int size() {
        return size;
    }

    void put(byte b) {
        ensure(1);
        bytes[size++] = b;
    }

    void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
    }

    void put(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    /** Appends the decimal digits of a non-negative number (no String on the commit path). */
    void putDecimal(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative: " + value);
        }
        int digits = 1;
        for (long v = value / 10; v > 0; v /= 10) {
            digits++;
        }
        ensure(digits);
        long v = value;
        for (int i = size + digits - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        size += digits;
    }

    ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(bytes, 0, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            byte[] grown = new byte[Math.max(bytes.length * 2, size + more)];
            System.arraycopy(bytes, 0, grown, 0, size);
            bytes = grown;
        }
    }
}
