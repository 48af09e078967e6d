package io.prodigy.storage.migrate.verify;

import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Incremental checksum of one job's event log, fed in sequence order: SHA-256 over the canonical content of each
 * event including its sequence. Two logs have the same digest exactly when they hold the same events at the same
 * sequences. Not thread-safe.
 */
public final class EventDigest {

    private final MessageDigest digest = CanonicalJson.newDigest();
    private long count;
    private long lastSequence;
    private String finished;

    public void add(EventRecord e) {
        add(e.sequence(), RecordDigests.canonical(RecordDigests.content(e)));
    }

    public void add(long sequence, NewEvent e) {
        add(sequence, RecordDigests.canonical(RecordDigests.content(sequence, e)));
    }

    private void add(long sequence, String canonical) {
        if (finished != null) {
            throw new IllegalStateException("digest already finished");
        }
        digest.update(canonical.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
        count++;
        lastSequence = Math.max(lastSequence, sequence);
    }

    public long count() {
        return count;
    }

    /** Highest sequence added (0 if none). */
    public long lastSequence() {
        return lastSequence;
    }

    /** The checksum; no more events may be added afterwards. */
    public String checksum() {
        if (finished == null) {
            finished = HexFormat.of().formatHex(digest.digest());
        }
        return finished;
    }
}
