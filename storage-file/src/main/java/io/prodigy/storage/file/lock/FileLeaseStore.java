package io.prodigy.storage.file.lock;

import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.file.io.AtomicFiles;
import io.prodigy.storage.file.io.JsonFiles;
import io.prodigy.storage.file.io.StoreContext;
import io.prodigy.storage.file.layout.StorageLayout;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.support.InstantRange;
import io.prodigy.storage.support.lease.AtomicLeaseStore;
import io.prodigy.storage.support.lease.LeaseLockService;
import io.prodigy.storage.support.lease.LeaseState;
import io.prodigy.storage.support.lease.LeaseStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file backend's lock rows, for {@link LeaseLockService}: one file {@code locks/{key}.lock} per key (see
 * {@link LeaseRecord}). Every change is a read-check-write under the guard of {@code locks/}, written atomically; the
 * file is never deleted, so tokens only grow, across restarts too.
 *
 * <p>Two rules of its own, over the shared algorithm:
 * <ul>
 *   <li><b>Dead holders.</b> A lease is live until its {@code expires_at} (the store's clock) unless its holder
 *       process is known dead on this host ({@link ProcessIdentity#holderDeadOnThisHost}); then anyone may take the
 *       key over at once.</li>
 *   <li><b>Repair.</b> A corrupt lock file refuses every step with a {@link CorruptionException} that says what to
 *       do, except {@link #forceRelease}, which rewrites it released and revoked with a token above any token the
 *       file may have granted ({@link #repairedToken}).</li>
 * </ul>
 */
public final class FileLeaseStore extends AtomicLeaseStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileLeaseStore.class);
    private static final String SUFFIX = ".lock";
    private static final Pattern TOKEN = Pattern.compile("\"fencing_token\"\\s*:\\s*(\\d{1,18})");

    private final StoreContext ctx;
    private final StorageLayout layout;

    public FileLeaseStore(StoreContext ctx) {
        this.ctx = ctx;
        this.layout = ctx.layout();
    }

    /** Reads a lease file; empty if absent; a corrupt one is reported with what to do. */
    static Optional<LeaseRecord> readLease(Path file) {
        return readLease(file, false);
    }

    /** {@link #readLease(Path)}; {@code dirChecked} inside {@link StoreContext#guarded} on {@code locks/}. */
    private static Optional<LeaseRecord> readLease(Path file, boolean dirChecked) {
        try {
            Optional<LeaseRecord> rec = dirChecked ? JsonFiles.readInCheckedDir(file, LeaseRecord.class, "lock")
                    : JsonFiles.read(file, LeaseRecord.class, "lock");
            if (rec.isPresent() && (rec.get().key() == null || rec.get().fencingToken() <= 0)) {
                throw new CorruptionException("missing key or fencing token");
            }
            return rec;
        } catch (CorruptionException e) {
            String detail = e.getCause() != null && e.getCause().getMessage() != null
                    ? e.getCause().getMessage().lines().findFirst().orElse("") : e.getMessage();
            throw new CorruptionException("The lock file '" + file + "' is corrupt (" + detail + ")."
                    + " Its lease and fencing token cannot be trusted, so the lock (and writes fenced by it) is"
                    + " refused. Do not delete the file: fencing tokens would restart at 1 and a stale holder's"
                    + " writes would pass. Once no process uses this lock, repair it with 'prodigy-storage locks"
                    + " release " + keyOf(file) + " --force' (LockService.forceRelease): the repaired lock is"
                    + " released and its next fencing token is above any token that may have been granted.", e);
        }
    }

    private static String keyOf(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name;
    }

    /**
     * The fencing token a repaired lock file continues from: above every token the damaged file may still show, and
     * at least the store clock in microseconds since the epoch. Each grant adds one to the previous token and takes
     * far longer than a microsecond (it is forced to disk), so no token granted before now can exceed that clock
     * reading, even if earlier repairs started from their own clock readings (as long as the clock does not go
     * back). Tokens therefore stay monotonic across a repair, whatever the damage.
     */
    static long repairedToken(Path file, Instant now) {
        long salvaged = 0;
        try {
            Matcher m = TOKEN.matcher(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            while (m.find()) {
                salvaged = Math.max(salvaged, Long.parseLong(m.group(1)));
            }
        } catch (IOException e) {
            // nothing salvageable: the clock floor alone
        }
        long micros = Math.multiplyExact(now.getEpochSecond(), 1_000_000L) + now.getNano() / 1000;
        return Math.max(salvaged, micros);
    }

    private static boolean live(LeaseRecord rec, Instant now) {
        return rec.held() && now.isBefore(rec.expiresAt()) && !ProcessIdentity.holderDeadOnThisHost(rec);
    }

    @Override
    public Instant now() {
        return InstantRange.normalize(ctx.now());
    }

    @Override
    protected <T> T update(String key, Step<T> step) {
        Path file = layout.lockFile(key);
        return ctx.guarded(layout.locksDir(), "changing lock '" + key + "'", () -> {
            Instant now = now();
            LeaseRecord before = readLease(file, true).orElse(null);
            boolean live = before != null && live(before, now);
            Change<T> change = step.apply(before == null ? null : before.state(), live, now);
            LeaseState after = change.write();
            if (after != null) {
                if (before != null && !live && before.held() && now.isBefore(before.expiresAt())
                        && after.token() > before.fencingToken()) {
                    LOG.info("Taking over lock '{}' from {}: that process is gone.", key, before.owner());
                }
                JsonFiles.writeInCheckedDir(file, LeaseRecord.of(after, before, now), "lock", durability(before, after));
            }
            return change.result();
        });
    }

    /**
     * How durable a lock file change must be. A plain release (the holder gone, the token and its revocation as they
     * were) may be undone by a crash: the file then shows the lease held again, by a process the crash killed, which
     * this host takes over at once ({@link ProcessIdentity#holderDeadOnThisHost}) and another host after the TTL,
     * exactly as if the holder had crashed before releasing. No token is lost, so none can be granted twice. Every
     * other change (a grant's new token, an extension, a revocation) is durable before the call returns.
     */
    private static AtomicFiles.Durability durability(LeaseRecord before, LeaseState after) {
        boolean plainRelease = before != null && after.holder() == null && after.token() == before.fencingToken()
                && after.revoked() == before.revoked();
        return plainRelease ? AtomicFiles.Durability.ROLLBACK_ON_CRASH : AtomicFiles.Durability.DURABLE;
    }

    @Override
    public Optional<LeaseState> read(String key) {
        return readLease(layout.lockFile(key)).map(LeaseRecord::state);
    }

    @Override
    public Optional<LeaseState> current(String key) {
        ctx.checkOpen();
        Instant now = now();
        return readLease(layout.lockFile(key)).filter(r -> live(r, now)).map(LeaseRecord::state);
    }

    /** Reads the lock files after {@code afterKey} in key order; a corrupt one is skipped with a warning. */
    @Override
    public List<LeaseState> list(String afterKey, int limit) {
        ctx.checkOpen();
        Instant now = now();
        List<String> keys = new ArrayList<>();
        for (Path file : JsonFiles.list(layout.locksDir(), SUFFIX)) {
            String key = keyOf(file);
            if (Ids.problem(key) == null && (afterKey == null || LeaseStore.KEY_ORDER.compare(key, afterKey) > 0)) {
                keys.add(key);
            }
        }
        keys.sort(LeaseStore.KEY_ORDER);
        List<LeaseState> out = new ArrayList<>();
        for (String key : keys) {
            try {
                Optional<LeaseRecord> rec = readLease(layout.lockFile(key)).filter(r -> live(r, now));
                if (rec.isPresent() && key.equals(rec.get().key())) {
                    out.add(rec.get().state());
                }
            } catch (CorruptionException e) {
                LOG.warn("Skipping {}", e.getMessage());
            }
            if (out.size() == limit) {
                break;
            }
        }
        return out;
    }

    /** {@inheritDoc} A corrupt lock file is repaired instead: released, revoked, above any token it granted. */
    @Override
    public Optional<LeaseState> forceRelease(String key) {
        try {
            return super.forceRelease(key);
        } catch (CorruptionException e) {
            repair(key);
            return Optional.empty();
        }
    }

    private void repair(String key) {
        Path file = layout.lockFile(key);
        ctx.guarded(layout.locksDir(), "repairing lock '" + key + "'", () -> {
            try {
                readLease(file);
                return null; // repaired meanwhile
            } catch (CorruptionException e) {
                Instant now = now();
                long token = repairedToken(file, now);
                JsonFiles.write(file, LeaseRecord.of(LeaseState.repaired(key, token), null, now), "lock");
                LOG.warn("Repaired the corrupt lock file '{}': it is now released with fencing token {} revoked,"
                        + " above any token that may have been granted, so a stale holder's fenced writes are still"
                        + " rejected. It was: {}", file, token, e.getMessage());
                return null;
            }
        });
    }
}
