package io.prodigy.storage.file.event;

import io.prodigy.storage.file.io.NoLinks;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segments of one job directory, in sequence order, with leftovers of interrupted operations set apart.
 *
 * @param live      the segments to read, ordered by first sequence
 * @param redundant copies superseded by another file with the same first sequence (an active segment whose sealed
 *                  copy exists, a plain sealed segment whose compressed copy exists); deleted by the next writer
 * @param odd       entries named like a segment that are not regular files (a link, a directory): never read,
 *                  written or removed; readers skip them with a warning, writers refuse to touch the job
 * @param setAside  damaged bytes a repair moved aside ({@code events-….jsonl.damaged-{offset}-{time}}), kept for an
 *                  operator; reported on every read
 */
record Segments(List<SegmentFile> live, List<SegmentFile> redundant, List<Path> odd, List<Path> setAside) {

    private static final Logger LOG = LoggerFactory.getLogger(Segments.class);

    /** Marks the name of a file holding bytes a repair moved aside (see {@link Recovery}). */
    static final String DAMAGED = ".damaged-";

    /**
     * Refuses to let a writer work on a job directory with an odd entry: whatever it is, the store did not put it
     * there, so neither repairing nor rewriting around it is safe.
     *
     * @throws io.prodigy.storage.error.CorruptionException naming the entry
     */
    void checkWritable() throws IOException {
        if (!odd.isEmpty()) {
            throw NoLinks.notAFile(odd.get(0), NoLinks.kindOf(odd.get(0)));
        }
    }

    /** The active segment, if the newest live one is active. */
    Optional<SegmentFile> active() {
        if (live.isEmpty()) {
            return Optional.empty();
        }
        SegmentFile last = live.get(live.size() - 1);
        return last.isActive() ? Optional.of(last) : Optional.empty();
    }

    /** The highest sequence a segment name vouches for (sealed: its last; active: first - 1). */
    long floorFromNames() {
        long floor = 0;
        for (SegmentFile s : live) {
            floor = Math.max(floor, s.isActive() ? s.firstSequence() - 1 : s.lastSequence());
        }
        return floor;
    }

    /**
     * Lists {@code dir}.
     *
     * @throws io.prodigy.storage.error.CorruptionException if the directory (or an ancestor in the store) is a link
     */
    /**
     * Logs what a reader of the job should know: odd entries it skips and damaged bytes set aside by a repair. Called
     * on every read of the job (queries, stats), so the damage stays visible until an operator deals with it.
     */
    void reportToReaders(Object job) {
        for (Path p : odd) {
            LOG.warn("Reading job {}: skipping '{}': it is named like an event segment but is not a regular file (a"
                    + " directory or a link); the store neither reads nor changes it, and refuses appends to this job"
                    + " until it is moved out of the storage directory.", job, p);
        }
        for (Path p : setAside) {
            LOG.warn("Reading job {}: '{}' holds damaged bytes that a repair moved aside from the end of a segment;"
                    + " any events in it are not served. Inspect it and delete it when done.", job, p);
        }
    }

    static Segments scan(Path dir) throws IOException {
        NoLinks.check(dir);
        List<SegmentFile> all = new ArrayList<>();
        List<Path> odd = new ArrayList<>();
        List<Path> setAside = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "events-*")) {
            for (Path p : stream) {
                Optional<SegmentFile> seg = SegmentFile.parse(p);
                if (seg.isPresent()) {
                    NoLinks.Kind kind = NoLinks.kindOf(p);
                    if (kind == NoLinks.Kind.FILE) {
                        all.add(seg.get());
                    } else if (kind != NoLinks.Kind.MISSING) {
                        odd.add(p);
                    }
                } else if (p.getFileName().toString().contains(DAMAGED)) {
                    setAside.add(p);
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return new Segments(List.of(), List.of(), List.of(), List.of());
        }
        odd.sort(null);
        setAside.sort(null);
        all.sort(SegmentFile.ORDER);
        List<SegmentFile> live = new ArrayList<>();
        List<SegmentFile> redundant = new ArrayList<>();
        for (SegmentFile s : all) {
            SegmentFile prev = live.isEmpty() ? null : live.get(live.size() - 1);
            if (prev != null && prev.firstSequence() == s.firstSequence()) {
                // ORDER puts the preferred copy first: sealed before active, gzip before plain.
                redundant.add(s);
            } else {
                live.add(s);
            }
        }
        return new Segments(List.copyOf(live), List.copyOf(redundant), List.copyOf(odd), List.copyOf(setAside));
    }

    /** Hidden temp files of interrupted writes in the job directory. */
    static List<Path> tempFiles(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, ".*.tmp")) {
            stream.forEach(out::add);
        } catch (NoSuchFileException | NotDirectoryException e) {
            return out;
        }
        return out;
    }
}
