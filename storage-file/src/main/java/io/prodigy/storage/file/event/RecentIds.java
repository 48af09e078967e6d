package io.prodigy.storage.file.event;

import io.prodigy.storage.event.EventStorage;
import java.util.Arrays;

/**
 * The ids of a job's events with the most recent {@link #WINDOW} sequences, for idempotent appends: an append drops
 * an event whose id is here.
 *
 * <p><b>Compact.</b> A job log holds one of these for as long as it is open, so it stores a 64-bit hash of each id,
 * not the id: a ring of (hash, sequence) pairs in sequence order plus an open-addressing table (linear probing,
 * backward-shift deletion) from hash to ring slot, about 288 KiB per job. Each table entry carries the hash's top
 * 50 bits beside the slot, so a look-up of an id that is not there (the usual case) and the deletion's shifts read
 * only the table, not the ring: the ring's random reads were most of the window's CPU. A hit is only a candidate: the writer
 * confirms it against the id stored at that sequence before dropping an event, so a hash collision can never drop a
 * new event.
 *
 * <p>Not thread-safe: used by the job's writer under its commit lock and guard.
 */
final class RecentIds {

    /** How many of the most recent sequences the window covers. */
    static final int WINDOW = EventStorage.IDEMPOTENCY_WINDOW;
    /** Ring capacity: the window and the one entry {@link #candidateOrAdd} adds before it evicts. */
    private static final int RING = WINDOW + 1;
    private static final int TABLE_BITS = 14; // 16,384 slots for at most 10,001 entries: load at most 0.61
    private static final int MASK = (1 << TABLE_BITS) - 1;
    // A table entry: the hash's top 50 bits (whose top TABLE_BITS are the home position) | ring slot + 1 (< 2^14).
    private static final long SLOT_BITS = (1L << 14) - 1;
    private static final long TAG = ~SLOT_BITS;

    private long[] hashes;
    private long[] sequences;
    private long[] table; // tag | ring slot + 1; 0 = empty
    private int head; // ring slot of the oldest entry
    private int size;

    /**
     * A 64-bit hash of an event id. An ASCII id is hashed eight characters to a word (MurmurHash3's 64-bit mixing
     * per word, then its finalizer), the same as {@link #hashAscii} over its bytes, so the encoder can hash the bytes
     * it has just written; any other id by FNV-1a over its chars and the same finalizer. Only this process's window
     * uses these hashes (nothing stores them), so the function may change between versions.
     */
    static long hash(String id) {
        int n = id.length();
        long h = n;
        long word = 0;
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            if (c >= 128) {
                return hashChars(id);
            }
            word |= (long) c << ((i & 7) << 3);
            if ((i & 7) == 7) {
                h = mixWord(h, word);
                word = 0;
            }
        }
        if ((n & 7) != 0) {
            h = mixWord(h, word);
        }
        return finish(h);
    }

    /** {@link #hash} of the ASCII id whose characters are the {@code len} bytes at {@code off}. */
    static long hashAscii(byte[] bytes, int off, int len) {
        long h = len;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            h = mixWord(h, (long) LONGS.get(bytes, off + i));
        }
        if (i < len) {
            long word = 0;
            for (int j = 0; i + j < len; j++) {
                word |= (bytes[off + i + j] & 0xffL) << (j << 3);
            }
            h = mixWord(h, word);
        }
        return finish(h);
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private static long mixWord(long h, long word) {
        long k = word * 0x87c37b91114253d5L;
        k = Long.rotateLeft(k, 31) * 0x4cf5ad432745937fL;
        h ^= k;
        return Long.rotateLeft(h, 27) * 5 + 0x52dce729;
    }

    private static long hashChars(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        return finish(h);
    }

    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb93fe53ceb3bL;
        h ^= h >>> 33;
        return h;
    }

    /** The sequence of an entry with this hash, or 0 if there is none. */
    long candidate(long hash) {
        if (size == 0) {
            return 0;
        }
        long tag = hash & TAG;
        long e;
        for (int i = home(hash); (e = table[i]) != 0; i = (i + 1) & MASK) {
            if ((e & TAG) == tag) {
                int slot = (int) (e & SLOT_BITS) - 1;
                if (hashes[slot] == hash) {
                    return sequences[slot];
                }
            }
        }
        return 0;
    }

    /**
     * Adds an event stored at {@code sequence} (higher than every sequence added before) and drops the entries that
     * fell out of the window.
     */
    void add(long hash, long sequence) {
        if (table == null) {
            allocate();
        }
        while (size > 0 && (size == WINDOW || sequences[head] <= sequence - WINDOW)) {
            evictOldest();
        }
        int i = home(hash);
        while (table[i] != 0) {
            i = (i + 1) & MASK;
        }
        insert(hash, sequence, i);
    }

    /**
     * {@link #candidate} and, if it finds none, {@link #add} with one probe of the table instead of two: the same
     * answer and the same entries afterwards. The new entry goes into the first free slot after the probe run, then
     * the entries that fell out of the window are dropped (the table has room for one more than the window), so the
     * look-up saw the window exactly as {@code candidate} before {@code add} would have.
     *
     * @return the sequence of an entry with this hash (nothing added), or 0 (then the event was added)
     */
    long candidateOrAdd(long hash, long sequence) {
        if (table == null) {
            allocate();
        }
        long tag = hash & TAG;
        long e;
        int i = home(hash);
        for (; (e = table[i]) != 0; i = (i + 1) & MASK) {
            if ((e & TAG) == tag) {
                int slot = (int) (e & SLOT_BITS) - 1;
                if (hashes[slot] == hash) {
                    return sequences[slot];
                }
            }
        }
        insert(hash, sequence, i);
        while (size > WINDOW || sequences[head] <= sequence - WINDOW) {
            evictOldest();
        }
        return 0;
    }

    private void allocate() {
        hashes = new long[RING];
        sequences = new long[RING];
        table = new long[1 << TABLE_BITS];
    }

    /** Puts an entry into the ring after the newest one and into the free table slot {@code i}. */
    private void insert(long hash, long sequence, int i) {
        int slot = head + size;
        if (slot >= RING) {
            slot -= RING;
        }
        hashes[slot] = hash;
        sequences[slot] = sequence;
        size++;
        table[i] = (hash & TAG) | (slot + 1);
    }

    /** Where an entry's probe run starts: the hash's top bits (kept in the entry's tag). */
    private static int home(long hashOrEntry) {
        return (int) (hashOrEntry >>> (64 - TABLE_BITS));
    }

    /** Forgets everything (before a rebuild from the log). */
    void clear() {
        if (table != null) {
            Arrays.fill(table, 0);
        }
        head = 0;
        size = 0;
    }

    int size() {
        return size;
    }

    private void evictOldest() {
        int slot = head;
        int i = home(hashes[slot]);
        while ((table[i] & SLOT_BITS) != slot + 1) {
            i = (i + 1) & MASK;
        }
        // Backward-shift deletion: move later entries of the probe run into the hole unless they sit at or after
        // their home position within the run.
        int j = i;
        while (true) {
            j = (j + 1) & MASK;
            if (table[j] == 0) {
                break;
            }
            int home = home(table[j]);
            boolean stays = i <= j ? i < home && home <= j : i < home || home <= j;
            if (!stays) {
                table[i] = table[j];
                i = j;
            }
        }
        table[i] = 0;
        head = head + 1 == RING ? 0 : head + 1;
        size--;
    }
}
