package io.prodigy.storage.migrate.verify;

import io.prodigy.storage.migrate.RecordType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The result of comparing a migration's target with its source: one {@link ChecksumRow} per record type and group,
 * every differing record, and notes that are not errors (records only in the target).
 */
public record VerificationReport(List<ChecksumRow> rows, List<Mismatch> mismatches, List<String> notes) {

    /** At most this many mismatches are kept; {@link #mismatchCount()} counts all. */
    public static final int MAX_LISTED = 200;

    public VerificationReport {
        rows = List.copyOf(rows);
        mismatches = List.copyOf(mismatches);
        notes = List.copyOf(notes);
    }

    /** Whether every source record is in the target, identical. */
    public boolean ok() {
        return mismatches.isEmpty() && rows.stream().allMatch(ChecksumRow::matches);
    }

    /** Records the target holds that the source does not (not a failure of {@link #ok()}). */
    public long targetOnly() {
        return rows.stream().mapToLong(ChecksumRow::targetOnly).sum();
    }

    /**
     * Whether the target holds exactly the source's records: {@link #ok()} and nothing else. What a live migration's
     * cut-over requires, since records deleted in the source must be gone from the target too.
     */
    public boolean mirrors() {
        return ok() && targetOnly() == 0;
    }

    public long mismatchCount() {
        return Math.max(mismatches.size(), rows.stream().filter(r -> !r.matches()).count());
    }

    /** Expected and found record counts per type, summed over groups. */
    public Map<RecordType, long[]> totals() {
        Map<RecordType, long[]> totals = new EnumMap<>(RecordType.class);
        for (ChecksumRow row : rows) {
            long[] t = totals.computeIfAbsent(row.type(), k -> new long[2]);
            t[0] += row.expectedCount();
            t[1] += row.actualCount();
        }
        return totals;
    }

    /** A few lines for humans: totals per type, then the first mismatches. */
    public String summary() {
        StringBuilder sb = new StringBuilder(ok() ? "Verification passed" : "Verification FAILED");
        totals().forEach((type, t) -> sb.append("\n  ").append(type.name().toLowerCase(java.util.Locale.ROOT))
                .append(": ").append(t[1]).append(" of ").append(t[0]).append(" match"));
        mismatches.stream().limit(20).forEach(m -> sb.append("\n  mismatch: ").append(m));
        if (mismatches.size() > 20) {
            sb.append("\n  … and ").append(mismatches.size() - 20).append(" more mismatches");
        }
        notes.forEach(n -> sb.append("\n  note: ").append(n));
        return sb.toString();
    }
}
