package io.prodigy.storage.file.lock;

import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.file.io.JsonFiles;
import io.prodigy.storage.file.io.NoLinks;
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
 * {@link LeaseRecord}, stored as {@link LockFile} describes). Every change is a read-check-write under the guard of
 * {@code locks/}, written durably as one in-place slot write (old or new content, never a mix, for lock-free readers
 * and after a crash); the file is never deleted, so tokens only grow, across restarts too.
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

    /** Reads a lease file without a lock; empty if absent; a corrupt one is reported with what to do. */
    static Optional<LeaseRecord> readLease(Path file) {
        Optional<LockFile.Content> content;
        try {
            content = LockFile.read(file, false);
        } catch (CorruptionException e) {
            throw corrupt(file, e);
        }
        return content.map(c -> lease(file, c));
    }

    /** The lease in a lock file's content; a corrupt one is reported with what to do. */
    private static LeaseRecord lease(Path file, LockFile.Content content) {
        try {
            LeaseRecord rec = JsonFiles.parse(content.json(), content.json().length, file, LeaseRecord.class, "lock");
            if (rec.key() == null || rec.fencingToken() <= 0) {
                throw new CorruptionException("missing key or fencing token");
            }
            return rec;
        } catch (CorruptionException e) {
            throw corrupt(file, e);
        }
    }

    private static CorruptionException corrupt(Path file, CorruptionException e) {
        String detail = e.getCause() != null && e.getCause().getMessage() != null
                ? e.getCause().getMessage().lines().findFirst().orElse("") : e.getMessage();
        return new CorruptionException("The lock file '" + file + "' is corrupt (" + detail + ")."
                + " Its lease and fencing token cannot be trusted, so the lock (and writes fenced by it) is"
                + " refused. Do not delete the file: fencing tokens would restart at 1 and a stale holder's"
                + " writes would pass. Once no process uses this lock, repair it with 'prodigy-storage locks"
                + " release " + keyOf(file) + " --force' (LockService.forceRelease): the repaired lock is"
                + " released and its next fencing token is above any token that may have been granted.", e);
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

    /**
     * {@inheritDoc} Under the guard of {@code locks/}, so the only writer of the file in any process: one read of the
     * file and, for a change, one in-place slot write and {@code fdatasync} ({@link LockFile}), durable before the call
     * returns, releases included.
     */
    @Override
    protected <T> T update(String key, Step<T> step) {
        Path file = layout.lockFile(key);
        return ctx.guarded(layout.locksDir(), "changing lock '" + key + "'", () -> {
            Instant now = now();
            try (LockFile.Update update = openForUpdate(file)) {
                LeaseRecord before = update.content().map(c -> lease(file, c)).orElse(null);
                boolean live = before != null && live(before, now);
                Change<T> change = step.apply(before == null ? null : before.state(), live, now);
                LeaseState after = change.write();
                if (after != null) {
                    if (before != null && !live && before.held() && now.isBefore(before.expiresAt())
                            && after.token() > before.fencingToken()) {
                        LOG.info("Taking over lock '{}' from {}: that process is gone.", key, before.owner());
                    }
                    update.write(JsonFiles.toBytes(LeaseRecord.of(after, before, now)));
                }
                return change.result();
            }
        });
    }

    /** {@link LockFile#openForUpdate}, its damage reported with what to do. */
    private static LockFile.Update openForUpdate(Path file) throws IOException {
        try {
            return LockFile.openForUpdate(file);
        } catch (CorruptionException e) {
            throw corrupt(file, e);
        }
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
                NoLinks.check(file);
                LockFile.create(file, JsonFiles.toBytes(LeaseRecord.of(LeaseState.repaired(key, token), null, now)));
                LOG.warn("Repaired the corrupt lock file '{}': it is now released with fencing token {} revoked,"
                        + " above any token that may have been granted, so a stale holder's fenced writes are still"
                        + " rejected. It was: {}", file, token, e.getMessage());
                return null;
            }
        });
    }
}
