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

    void putAscii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            bytes[size++] = (byte) s.charAt(i);
        }
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
