package io.prodigy.storage.file.event;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * A job log's cached view of its active segment. Valid only while holding the job's commit lock and guard, and only
 * after {@link JobLog#ensureActive()} confirmed it against the disk.
 */
final class ActiveSegment {

    /** {@code null}: the job has no active segment; the next write creates one after {@link #lastSeq}. */
    SegmentFile seg;
    FileChannel ch;
    SegmentIndexes.Key key;
    /** The committed end of the segment (its size once a torn tail is removed). */
    long size;
    /** The file's size as this writer last saw it: past {@link #size}, the preallocated zero-filled tail. */
    long allocated;
    /** Growing the zero-filled tail failed (a full disk): this segment is appended to without it. */
    boolean preallocationFailed;
    /** The highest sequence assigned so far (the floor when there is no active segment). */
    long lastSeq;

    static ActiveSegment none(long floor) {
        ActiveSegment a = new ActiveSegment();
        a.lastSeq = floor;
        return a;
    }

    /** Forgets the segment (after sealing it); keeps the sequence floor. */
    void detach() {
        closeQuietly();
        seg = null;
        ch = null;
        key = null;
        size = 0;
        allocated = 0;
        preallocationFailed = false;
    }

    void closeQuietly() {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing buffered: every write was forced
            }
        }
    }
}
