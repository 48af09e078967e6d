package io.prodigy.storage.file.event;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The segments of one job directory, in sequence order, with leftovers of interrupted operations set apart.
 *
 * @param live      the segments to read, ordered by first sequence
 * @param redundant copies superseded by another file with the same first sequence (an active segment whose sealed
 *                  copy exists, a plain sealed segment whose compressed copy exists); deleted by the next writer
 */
record Segments(List<SegmentFile> live, List<SegmentFile> redundant) {

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

    static Segments scan(Path dir) throws IOException {
        List<SegmentFile> all = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "events-*")) {
            for (Path p : stream) {
                SegmentFile.parse(p).ifPresent(all::add);
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return new Segments(List.of(), List.of());
        }
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
        return new Segments(List.copyOf(live), List.copyOf(redundant));
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
