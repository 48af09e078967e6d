package io.prodigy.storage.migrate.prodigy;

import io.prodigy.storage.migrate.verify.RecordManifest;
import io.prodigy.storage.migrate.write.WriteResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The running totals of one import: counts per kind, what was skipped and why, conflicts, warnings, and the
 * manifest of records in the target. Every path it records is relative to the imported base directory.
 */
final class ImportCollector {

    private final Path base;
    private final boolean dryRun;
    private final Map<SourceKind, long[]> counts = new EnumMap<>(SourceKind.class);
    private final List<SkippedEntry> skipped = new ArrayList<>();
    private long skippedNotListed;
    private final List<String> conflicts = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<ResumeLockFinding> locks = new ArrayList<>();
    private final RecordManifest manifest;

    ImportCollector(Path base, boolean dryRun, RecordManifest manifest) {
        this.base = base;
        this.dryRun = dryRun;
        this.manifest = manifest;
    }

    RecordManifest manifest() {
        return manifest;
    }

    Path relative(Path file) {
        return file.startsWith(base) ? base.relativize(file) : file;
    }

    void read(SourceKind kind) {
        read(kind, 1);
    }

    void read(SourceKind kind, long n) {
        bucket(kind)[0] += n;
    }

    void imported(SourceKind kind, long n) {
        bucket(kind)[1] += n;
    }

    void present(SourceKind kind, long n) {
        bucket(kind)[2] += n;
    }

    /** Counts one skipped record of {@code kind} and lists it. */
    void skip(SourceKind kind, Path file, long line, String reason) {
        bucket(kind)[3]++;
        list(kind, file, line, reason);
    }

    /** Counts skipped records of {@code kind} without listing them (the rest of a conflicting event log). */
    void skippedUnlisted(SourceKind kind, long n) {
        bucket(kind)[3] += n;
    }

    /** Lists a skipped record that has already been counted (or is not a record, such as an unknown file). */
    void list(SourceKind kind, Path file, long line, String reason) {
        if (skipped.size() < ImportReport.MAX_LISTED) {
            skipped.add(new SkippedEntry(kind, relative(file), line, reason));
        } else {
            skippedNotListed++;
        }
    }

    /** Counts the outcome of writing one record read from {@code file}. */
    void written(SourceKind kind, WriteResult result, Path file) {
        switch (result.outcome()) {
            case CREATED, CONTINUED, UPDATED -> imported(kind, 1);
            case PRESENT -> present(kind, 1);
            case CONFLICT -> conflict(kind, result.key() + " (from " + relative(file) + "): " + result.detail(), file);
        }
    }

    /** Counts one skipped record that conflicts with the target and lists the conflict. */
    void conflict(SourceKind kind, String message, Path file) {
        conflicts.add(message);
        skip(kind, file, 0, "conflicts with the target: " + message);
    }

    /** Lists a conflict whose records are counted separately (an event log). */
    void conflictUncounted(SourceKind kind, String message, Path file) {
        conflicts.add(message);
        list(kind, file, 0, "conflicts with the target: " + message);
    }

    void warn(String warning) {
        warnings.add(warning);
    }

    void lock(ResumeLockFinding finding) {
        locks.add(finding);
    }

    private long[] bucket(SourceKind kind) {
        return counts.computeIfAbsent(kind, k -> new long[4]);
    }

    ImportReport build(String layout) {
        Map<SourceKind, Tally> tallies = new EnumMap<>(SourceKind.class);
        counts.forEach((k, c) -> tallies.put(k, new Tally(c[0], c[1], c[2], c[3])));
        return new ImportReport(base, dryRun, layout, tallies, skipped, skippedNotListed, conflicts, warnings, locks,
                manifest);
    }
}
