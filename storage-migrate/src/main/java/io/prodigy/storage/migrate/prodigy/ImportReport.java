package io.prodigy.storage.migrate.prodigy;

import io.prodigy.storage.migrate.verify.RecordManifest;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link ProdigyImporter#importTree} read, imported and skipped.
 *
 * @param base             the directory that was read
 * @param layout           {@code global} or {@code project-local (repository x)}
 * @param tallies          counts per kind of record (kinds with nothing found are absent)
 * @param skipped          what was not imported, with file and line; at most {@link #MAX_LISTED} entries
 * @param skippedNotListed skipped entries beyond that limit (still counted in the tallies)
 * @param conflicts        records the target already holds with different content (each also counted as skipped);
 *                         the target's version was left as it was
 * @param warnings         things imported, but worth a look (a job id that differs from its directory, …)
 * @param resumeLocks      every resume lock found; none is imported
 * @param manifest         every record the target now holds from this tree, with content hashes, for read-back
 *                         verification and for rolling back what this run created
 */
public record ImportReport(
        Path base, boolean dryRun, String layout, Map<SourceKind, Tally> tallies, List<SkippedEntry> skipped,
        long skippedNotListed, List<String> conflicts, List<String> warnings, List<ResumeLockFinding> resumeLocks,
        RecordManifest manifest) {

    public static final int MAX_LISTED = 1000;

    public ImportReport {
        tallies = Collections.unmodifiableMap(new EnumMap<>(tallies.isEmpty() ? new EnumMap<>(SourceKind.class)
                : tallies));
        skipped = List.copyOf(skipped);
        conflicts = List.copyOf(conflicts);
        warnings = List.copyOf(warnings);
        resumeLocks = List.copyOf(resumeLocks);
    }

    public Tally tally(SourceKind kind) {
        return tallies.getOrDefault(kind, Tally.ZERO);
    }

    public long totalRead() {
        return tallies.values().stream().mapToLong(Tally::read).sum();
    }

    public long totalImported() {
        return tallies.values().stream().mapToLong(Tally::imported).sum();
    }

    public long totalAlreadyPresent() {
        return tallies.values().stream().mapToLong(Tally::alreadyPresent).sum();
    }

    public long totalSkipped() {
        return tallies.values().stream().mapToLong(Tally::skipped).sum();
    }

    public boolean hasConflicts() {
        return !conflicts.isEmpty();
    }

    /** A table per kind, then every skipped entry (up to 50), conflicts, warnings and resume locks. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(dryRun ? "Import dry run of " : "Import of ").append(base).append(" (").append(layout).append(")");
        sb.append(String.format("%n  %-22s %9s %9s %9s %9s", "record type", "read", dryRun ? "would imp" : "imported",
                "present", "skipped"));
        tallies.forEach((kind, t) -> sb.append(String.format("%n  %-22s %9d %9d %9d %9d", kind.label(), t.read(),
                t.imported(), t.alreadyPresent(), t.skipped())));
        skipped.stream().limit(50).forEach(s -> sb.append("\n  skipped ").append(s));
        long more = skipped.size() - Math.min(50, skipped.size()) + skippedNotListed;
        if (more > 0) {
            sb.append("\n  … and ").append(more).append(" more skipped entries");
        }
        conflicts.forEach(c -> sb.append("\n  conflict: ").append(c));
        warnings.forEach(w -> sb.append("\n  warning: ").append(w));
        resumeLocks.forEach(l -> sb.append("\n  lock: ").append(l.describe()));
        return sb.toString();
    }
}
