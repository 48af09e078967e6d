package io.prodigy.storage.file.io;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.error.StorageException;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading and writing whole-file JSON records with {@link Json#mapper()} (pretty-printed, as the original tool wrote
 * them), with errors translated: a missing file is "absent", an unparsable one a {@link CorruptionException} naming
 * the path, an I/O problem the matching API error.
 */
public final class JsonFiles {

    private static final Logger LOG = LoggerFactory.getLogger(JsonFiles.class);
    private static final ObjectMapper MAPPER = Json.mapper();
    private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    /** The mapper every whole-file record goes through. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private JsonFiles() {}

    /** Serializes {@code value} as pretty JSON. */
    public static byte[] toBytes(Object value) {
        try {
            return PRETTY.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * Reads a record.
     *
     * @param kind what the file holds, for messages ("session")
     * @return empty if the file does not exist
     * @throws CorruptionException if it exists but cannot be parsed
     */
    public static <T> Optional<T> read(Path file, Class<T> type, String kind) {
        return read(file, type, kind, true, true, -1, READERS);
    }

    /**
     * {@link #read}, for a file whose directory the caller checked a moment ago ({@link StoreContext#guarded} does,
     * before its body runs): only the file itself is examined, saving one {@code lstat} per directory level.
     */
    public static <T> Optional<T> readInCheckedDir(Path file, Class<T> type, String kind) {
        return read(file, type, kind, false, true, -1, READERS);
    }

    /**
     * {@link #readInCheckedDir} without the record's bulky payload: a session without its {@code metadata}, a
     * checkpoint without its {@code state} (read as empty), everything else as stored. For a save's revision check,
     * which looks at the revision and the write id only: skipping the payload's tokens costs far less than building
     * its maps, nodes and strings. A caller that must return the stored record (a retried save) reads it whole.
     */
    public static <T> Optional<T> readHeadInCheckedDir(Path file, Class<T> type, String kind) {
        return read(file, type, kind, false, true, -1, HEAD_READERS);
    }

    /**
     * {@link #readListed} without the bulky payload, like {@link #readHeadInCheckedDir}.
     */
    public static <T> Optional<T> readHeadListed(Listed listed, Class<T> type, String kind) {
        return read(listed.file(), type, kind, false, false, listed.attributes().size(), HEAD_READERS);
    }

    /**
     * {@link #read}, for a file that {@link #listInCheckedDir} or {@link #listWithAttributes} reported as a regular
     * file a moment ago: no {@code lstat} at all, and the listing's size stands in for an {@code fstat}.
     */
    public static <T> Optional<T> readListed(Listed listed, Class<T> type, String kind) {
        return read(listed.file(), type, kind, false, false, listed.attributes().size(), READERS);
    }

    /** {@link #readListed}, logging and skipping a corrupt file like {@link #readOrSkip}. */
    public static <T> Optional<T> readListedOrSkip(Listed listed, Class<T> type, String kind) {
        return orSkip(listed.file(), () -> readListed(listed, type, kind));
    }

    private static <T> Optional<T> read(Path file, Class<T> type, String kind, boolean checkDir, boolean checkFile,
            long sizeHint, ClassValue<ObjectReader> readers) {
        ByteBuffer scratch = SCRATCH.get();
        Optional<ByteBuffer> bytes = readBytes(file, kind, checkDir, checkFile, sizeHint, scratch);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        ByteBuffer b = bytes.get();
        T value = parse(readers.get(type), b.array(), b.position(), file, type, kind);
        if (b != scratch && b.capacity() <= MAX_SCRATCH) {
            SCRATCH.set(b); // a record larger than the last one: keep its buffer for the next read
        }
        return Optional.of(value);
    }

    /**
     * Per-thread read buffer of {@link #read}: the bytes are parsed before the next read on the thread, so a record
     * read allocates no buffer of its size (records up to {@value #MAX_SCRATCH} bytes are kept for reuse).
     */
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocate(16 * 1024));
    private static final int MAX_SCRATCH = 256 * 1024;

    /** Prebuilt readers, one per record type: no root-deserializer lookup per parse. */
    private static final ClassValue<ObjectReader> READERS = readersOf(MAPPER);

    /** The mapper of {@link #readHeadInCheckedDir}: {@link #MAPPER}, ignoring the bulky payload properties. */
    private static final ClassValue<ObjectReader> HEAD_READERS = readersOf(MAPPER.copy()
            .addMixIn(PersistedSession.class, WithoutMetadata.class)
            .addMixIn(Checkpoint.class, WithoutState.class));

    @JsonIgnoreProperties("metadata")
    private abstract static class WithoutMetadata {}

    @JsonIgnoreProperties("state")
    private abstract static class WithoutState {}

    private static ClassValue<ObjectReader> readersOf(ObjectMapper mapper) {
        return new ClassValue<>() {
            @Override
            protected ObjectReader computeValue(Class<?> type) {
                return mapper.readerFor(type);
            }
        };
    }

    /**
     * A file's bytes, checked as {@link #read} checks them (no link, a regular file), without parsing: the content is
     * {@code [0, position)} of the returned array-backed buffer; empty if the file does not exist.
     *
     * @param checkDir whether to check the directory for links too (outside {@link StoreContext#guarded})
     */
    public static Optional<ByteBuffer> readBytes(Path file, String kind, boolean checkDir) {
        return readBytes(file, kind, checkDir, true, -1, null);
    }

    /**
     * {@link #readBytes}, into {@code scratch} (cleared first) if it is large enough, else into a new buffer;
     * {@code sizeHint} is the size a listing reported ({@code -1}: unknown; with {@code checkFile}, the check's
     * {@code lstat} reports it).
     */
    private static Optional<ByteBuffer> readBytes(Path file, String kind, boolean checkDir, boolean checkFile,
            long sizeHint, ByteBuffer scratch) {
        try {
            if (checkDir) {
                NoLinks.check(file.getParent());
            }
            if (checkFile) {
                BasicFileAttributes a = NoLinks.attributesOf(file);
                NoLinks.Kind kind0 = NoLinks.kindOf(a);
                if (kind0 == NoLinks.Kind.MISSING) {
                    return Optional.empty();
                }
                if (kind0 != NoLinks.Kind.FILE) {
                    throw NoLinks.notAFile(file, kind0);
                }
                sizeHint = a.size();
            }
            try (SeekableByteChannel ch = Files.newByteChannel(file, READ_NO_FOLLOW)) {
                return Optional.of(sizeHint < 0 ? readAll(ch) : readToEnd(ch, sizeHint, scratch));
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw IoErrors.translate("reading the " + kind + " file", file, e);
        }
    }

    /**
     * Parses the first {@code length} bytes of {@code bytes} as a {@code type} record of {@code file}.
     *
     * @throws CorruptionException naming the file if they are not one
     */
    public static <T> T parse(byte[] bytes, int length, Path file, Class<T> type, String kind) {
        return parse(READERS.get(type), bytes, length, file, type, kind);
    }

    private static <T> T parse(ObjectReader reader, byte[] bytes, int length, Path file, Class<T> type,
            String kind) {
        try {
            T value = reader.readValue(bytes, 0, length);
            if (value == null) {
                throw new CorruptionException(corruptMessage(kind, file, "the file holds JSON null"));
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof CorruptionException ce) {
                throw ce;
            }
            throw new CorruptionException(corruptMessage(kind, file, firstLine(e.getMessage())), e);
        }
    }

    /** Opening a record: a link put in its place since it was checked fails to open instead of being followed. */
    private static final Set<OpenOption> READ_NO_FOLLOW = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

    /**
     * The bytes of a record file just opened, whose size an {@code lstat} of its name reported a moment before the
     * open: no {@code fstat}. The buffer asks for one byte more than that size, so the read that returns less than
     * was asked for is the end of the file (Linux cuts a read of a regular file short only at its end; a fatal
     * signal, the one other cause, ends the process). If the name was replaced between the {@code lstat} and the open
     * by a larger file, the buffer fills up and the read goes on to the end; by a smaller one, the read ends sooner.
     * Either way the content is that of the one file opened. The content is {@code [0, position)} of the returned
     * array-backed buffer: {@code scratch} (cleared) if it is large enough, else a new one.
     */
    private static ByteBuffer readToEnd(SeekableByteChannel ch, long sizeHint, ByteBuffer scratch) throws IOException {
        if (sizeHint > Integer.MAX_VALUE - 16) {
            throw new IOException("the file is " + sizeHint + " bytes, too large for a record");
        }
        int want = (int) sizeHint + 1;
        ByteBuffer buf = scratch != null && scratch.capacity() >= want ? scratch.clear() : ByteBuffer.allocate(want);
        buf.limit(want);
        while (true) {
            int asked = buf.remaining();
            int n = ch.read(buf);
            if (n < 0 || n < asked) {
                return buf; // the end of the file
            }
            if (!buf.hasRemaining()) { // it is larger than reported: read on, in a larger buffer
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, want * 2));
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
        }
    }

    /**
     * The bytes of an open record file from its current position, for a caller that knows nothing of its size: one
     * {@code fstat} and, for a file that does not change size meanwhile, one read. Record files are either replaced
     * by rename or (lock files) overwritten in place at a size fixed at creation, so the opened file keeps the size
     * {@code fstat} reported: once that many bytes are in, the read is complete. The content is
     * {@code [0, position)} of the returned array-backed buffer.
     */
    public static ByteBuffer readAll(SeekableByteChannel ch) throws IOException {
        long size = ch.size();
        if (size > Integer.MAX_VALUE - 16) {
            throw new IOException("the file is " + size + " bytes, too large for a record");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size + 1); // one spare byte: a file that grew is seen whole
        while (!(buf.position() == size && buf.hasRemaining())) { // done once the reported size is in
            if (!buf.hasRemaining()) { // it grew after all: read on to the end
                ByteBuffer bigger = ByteBuffer.allocate(buf.capacity() * 2);
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
            if (ch.read(buf) < 0) {
                break;
            }
        }
        return buf; // array-backed; the content is [0, position)
    }

    /** Like {@link #read} but logs a warning and returns empty for a corrupt file (for listings). */
    public static <T> Optional<T> readOrSkip(Path file, Class<T> type, String kind) {
        return orSkip(file, () -> read(file, type, kind));
    }

    private static <T> Optional<T> orSkip(Path file, java.util.function.Supplier<Optional<T>> read) {
        try {
            return read.get();
        } catch (CorruptionException e) {
            LOG.warn("Skipping {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Writes {@code value} atomically and durably (temp, fdatasync, rename, fsync directory). */
    public static void write(Path file, Object value, String kind) {
        NoLinks.check(file);
        writeInCheckedDir(file, value, kind);
    }

    /**
     * {@link #write}, for a file the caller checked a moment ago: its directory by {@link StoreContext#guarded}, the
     * file itself by reading it in the same guarded body ({@link #readInCheckedDir} refuses a link or a directory).
     * No further {@code lstat}.
     */
    public static void writeInCheckedDir(Path file, Object value, String kind) {
        byte[] bytes = toBytes(value);
        try {
            AtomicFiles.write(file, bytes);
        } catch (IOException e) {
            throw IoErrors.translate("writing the " + kind + " file", file, e);
        }
    }

    /** Deletes durably; returns whether it existed. */
    public static boolean delete(Path file, String kind) {
        NoLinks.check(file);
        try {
            return AtomicFiles.delete(file);
        } catch (IOException e) {
            throw IoErrors.translate("deleting the " + kind + " file", file, e);
        }
    }

    /**
     * The regular files in {@code dir} whose names end with {@code suffix}, skipping hidden (dot) files such as
     * guards and temp files. Empty if the directory does not exist. An entry with a matching name that is not a
     * regular file (a directory, a link) is skipped with a warning, so one odd entry does not break a listing.
     *
     * @throws io.prodigy.storage.error.CorruptionException if {@code dir} (or an ancestor in the store) is a link
     */
    public static List<Path> list(Path dir, String suffix) {
        List<Path> out = new ArrayList<>();
        for (Listed l : listWithAttributes(dir, suffix)) {
            out.add(l.file());
        }
        return out;
    }

    /** A file of {@link #listWithAttributes} with what one {@code lstat} told about it. */
    public record Listed(Path file, BasicFileAttributes attributes) {}

    /**
     * {@link #list}, with each file's attributes from the same {@code lstat} that checked it is a regular file (so a
     * caller can tell a changed file from an unchanged one without another system call). Sorted by name.
     */
    public static List<Listed> listWithAttributes(Path dir, String suffix) {
        NoLinks.check(dir);
        return listInCheckedDir(dir, suffix);
    }

    /**
     * {@link #listWithAttributes}, for a directory the caller checked a moment ago ({@link StoreContext#guarded} does,
     * before its body runs): the entries are examined, the directory's ancestors not again.
     */
    public static List<Listed> listInCheckedDir(Path dir, String suffix) {
        List<Listed> out = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".") && name.endsWith(suffix)) {
                    BasicFileAttributes a = NoLinks.attributesOf(p);
                    NoLinks.Kind kind = NoLinks.kindOf(a);
                    if (kind == NoLinks.Kind.FILE) {
                        out.add(new Listed(p, a));
                    } else if (kind != NoLinks.Kind.MISSING) {
                        LOG.warn("Skipping {}", NoLinks.notAFile(p, kind).getMessage());
                    }
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return out;
        } catch (IOException e) {
            throw IoErrors.translate("listing", dir, e);
        }
        out.sort(Comparator.comparing(Listed::file));
        return out;
    }

    /**
     * Sub-directories of {@code dir} (not hidden, not links: a link is skipped with a warning), sorted by name; empty
     * if it does not exist.
     */
    public static List<Path> subdirectories(Path dir) {
        List<Path> out = new ArrayList<>();
        NoLinks.check(dir);
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                if (p.getFileName().toString().startsWith(".")) {
                    continue;
                }
                NoLinks.Kind kind = NoLinks.kindOf(p);
                if (kind == NoLinks.Kind.DIRECTORY) {
                    out.add(p);
                } else if (kind == NoLinks.Kind.LINK) {
                    LOG.warn("Skipping {}", NoLinks.linkFound(p).getMessage());
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return out;
        } catch (IOException e) {
            throw IoErrors.translate("listing", dir, e);
        }
        out.sort(null);
        return out;
    }

    /** Creates the directory (0700, durably), translating errors. */
    public static void ensureDirectory(Path dir) {
        try {
            FileModes.ensureDirectory(dir);
        } catch (IOException e) {
            throw IoErrors.translate("creating the directory", dir, e);
        }
    }

    static String corruptMessage(String kind, Path file, String detail) {
        return "The " + kind + " file '" + file + "' is corrupt and cannot be read (" + detail + "). Restore it from a"
                + " backup or delete it; the rest of the store is unaffected.";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** Rethrows {@code e} if it is a storage error, else wraps it. */
    public static RuntimeException rethrow(Exception e) {
        if (e instanceof StorageException se) {
            return se;
        }
        if (e instanceof RuntimeException re) {
            return re;
        }
        return new IllegalStateException(e);
    }
}
