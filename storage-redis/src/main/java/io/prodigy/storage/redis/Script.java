package io.prodigy.storage.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts, each {@code lua/prelude.lua} followed by {@code lua/<name>.lua}, except the grant of a lock (on
 * every lock user's hot path), which runs alone: the prelude defines its helpers again on every call, which costs the server about
 * as much as a command (docs/perf.md). A script runs with
 * {@code EVALSHA} by its SHA-1, computed here; a server that does not know it yet ({@code NOSCRIPT}, also after a
 * restart or {@code SCRIPT FLUSH}) gets it with {@code SCRIPT LOAD} and the call is sent again, which is safe because
 * the server ran nothing.
 */
enum Script {
    REC_SAVE, REC_DELETE, SES_STATE,
    EV_APPEND, EV_PURGE, EV_DELETE, EV_STATS,
    DLQ_READ, DLQ_WRITE, DLQ_SETTLE, DLQ_CLAIM, DLQ_PURGE,
    LOCK_GRANT(false), LOCK_EXTEND, LOCK_FORCE, LOCK_READ,
    WF_EXEC,
    CP_LATEST, CP_PRUNE;

    private final String source;
    private final String sha;

    private final byte[] shaBytes;

    Script() {
        this(true);
    }

    Script(boolean prelude) {
        this.source = (prelude ? read("prelude") : "") + read(name().toLowerCase(java.util.Locale.ROOT));
        this.sha = sha1(source);
        this.shaBytes = sha.getBytes(StandardCharsets.US_ASCII);
    }

    String source() {
        return source;
    }

    String sha() {
        return sha;
    }

    /** {@link #sha()} encoded once, for the calls that pass raw bytes. */
    byte[] shaBytes() {
        return shaBytes;
    }

    private static String read(String name) {
        String path = "lua/" + name + ".lua";
        try (InputStream in = Script.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Lua script " + path + " is missing from the storage-redis jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }
}
