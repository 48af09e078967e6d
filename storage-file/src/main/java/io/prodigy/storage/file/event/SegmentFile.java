package io.prodigy.storage.file.event;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An event segment file, identified by its name.
 *
 * <ul>
 *   <li>active (the one appended to): {@code events-{yyyyMMdd_HHmmss}-{first}.jsonl}</li>
 *   <li>sealed (never appended to again): {@code events-{yyyyMMdd_HHmmss}-{first}-{last}.jsonl}, or
 *       {@code .jsonl.gz} when compressed</li>
 * </ul>
 * {@code first} and {@code last} are zero-padded to 12 digits: the sequence range the segment was given when it was
 * created and sealed (purges may remove events inside it, never add). A job has at most one active segment and it
 * always holds the highest sequences; sealing renames it, so a writer holding it open notices.
 *
 * @param lastSequence {@code -1} for the active segment
 */
record SegmentFile(Path path, String timestamp, long firstSequence, long lastSequence, boolean gzipName) {

    static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);
    private static final Pattern NAME =
            Pattern.compile("events-(\\d{8}_\\d{6})-(\\d{12,19})(?:-(\\d{12,19}))?\\.jsonl(\\.gz)?");

    /** Segments ordered by first sequence; a sealed copy before an active one with the same start. */
    static final Comparator<SegmentFile> ORDER = Comparator.comparingLong(SegmentFile::firstSequence)
            .thenComparing(SegmentFile::isActive)
            .thenComparing(SegmentFile::gzipName, Comparator.reverseOrder());

    boolean isActive() {
        return lastSequence < 0;
    }

    /** The sealed index file of this segment (for sealed segments). */
    Path indexPath() {
        return path.resolveSibling(baseName() + ".index.json");
    }

    /** The name without extensions. */
    String baseName() {
        String name = path.getFileName().toString();
        return name.substring(0, name.indexOf(".jsonl"));
    }

    /** The sealed name for this (active) segment once its last sequence is known. */
    Path sealedPath(long last) {
        return path.resolveSibling(sealedName(timestamp, firstSequence, last, false));
    }

    Path gzipPath() {
        return path.resolveSibling(sealedName(timestamp, firstSequence, lastSequence, true));
    }

    SegmentFile withPath(Path p, long last, boolean gz) {
        return new SegmentFile(p, timestamp, firstSequence, last, gz);
    }

    static Optional<SegmentFile> parse(Path path) {
        Matcher m = NAME.matcher(path.getFileName().toString());
        if (!m.matches()) {
            return Optional.empty();
        }
        boolean gz = m.group(4) != null;
        long first = Long.parseLong(m.group(2));
        long last = m.group(3) == null ? -1 : Long.parseLong(m.group(3));
        if (last < 0 && gz) {
            return Optional.empty(); // an active segment is never compressed
        }
        return Optional.of(new SegmentFile(path, m.group(1), first, last, gz));
    }

    static String activeName(Instant createdAt, long first) {
        return "events-" + TS.format(createdAt) + "-" + pad(first) + ".jsonl";
    }

    static String sealedName(String timestamp, long first, long last, boolean gz) {
        return "events-" + timestamp + "-" + pad(first) + "-" + pad(last) + (gz ? ".jsonl.gz" : ".jsonl");
    }

    private static String pad(long n) {
        return String.format("%012d", n);
    }
}
