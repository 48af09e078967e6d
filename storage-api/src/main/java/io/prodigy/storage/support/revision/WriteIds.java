package io.prodigy.storage.support.revision;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Write ids of versioned records: 128 random bits as 32 hex digits. Each new version a caller builds gets a fresh one
 * (a new intended write); the retry layer re-sends the same object, so a retry carries the same id, and
 * {@link Revisions} recognises it. Random, not secure: the id only has to differ between writes, nobody guesses it.
 */
public final class WriteIds {

    private WriteIds() {}

    /** A fresh write id. */
    public static String next() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return hex(r.nextLong()) + hex(r.nextLong());
    }

    private static String hex(long v) {
        String s = Long.toHexString(v);
        return "0".repeat(16 - s.length()) + s;
    }
}
