package io.prodigy.storage.cli.migrate;

import io.prodigy.storage.cli.output.Output;
import io.prodigy.storage.cli.output.Table;
import io.prodigy.storage.dashboard.text.Formats;
import io.prodigy.storage.migrate.RecordType;
import io.prodigy.storage.migrate.copy.CopyReport;
import io.prodigy.storage.migrate.copy.FollowPass;
import io.prodigy.storage.migrate.copy.FollowReport;
import io.prodigy.storage.migrate.copy.TypeCounts;
import io.prodigy.storage.migrate.prodigy.ImportReport;
import io.prodigy.storage.migrate.prodigy.ResumeLockFinding;
import io.prodigy.storage.migrate.prodigy.SkippedEntry;
import io.prodigy.storage.migrate.prodigy.Tally;
import io.prodigy.storage.migrate.verify.VerificationReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The per-type reports every migrate command ends with: what was read, written, skipped and verified, as a table or
 * as JSON (records with snake_case names; the reports' full manifests are not printed).
 */
final class MigrationOutput {

    /** How many skipped entries and mismatches are listed (all are counted). */
    static final int LISTED = 50;

    private MigrationOutput() {}

    // ---- import (also legacy, which imports) ----

    static void printImport(Output out, ImportReport r) {
        Table t = Table.of("  RECORD TYPE", "READ", r.dryRun() ? "WOULD IMPORT" : "IMPORTED", "ALREADY THERE",
                "SKIPPED").alignRight(1, 2, 3, 4);
        r.tallies().forEach((kind, tally) -> t.row("  " + kind.label(), tally.read(), tally.imported(),
                tally.alreadyPresent(), tally.skipped()));
        t.row("  total", r.totalRead(), r.totalImported(), r.totalAlreadyPresent(), r.totalSkipped());
        t.print(out.out());
        r.skipped().stream().limit(LISTED).forEach(s -> out.line("  skipped %s", s));
        long more = r.skipped().size() - Math.min(LISTED, r.skipped().size()) + r.skippedNotListed();
        if (more > 0) {
            out.line("  ... and %d more skipped entries", more);
        }
        r.conflicts().forEach(c -> out.line("  conflict: %s", c));
        r.warnings().forEach(w -> out.line("  warning: %s", w));
        r.resumeLocks().forEach(l -> out.line("  resume lock (not imported): %s", l.describe()));
    }

    static Map<String, Object> importJson(ImportReport r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("base", r.base().toString());
        doc.put("dry_run", r.dryRun());
        doc.put("layout", r.layout());
        List<Map<String, Object>> types = new ArrayList<>();
        r.tallies().forEach((kind, tally) -> types.add(tallyJson(kind.label(), tally)));
        doc.put("types", types);
        doc.put("read", r.totalRead());
        doc.put("imported", r.totalImported());
        doc.put("already_present", r.totalAlreadyPresent());
        doc.put("skipped", r.totalSkipped());
        doc.put("skipped_entries", r.skipped().stream().limit(LISTED).map(MigrationOutput::skippedJson).toList());
        doc.put("conflicts", r.conflicts());
        doc.put("warnings", r.warnings());
        doc.put("resume_locks", r.resumeLocks().stream().map(ResumeLockFinding::describe).toList());
        return doc;
    }

    private static Map<String, Object> tallyJson(String type, Tally t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("read", t.read());
        m.put("imported", t.imported());
        m.put("already_present", t.alreadyPresent());
        m.put("skipped", t.skipped());
        return m;
    }

    private static Map<String, Object> skippedJson(SkippedEntry s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", s.kind().label());
        m.put("file", s.file().toString());
        if (s.line() > 0) {
            m.put("line", s.line());
        }
        m.put("reason", s.reason());
        return m;
    }

    // ---- copy ----

    static void printCopy(Output out, CopyReport r) {
        Map<RecordType, long[]> verified = r.verification() == null ? Map.of() : r.verification().totals();
        Table t = Table.of("  RECORD TYPE", "SOURCE", r.dryRun() ? "WOULD COPY" : "COPIED", "ALREADY THERE",
                "CONFLICTS", "BYTES", "VERIFIED").alignRight(1, 2, 3, 4, 5, 6);
        r.counts().forEach((type, c) -> {
            long[] v = verified.get(type);
            t.row("  " + label(type), c.total(), c.copied(), c.alreadyPresent(), c.conflicts(),
                    Formats.bytes(c.bytes()), v == null ? "-" : v[1] + "/" + v[0]);
        });
        t.print(out.out());
        r.conflicts().stream().limit(LISTED).forEach(c -> out.line("  conflict: %s", c));
        r.warnings().forEach(w -> out.line("  warning: %s", w));
    }

    static Map<String, Object> copyJson(CopyReport r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("dry_run", r.dryRun());
        doc.put("ok", r.ok());
        List<Map<String, Object>> types = new ArrayList<>();
        r.counts().forEach((type, c) -> types.add(countsJson(type, c)));
        doc.put("types", types);
        doc.put("conflicts", r.conflicts());
        doc.put("warnings", r.warnings());
        if (r.verification() != null) {
            doc.put("verification", verificationJson(r.verification()));
        }
        return doc;
    }

    private static Map<String, Object> countsJson(RecordType type, TypeCounts c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", label(type));
        m.put("source", c.total());
        m.put("copied", c.copied());
        m.put("already_present", c.alreadyPresent());
        m.put("conflicts", c.conflicts());
        m.put("bytes", c.bytes());
        return m;
    }

    // ---- copy --follow ----

    static void printFollow(Output out, FollowReport r) {
        out.line("Bulk copy:");
        printCopy(out, r.bulk());
        out.line("Followed the source (stopped: %s):", r.stopReason());
        String row = "  %-40s %s";
        out.line(row, "passes after the bulk copy", r.passes().size());
        out.line(row, "events copied while following", r.eventsDuringFollow());
        out.line(row, "record changes copied while following", r.recordsDuringFollow());
        out.line(row, "catch-up lag, max", Formats.duration(r.maxLag()));
        out.line(row, "catch-up lag, last", Formats.duration(r.lastLag()));
        out.line(row, "cut-over", Formats.duration(r.cutover()) + " (" + r.passes().stream()
                .filter(FollowPass::cutover).count() + " catch-up pass(es) and verification)");
        r.conflicts().stream().limit(LISTED).forEach(c -> out.line("  conflict: %s", c));
        if (r.locksHeld()) {
            out.line("Locks held in the source at cut-over (not copied):");
            r.locksAtCutover().forEach(l -> out.line("  %s held by %s until %s", l.key(), l.holder(),
                    Formats.time(l.expiresAt())));
        } else {
            out.line("Locks held in the source at cut-over: none.");
        }
        if (r.claimsAtCutover() > 0) {
            out.line("DLQ items claimed in the source at cut-over: %d (copied unclaimed; claims are not copied)",
                    r.claimsAtCutover());
        }
        printVerification(out, r.verification());
        if (r.verification().targetOnly() > 0) {
            out.line("  the target holds %d record(s) the source does not", r.verification().targetOnly());
        }
    }

    static Map<String, Object> followJson(FollowReport r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("ok", r.ok());
        doc.put("bulk", copyJson(r.bulk()));
        doc.put("stop_reason", r.stopReason());
        doc.put("passes", r.passes().size());
        doc.put("events_during_follow", r.eventsDuringFollow());
        doc.put("records_during_follow", r.recordsDuringFollow());
        doc.put("max_lag_ms", r.maxLag().toMillis());
        doc.put("last_lag_ms", r.lastLag().toMillis());
        doc.put("cutover_ms", r.cutover().toMillis());
        doc.put("cutover_passes", r.passes().stream().filter(FollowPass::cutover).count());
        doc.put("locks_at_cutover", r.locksAtCutover().stream().map(l -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", l.key());
            m.put("holder", l.holder());
            m.put("expires_at", l.expiresAt().toString());
            return m;
        }).toList());
        doc.put("claims_at_cutover", r.claimsAtCutover());
        doc.put("conflicts", r.conflicts().stream().limit(LISTED).toList());
        Map<String, Object> verification = verificationJson(r.verification());
        verification.put("target_only", r.verification().targetOnly());
        verification.put("mirrors", r.verification().mirrors());
        doc.put("verification", verification);
        return doc;
    }

    // ---- verification ----

    static void printVerification(Output out, VerificationReport v) {
        out.line("Verification %s (read back from the target):", v.ok() ? "passed" : "FAILED");
        Table t = Table.of("  RECORD TYPE", "EXPECTED", "FOUND IDENTICAL").alignRight(1, 2);
        v.totals().forEach((type, counts) -> t.row("  " + label(type), counts[0], counts[1]));
        t.print(out.out());
        v.mismatches().stream().limit(LISTED).forEach(m -> out.line("  mismatch: %s", m));
        v.notes().forEach(n -> out.line("  note: %s", n));
    }

    static Map<String, Object> verificationJson(VerificationReport v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", v.ok());
        List<Map<String, Object>> types = new ArrayList<>();
        v.totals().forEach((type, counts) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("type", label(type));
            row.put("expected", counts[0]);
            row.put("found", counts[1]);
            types.add(row);
        });
        m.put("types", types);
        m.put("mismatch_count", v.mismatchCount());
        m.put("mismatches", v.mismatches().stream().limit(LISTED).map(Object::toString).toList());
        m.put("notes", v.notes());
        return m;
    }

    static String label(RecordType type) {
        return type.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
