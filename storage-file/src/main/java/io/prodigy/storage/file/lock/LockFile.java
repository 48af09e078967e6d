package io.prodigy.storage.file.lock;

import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.file.io.AtomicFiles;
import io.prodigy.storage.file.io.JsonFiles;
import io.prodigy.storage.file.io.NoLinks;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * The bytes of {@code locks/{key}.lock}: two fixed-size slots overwritten in place, in the manner of LMDB's two meta
 * pages, so that a lock change is one {@code pwrite} and one {@code fdatasync} instead of a whole-file replacement
 * (which creates an inode and commits the file system journal twice).
 *
 * <p>A slot is {@link #SLOT} bytes (or a multiple, see below): an ASCII header line, the lease as JSON, then spaces
 * and a final newline, so {@code cat} still shows both versions readably:
 * <pre>prodigy-lock v1 gen 0000000000000000007 len 0000412 crc32c 5c0ffee1
 *{ "key" : "deploy", "fencing_token" : 4, ... }</pre>
 * The CRC32C covers the whole slot but its own eight digits: header (so the generation), payload and padding. A
 * write goes to the slot that does <i>not</i> hold the newest valid generation, with that generation plus one, and is
 * then forced with {@code fdatasync}. The file's size is fixed when it is created, so the sync flushes data only. A
 * reader reads the whole file with one read, and takes the valid slot with the highest generation.
 *
 * <p><b>Old or new, never a mix</b> (the guarantee the rename gave). A slot that a crash tore, or that a lock-free
 * reader copies while the writer overwrites it, fails its checksum, and the other slot, which the writer did not
 * touch, holds the previous state. A torn slot with a valid checksum would need the mix of two versions to match a
 * CRC32C taken over all of it (generation, payload and padding): a chance of 2<sup>-32</sup> per torn read, and a torn
 * read itself needs a reader to copy the very slot being written. Each slot is at least one page and one file system
 * block, aligned, so writing one never rewrites the other's block, even on a disk whose sector writes are not atomic.
 *
 * <p><b>Not older than the call.</b> A reader's one read copies the slots one after the other, not at one instant. If
 * it copied slot A before a write to A began and slot B while a later write tore B, it would take A's state, which is
 * older than B's state at the start of the read. So a read that finds a torn slot is repeated until two consecutive
 * reads give the same bytes: then no write happened in between, and the valid slot is the current state (after a
 * crash, a torn slot stays torn until the next write of the lock, and its readers read twice). A read with no torn
 * slot needs no second one: the slot holding the newest state at its start holds that or a newer state when copied, or
 * is torn. Writers wait for a {@code fdatasync} between writes, so two identical reads come at once; a reader gives up
 * waiting after {@value #MAX_READS} reads and takes the newest valid slot of the last one.
 *
 * <p><b>Creation, upgrades, growth.</b> A key's first write creates the file whole, in a temp file renamed into place
 * ({@link AtomicFiles}), slot A holding the lease and slot B blank; so does the first write to a lock file of the
 * earlier format (the lease as plain JSON, still read), to a file whose next generation would overflow, and to one
 * whose slots are too small for the lease. Slots are {@link #SLOT} bytes, which hold any lease with valid ids (a key
 * of at most 160 bytes, a UUID holder, a host name of at most 253 bytes: under 1.5 KiB in all); a lease that does not
 * fit (an owner description of several KiB) gets a new file with slots the next multiple of {@link #SLOT} up. The
 * slot size is half the file's size, so readers need no other hint. Nothing is ever truncated.
 */
final class LockFile {

    /** The slot size of new files: one page and one file system block. */
    static final int SLOT = 4096;

    private static final byte[] MAGIC = "prodigy-lock v1 ".getBytes(StandardCharsets.US_ASCII);
    /** {@code prodigy-lock v1 gen <19 digits> len <7 digits> crc32c <8 hex>\n}. */
    private static final int GEN_AT = MAGIC.length + 4;
    private static final int LEN_AT = GEN_AT + 19 + 5;
    private static final int CRC_AT = LEN_AT + 7 + 8;
    static final int HEADER = CRC_AT + 8 + 1;
    /** Reads of a file that never settles before a reader takes what it has (see the class comment). */
    private static final int MAX_READS = 1000;

    private LockFile() {}

    /**
     * A lock file's current content.
     *
     * @param json       the newest valid slot's payload, or the whole file of the earlier format
     * @param slotSize   the slot size, or 0 for the earlier format
     * @param slot       the index (0 or 1) of the slot {@code json} came from; -1 for the earlier format
     * @param generation that slot's generation; 0 for the earlier format
     * @param otherTorn  whether the other slot is torn: neither valid nor blank (as a new file's second slot is)
     */
    record Content(byte[] json, int slotSize, int slot, long generation, boolean otherTorn) {

        boolean legacy() {
            return slotSize == 0;
        }
    }

    /** Neither slot of a file in the slotted format is valid. */
    static final class Unreadable extends CorruptionException {
        Unreadable(String detail) {
            super(detail);
        }
    }

    /**
     * Reads a lock file without any lock: a state that was current at some moment during the call (see the class
     * comment for why a torn slot makes it read again).
     *
     * @param dirChecked whether the caller checked the directory for links a moment ago
     * @return empty if the file does not exist
     * @throws CorruptionException if neither slot is valid in the same bytes read twice
     */
    static Optional<Content> read(Path file, boolean dirChecked) {
        return read(() -> JsonFiles.readBytes(file, "lock", !dirChecked));
    }

    /** {@link #read(Path, boolean)} of the file {@code source} reads whole (content in {@code [0, position)}). */
    static Optional<Content> read(Supplier<Optional<ByteBuffer>> source) {
        byte[] previous = null;
        int previousLength = 0;
        for (int reads = 1; ; reads++) {
            Optional<ByteBuffer> bytes = source.get();
            if (bytes.isEmpty()) {
                return Optional.empty();
            }
            byte[] b = bytes.get().array();
            int n = bytes.get().position();
            Content content = null;
            Unreadable unreadable = null;
            try {
                content = decode(b, n);
                if (!content.otherTorn()) {
                    return Optional.of(content);
                }
            } catch (Unreadable e) {
                unreadable = e;
            }
            boolean settled = previous != null && Arrays.equals(previous, 0, previousLength, b, 0, n);
            if (settled || reads == MAX_READS) {
                if (content != null) {
                    return Optional.of(content);
                }
                throw unreadable;
            }
            previous = b;
            previousLength = n;
        }
    }

    /** Decodes the first {@code n} bytes of a lock file. */
    static Content decode(byte[] b, int n) {
        if (!slotted(b, n)) {
            return new Content(Arrays.copyOf(b, n), 0, -1, 0, false);
        }
        int slotSize = n / 2;
        Content a = slot(b, 0, slotSize);
        Content c = slot(b, 1, slotSize);
        if (a == null && c == null) {
            throw new Unreadable("neither of its two slots passes its checksum");
        }
        Content newest = c == null || a != null && a.generation() >= c.generation() ? a : c;
        int other = 1 - newest.slot();
        boolean otherTorn = (other == 0 ? a : c) == null && !blank(b, other * slotSize, slotSize);
        return otherTorn ? new Content(newest.json(), slotSize, newest.slot(), newest.generation(), true) : newest;
    }

    /** Whether a slot is as a new file's second slot is: spaces and a final newline. */
    private static boolean blank(byte[] b, int at, int slotSize) {
        for (int i = at; i < at + slotSize - 1; i++) {
            if (b[i] != ' ') {
                return false;
            }
        }
        return b[at + slotSize - 1] == '\n';
    }

    /** Whether the bytes are in the slotted format: an even number of slots whose first or second starts so. */
    private static boolean slotted(byte[] b, int n) {
        return n >= 2 * SLOT && n % (2 * SLOT) == 0 && (startsWithMagic(b, 0) || startsWithMagic(b, n / 2));
    }

    private static boolean startsWithMagic(byte[] b, int at) {
        return Arrays.equals(b, at, at + MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** Slot {@code index}'s content if it is valid, else {@code null}. */
    private static Content slot(byte[] b, int index, int slotSize) {
        int at = index * slotSize;
        if (!startsWithMagic(b, at) || !text(b, at + MAGIC.length, "gen ") || !text(b, at + GEN_AT + 19, " len ")
                || !text(b, at + LEN_AT + 7, " crc32c ") || b[at + HEADER - 1] != '\n') {
            return null;
        }
        long generation = number(b, at + GEN_AT, 19, 10);
        long length = number(b, at + LEN_AT, 7, 10);
        long crc = number(b, at + CRC_AT, 8, 16);
        if (generation <= 0 || length <= 0 || length > slotSize - HEADER - 1 || crc < 0 || crc != crc(b, at, slotSize)) {
            return null;
        }
        return new Content(Arrays.copyOfRange(b, at + HEADER, at + HEADER + (int) length), slotSize, index, generation,
                false);
    }

    private static boolean text(byte[] b, int at, String expected) {
        for (int i = 0; i < expected.length(); i++) {
            if (b[at + i] != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The number in {@code digits} characters at {@code at}, or -1 if one is not a digit (or it overflows). */
    private static long number(byte[] b, int at, int digits, int radix) {
        long v = 0;
        for (int i = 0; i < digits; i++) {
            int d = Character.digit(b[at + i], radix);
            if (d < 0 || v > (Long.MAX_VALUE - d) / radix) {
                return -1;
            }
            v = v * radix + d;
        }
        return v;
    }

    /** The CRC32C of slot bytes {@code [at, at + slotSize)} but its own digits. */
    private static long crc(byte[] b, int at, int slotSize) {
        CRC32C crc = new CRC32C();
        crc.update(b, at, CRC_AT);
        crc.update(b, at + HEADER, slotSize - HEADER);
        return crc.getValue();
    }

    /** One slot of {@code slotSize} bytes holding {@code json} at {@code generation}. */
    static byte[] encodeSlot(long generation, byte[] json, int slotSize) {
        if (json.length + HEADER + 1 > slotSize) {
            throw new IllegalArgumentException("a " + json.length + "-byte lease does not fit a " + slotSize
                    + "-byte slot");
        }
        byte[] s = new byte[slotSize];
        Arrays.fill(s, (byte) ' ');
        byte[] h = String.format("prodigy-lock v1 gen %019d len %07d crc32c 00000000\n", generation, json.length)
                .getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(h, 0, s, 0, HEADER);
        System.arraycopy(json, 0, s, HEADER, json.length);
        s[HEADER + json.length] = '\n';
        s[slotSize - 1] = '\n';
        byte[] hex = String.format("%08x", crc(s, 0, slotSize)).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(hex, 0, s, CRC_AT, 8);
        return s;
    }

    /** The slot size a new file needs for {@code json}: {@link #SLOT}, or the next multiple up that holds it. */
    static int slotSizeFor(byte[] json) {
        int need = HEADER + json.length + 1;
        return Math.max(SLOT, Math.addExact(need, SLOT - 1) / SLOT * SLOT);
    }

    /** A whole new file: {@code json} at {@code generation} in slot A, slot B blank. */
    static byte[] newFile(long generation, byte[] json) {
        int slotSize = slotSizeFor(json);
        byte[] f = new byte[2 * slotSize];
        System.arraycopy(encodeSlot(generation, json, slotSize), 0, f, 0, slotSize);
        Arrays.fill(f, slotSize, f.length, (byte) ' ');
        f[f.length - 1] = '\n';
        return f;
    }

    /** Creates or replaces {@code file} whole, atomically and durably: {@code json} in slot A at generation 1. */
    static void create(Path file, byte[] json) throws IOException {
        AtomicFiles.write(file, newFile(1, json));
    }

    /**
     * Opens a lock file for a change, inside the guard of {@code locks/} (whose directory the guard checked): the
     * guard makes this the only writer, so the content read here stays current until {@link Update#write}.
     *
     * @throws CorruptionException if neither slot is valid, or the entry is not a regular file
     */
    static Update openForUpdate(Path file) throws IOException {
        NoLinks.Kind kind = NoLinks.kindOf(file);
        if (kind == NoLinks.Kind.MISSING) {
            return new Update(file, null, null);
        }
        if (kind != NoLinks.Kind.FILE) {
            throw NoLinks.notAFile(file, kind);
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return new Update(file, null, null);
        }
        try {
            ByteBuffer bytes = JsonFiles.readAll(ch);
            return new Update(file, ch, decode(bytes.array(), bytes.position()));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** A lock file opened for one change: its content, and the way to write the next one. */
    static final class Update implements Closeable {

        private final Path file;
        private final FileChannel ch;
        private final Content content;

        private Update(Path file, FileChannel ch, Content content) {
            this.file = file;
            this.ch = ch;
            this.content = content;
        }

        /** The current content; empty if the file does not exist. */
        Optional<Content> content() {
            return Optional.ofNullable(content);
        }

        /**
         * Makes {@code json} the file's content durably: one in-place slot write and {@code fdatasync}, or, for a new
         * file, one of the earlier format, a generation overflow or a lease too large for the slots, one atomic
         * replacement.
         */
        void write(byte[] json) throws IOException {
            if (content == null || content.legacy() || content.generation() == Long.MAX_VALUE
                    || HEADER + json.length + 1 > content.slotSize()) {
                create(file, json);
                return;
            }
            int target = 1 - content.slot();
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(encodeSlot(content.generation() + 1, json, content.slotSize())),
                    (long) target * content.slotSize());
            ch.force(false); // fdatasync: the size never changes, so this flushes the slot's block only
        }

        @Override
        public void close() throws IOException {
            if (ch != null) {
                ch.close();
            }
        }
    }
}
