package io.prodigy.storage.file.lock;

import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.LockNotHeldException;
import io.prodigy.storage.error.LockTimeoutException;
import io.prodigy.storage.file.io.JsonFiles;
import io.prodigy.storage.file.io.StoreContext;
import io.prodigy.storage.file.layout.StorageLayout;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.lock.LockService;
import io.prodigy.storage.support.ChangeNotifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases in {@code locks/{key}.lock} (see {@link LeaseRecord}). Every change is a read-check-write under the guard of
 * {@code locks/}, written atomically. A lease is live until its {@code expires_at} (the store's clock) unless its
 * holder process is known dead on this host; then anyone may take the key over. Each grant stores the previous token
 * plus one, and the file is never deleted, so tokens only grow.
 */
public final class FileLockService implements LockService {

    private static final Logger LOG = LoggerFactory.getLogger(FileLockService.class);
    private static final Duration MAX_BACKOFF = Duration.ofMillis(100);

    private final StoreContext ctx;
    private final StorageLayout layout;
    private final ChangeNotifier releases = new ChangeNotifier();

    public FileLockService(StoreContext ctx) {
        this.ctx = ctx;
        this.layout = ctx.layout();
    }

    /** Reads a lease file; empty if absent; a corrupt one is reported with what to do. */
    static Optional<LeaseRecord> readLease(Path file) {
        try {
            Optional<LeaseRecord> rec = JsonFiles.read(file, LeaseRecord.class, "lock");
            if (rec.isPresent() && (rec.get().key() == null || rec.get().fencingToken() < 0)) {
                throw new CorruptionException("missing key or negative fencing token");
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
        return name.endsWith(".lock") ? name.substring(0, name.length() - ".lock".length()) : name;
    }

    private static final Pattern TOKEN = Pattern.compile("\"fencing_token\"\\s*:\\s*(\\d{1,18})");

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

    private static void checkTtl(Duration ttl) {
        if (ttl == null || ttl.compareTo(MIN_TTL) < 0) {
            throw new InvalidInputException("Lock TTL " + ttl + " is too short: use at least " + MIN_TTL.toMillis()
                    + " ms.");
        }
    }

    private boolean live(LeaseRecord rec, Instant now) {
        return rec.held() && now.isBefore(rec.expiresAt()) && !ProcessIdentity.holderDeadOnThisHost(rec);
    }

    @Override
    public Optional<LockLease> tryAcquire(String key, Duration ttl) {
        Ids.check("lock key", key);
        checkTtl(ttl);
        Path file = layout.lockFile(key);
        return ctx.guarded(layout.locksDir(), "acquiring lock '" + key + "'", () -> {
            Instant now = ctx.now();
            Optional<LeaseRecord> current = readLease(file);
            if (current.isPresent() && live(current.get(), now)) {
                return Optional.empty();
            }
            if (current.isPresent() && current.get().held() && now.isBefore(current.get().expiresAt())) {
                LOG.info("Taking over lock '{}' from {}: that process is gone.", key, current.get().owner());
            }
            long token = current.map(LeaseRecord::fencingToken).orElse(0L) + 1;
            LeaseRecord granted = new LeaseRecord(key, token, UUID.randomUUID().toString(), ProcessIdentity.owner(),
                    ProcessIdentity.PID, ProcessIdentity.HOST, ProcessIdentity.STARTED_AT, now, ttl, now.plus(ttl),
                    null);
            JsonFiles.write(file, granted, "lock");
            return Optional.of(granted.toLease());
        });
    }

    @Override
    public LockLease acquire(String key, Duration ttl, Duration maxWait) {
        long deadline = System.nanoTime() + (maxWait == null ? 0 : Math.max(0, maxWait.toNanos()));
        Duration backoff = Duration.ofMillis(5);
        while (true) {
            long seen = releases.version();
            Optional<LockLease> lease = tryAcquire(key, ttl);
            if (lease.isPresent()) {
                return lease.get();
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                String holder = describeHolder(key);
                throw new LockTimeoutException(key, maxWait, holder);
            }
            try {
                releases.awaitChange(seen, Duration.ofNanos(Math.min(remaining, backoff.toNanos())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LockTimeoutException(key, maxWait, describeHolder(key) + " (interrupted while waiting)");
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private String describeHolder(String key) {
        try {
            return readLease(layout.lockFile(key)).filter(LeaseRecord::held)
                    .map(r -> r.owner() + " since " + r.acquiredAt() + ", expires " + r.expiresAt())
                    .orElse("another holder");
        } catch (RuntimeException e) {
            return "an unknown holder (" + e.getMessage() + ")";
        }
    }

    @Override
    public LockLease extend(LockLease lease, Duration ttl) {
        checkTtl(ttl);
        Path file = layout.lockFile(lease.key());
        return ctx.guarded(layout.locksDir(), "extending lock '" + lease.key() + "'", () -> {
            Instant now = ctx.now();
            LeaseRecord current = readLease(file).orElse(null);
            if (current == null || !lease.holder().equals(current.holder())
                    || current.fencingToken() != lease.fencingToken()) {
                throw new LockNotHeldException(lease.key(), notHeldDetail(current));
            }
            if (!now.isBefore(current.expiresAt())) {
                throw new LockNotHeldException(lease.key(), "the lease expired at " + current.expiresAt());
            }
            LeaseRecord extended = current.extended(ttl, now);
            JsonFiles.write(file, extended, "lock");
            return extended.toLease();
        });
    }

    private static String notHeldDetail(LeaseRecord current) {
        if (current == null) {
            return "no lease was ever granted for it";
        }
        if (current.holder() == null) {
            return "it was released (current fencing token " + current.fencingToken() + ")";
        }
        return "it is now held by " + current.owner() + " with fencing token " + current.fencingToken();
    }

    @Override
    public void release(LockLease lease) {
        Path file = layout.lockFile(lease.key());
        ctx.guarded(layout.locksDir(), "releasing lock '" + lease.key() + "'", () -> {
            LeaseRecord current = readLease(file).orElse(null);
            if (current == null || !lease.holder().equals(current.holder())
                    || current.fencingToken() != lease.fencingToken()) {
                throw new LockNotHeldException(lease.key(), notHeldDetail(current));
            }
            JsonFiles.write(file, current.released(ctx.now()), "lock");
            return null;
        });
        releases.signal();
    }

    @Override
    public Optional<LockLease> current(String key) {
        Ids.check("lock key", key);
        ctx.checkOpen();
        Instant now = ctx.now();
        return readLease(layout.lockFile(key)).filter(r -> live(r, now)).map(LeaseRecord::toLease);
    }

    @Override
    public List<LockLease> list() {
        ctx.checkOpen();
        Instant now = ctx.now();
        List<LockLease> out = new ArrayList<>();
        for (Path file : JsonFiles.list(layout.locksDir(), ".lock")) {
            try {
                readLease(file).filter(r -> live(r, now)).map(LeaseRecord::toLease).ifPresent(out::add);
            } catch (CorruptionException e) {
                LOG.warn("Skipping {}", e.getMessage());
            }
        }
        out.sort(Comparator.comparing(LockLease::key));
        return out;
    }

    @Override
    public Optional<LockLease> forceRelease(String key) {
        Ids.check("lock key", key);
        Path file = layout.lockFile(key);
        Optional<LockLease> broken = ctx.guarded(layout.locksDir(), "force-releasing lock '" + key + "'", () -> {
            Instant now = ctx.now();
            LeaseRecord current;
            try {
                current = readLease(file).orElse(null);
            } catch (CorruptionException e) {
                long token = repairedToken(file, now);
                JsonFiles.write(file, new LeaseRecord(key, token, null, null, null, null, null, null, null, null,
                        now), "lock");
                LOG.warn("Repaired the corrupt lock file '{}': it is now released with fencing token {}, above any"
                        + " token that may have been granted, so a stale holder's fenced writes are still rejected."
                        + " It was: {}", file, token, e.getMessage());
                return Optional.<LockLease>empty();
            }
            if (current == null || !live(current, now)) {
                return Optional.<LockLease>empty();
            }
            JsonFiles.write(file, current.released(now), "lock");
            LOG.warn("Force-released lock '{}' held by {} (fencing token {}).", key, current.owner(),
                    current.fencingToken());
            return Optional.of(current.toLease());
        });
        releases.signal();
        return broken;
    }
}
