package io.prodigy.storage.migrate.verify;

import io.prodigy.storage.migrate.RecordType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Collects rows, mismatches (bounded) and notes while a verifier walks both sides. */
final class ReportBuilder {

    private final List<ChecksumRow> rows = new ArrayList<>();
    private final List<Mismatch> mismatches = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private long unlisted;

    /** Compares one group: every expected key must be in {@code actual} with the same hash. */
    void compare(RecordType type, String group, DigestSet expected, DigestSet actual) {
        long found = 0;
        for (Map.Entry<String, String> e : expected.entries().entrySet()) {
            String actualHash = actual.get(e.getKey());
            if (actualHash == null) {
                mismatch(type, group, e.getKey(), "missing in the target");
            } else {
                found++;
                if (!actualHash.equals(e.getValue())) {
                    mismatch(type, group, e.getKey(), "content differs (expected sha256 " + abbreviate(e.getValue())
                            + ", target has " + abbreviate(actualHash) + ")");
                }
            }
        }
        long targetOnly = actual.entries().keySet().stream().filter(k -> expected.get(k) == null).count();
        rows.add(new ChecksumRow(type, group, expected.size(), found, targetOnly, expected.checksum(),
                actual.checksumOver(expected.entries().keySet())));
    }

    void eventRow(String group, long expectedCount, String expectedChecksum, EventDigest actual) {
        rows.add(new ChecksumRow(RecordType.EVENT, group, expectedCount, actual.count(), 0, expectedChecksum,
                actual.checksum()));
    }

    /** A group only the target has: {@code count} records, none expected. */
    void targetOnly(RecordType type, String group, long count) {
        String none = new DigestSet().checksum();
        rows.add(new ChecksumRow(type, group, 0, 0, count, none, none));
    }

    void mismatch(RecordType type, String group, String key, String problem) {
        if (mismatches.size() < VerificationReport.MAX_LISTED) {
            mismatches.add(new Mismatch(type, group, key, problem));
        } else {
            unlisted++;
        }
    }

    void note(String note) {
        notes.add(note);
    }

    VerificationReport build() {
        if (unlisted > 0) {
            notes.add(unlisted + " more mismatches are not listed");
        }
        return new VerificationReport(rows, mismatches, notes);
    }

    static String abbreviate(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) : hash;
    }
}
