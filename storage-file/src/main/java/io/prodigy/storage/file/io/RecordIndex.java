package io.prodigy.storage.file.io;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What a listing needs to know about each record file of a directory (its sort key and filtered fields: a
 * <em>summary</em>), kept in memory so that a page reads only the files it returns and the files that changed since
 * the last listing, never every record.
 *
 * <p>A summary is valid while its file has the same file key (inode), size and modification time. Record files are
 * only ever replaced by rename (a new inode) or deleted, so a directory listing with one {@code lstat} per entry tells
 * which summaries are current; other processes' writes are seen the same way. A process that has not listed a
 * directory yet reads each of its files once. Only a file whose time had {@linkplain FileTimes settled} when it was
 * listed gets its summary kept: a freed inode number is reused at once and a file system's clock advances a tick at a
 * time, so a version written within the same tick as the one listed could show the same inode, size and time. A file
 * written less than {@value FileTimes#SETTLED_MILLIS} ms before a listing is read again by the next.
 *
 * @param <S> the summary: small and immutable
 */
public final class RecordIndex<S> {

    /** Summaries kept before the index starts over (a few hundred bytes each). */
    private static final int MAX_ENTRIES = 200_000;

    private record Entry<S>(Object fileKey, long size, FileTime modified, S summary) {}

    /** A record file and its current summary. */
    public record Indexed<S>(Path file, S summary) {}

    private final Function<Path, Optional<S>> reader;
    private final Map<Path, Map<Path, Entry<S>>> byDirectory = new ConcurrentHashMap<>();

    /**
     * @param reader reads a file's summary; empty if the file vanished or is corrupt (it is then left out, as
     *               {@link JsonFiles#readOrSkip} leaves it out of a listing)
     */
    public RecordIndex(Function<Path, Optional<S>> reader) {
        this.reader = reader;
    }

    /** The summaries of the files {@link JsonFiles#list} lists in {@code dir}, re-reading only changed files. */
    public List<Indexed<S>> scan(Path dir, String suffix) {
        Map<Path, Entry<S>> known = byDirectory.getOrDefault(dir, Map.of());
        Map<Path, Entry<S>> current = new HashMap<>();
        List<Indexed<S>> out = new ArrayList<>();
        long listedAt = System.currentTimeMillis(); // before every lstat of the listing
        for (JsonFiles.Listed listed : JsonFiles.listWithAttributes(dir, suffix)) {
            var a = listed.attributes();
            Entry<S> e = known.get(listed.file());
            if (e == null || a.fileKey() == null || !Objects.equals(e.fileKey, a.fileKey()) || e.size != a.size()
                    || !e.modified.equals(a.lastModifiedTime())) {
                Optional<S> summary = reader.apply(listed.file());
                if (summary.isEmpty()) {
                    continue;
                }
                if (!FileTimes.isSettled(a.lastModifiedTime(), listedAt)) {
                    out.add(new Indexed<>(listed.file(), summary.get())); // not kept: read again next time
                    continue;
                }
                e = new Entry<>(a.fileKey(), a.size(), a.lastModifiedTime(), summary.get());
            }
            current.put(listed.file(), e);
            out.add(new Indexed<>(listed.file(), e.summary));
        }
        remember(dir, current);
        return out;
    }

    /** Forgets a directory (deleted with its records). */
    public void forget(Path dir) {
        byDirectory.remove(dir);
    }

    private void remember(Path dir, Map<Path, Entry<S>> current) {
        if (current.isEmpty()) {
            byDirectory.remove(dir);
            return;
        }
        int total = current.size();
        for (Map<Path, Entry<S>> m : byDirectory.values()) {
            total += m.size();
        }
        if (total > MAX_ENTRIES) {
            byDirectory.clear(); // rare: a store with more records than we keep summaries of
        }
        byDirectory.put(dir, current);
    }
}
