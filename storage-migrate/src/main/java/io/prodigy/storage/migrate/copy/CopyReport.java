package io.prodigy.storage.migrate.copy;

import io.prodigy.storage.migrate.RecordType;
import io.prodigy.storage.migrate.verify.VerificationReport;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The result of {@link StorageMigrator#copy}.
 *
 * @param counts       per record type
 * @param conflicts    records the target holds with different content, and why
 * @param warnings     things to know (copy forced despite live leases, …)
 * @param verification the comparison after the copy, or {@code null} for a dry run or with verification off
 */
public record CopyReport(
        boolean dryRun, Map<RecordType, TypeCounts> counts, List<String> conflicts, List<String> warnings,
        VerificationReport verification) {

    public CopyReport {
        counts = Collections.unmodifiableMap(new EnumMap<>(counts));
        conflicts = List.copyOf(conflicts);
        warnings = List.copyOf(warnings);
    }

    public TypeCounts counts(RecordType type) {
        return counts.getOrDefault(type, new TypeCounts(0, 0, 0, 0, 0));
    }

    /** Whether everything was copied (or would be) without conflicts and, if verified, verified. */
    public boolean ok() {
        return conflicts.isEmpty() && (verification == null || verification.ok());
    }

    public String summary() {
        StringBuilder sb = new StringBuilder(dryRun ? "Copy dry run" : "Copy");
        sb.append(String.format("%n  %-20s %10s %10s %10s %10s %12s", "record type", "source",
                dryRun ? "would copy" : "copied", "present", "conflicts", "bytes"));
        counts.forEach((type, c) -> sb.append(String.format("%n  %-20s %10d %10d %10d %10d %12d",
                type.name().toLowerCase(java.util.Locale.ROOT), c.total(), c.copied(), c.alreadyPresent(),
                c.conflicts(), c.bytes())));
        conflicts.stream().limit(20).forEach(c -> sb.append("\n  conflict: ").append(c));
        if (conflicts.size() > 20) {
            sb.append("\n  … and ").append(conflicts.size() - 20).append(" more conflicts");
        }
        warnings.forEach(w -> sb.append("\n  warning: ").append(w));
        if (verification != null) {
            sb.append('\n').append(verification.summary());
        }
        return sb.toString();
    }
}
