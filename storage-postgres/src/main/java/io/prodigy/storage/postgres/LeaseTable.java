package io.prodigy.storage.postgres;

import io.prodigy.storage.lock.LockLease;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The lease primitive: each lock operation is one SQL statement over the {@code locks} table, judged against the
 * store's "now" ({@link Db#NOW}), so each is atomic and needs one round trip. Rows are never deleted: {@code token}
 * is the highest fencing token ever granted for the key and {@code holder IS NULL} means free.
 *
 * <ul>
 *   <li>grant: {@code INSERT … ON CONFLICT (key) DO UPDATE … token = token + 1 WHERE holder IS NULL OR expires_at
 *   <= now} (ShedLock's server-time statement, plus the token);</li>
 *   <li>extend: {@code UPDATE … WHERE holder = ? AND token = ? AND expires_at > now};</li>
 *   <li>release: {@code UPDATE … SET holder = NULL WHERE holder = ? AND token = ?} (a lapsed lease nobody took over
 *   is still ours to release);</li>
 *   <li>force-release: breaks the live lease and raises the token, so the broken holder's fences fail at once.</li>
 * </ul>
 */
final class LeaseTable {

    private static final String COLUMNS = "key, holder, owner, acquired_at, ttl_micros, expires_at, token";

    private final Db db;
    private final Tables t;

    LeaseTable(Db db, Tables t) {
        this.db = db;
        this.t = t;
    }

    /** A lease row as read, live or not. */
    record Row(LockLease lease, boolean live) {}

    Optional<LockLease> grant(String key, Duration ttl, String owner) {
        return db.write("acquiring lock '" + key + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("WITH n AS (SELECT " + Db.NOW + " AS now)"
                    + " INSERT INTO " + t.locks() + " AS l (" + COLUMNS + ")"
                    + " SELECT ?, ?, ?, n.now, ?, n.now + ? * interval '1 microsecond', 1 FROM n"
                    + " ON CONFLICT (key) DO UPDATE SET holder = EXCLUDED.holder, owner = EXCLUDED.owner,"
                    + " acquired_at = EXCLUDED.acquired_at, ttl_micros = EXCLUDED.ttl_micros,"
                    + " expires_at = EXCLUDED.expires_at, token = l.token + 1"
                    + " WHERE l.holder IS NULL OR l.expires_at <= EXCLUDED.acquired_at RETURNING " + COLUMNS)) {
                long micros = Micros.of(ttl);
                db.bindNow(ps, 1);
                ps.setString(2, key);
                ps.setString(3, UUID.randomUUID().toString());
                ps.setString(4, owner);
                ps.setLong(5, micros);
                ps.setLong(6, micros);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(lease(rs)) : Optional.<LockLease>empty();
                }
            }
        });
    }

    /** The extended lease, or empty if {@code lease} is not the live lease of its key. */
    Optional<LockLease> extend(LockLease lease, Duration ttl) {
        return db.write("extending lock '" + lease.key() + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("WITH n AS (SELECT " + Db.NOW + " AS now)"
                    + " UPDATE " + t.locks() + " l SET ttl_micros = ?, expires_at = n.now + ? * interval"
                    + " '1 microsecond' FROM n WHERE l.key = ? AND l.holder = ? AND l.token = ?"
                    + " AND l.expires_at > n.now RETURNING " + qualified())) {
                long micros = Micros.of(ttl);
                db.bindNow(ps, 1);
                ps.setLong(2, micros);
                ps.setLong(3, micros);
                ps.setString(4, lease.key());
                ps.setString(5, lease.holder());
                ps.setLong(6, lease.fencingToken());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(lease(rs)) : Optional.<LockLease>empty();
                }
            }
        });
    }

    /** Whether {@code lease} was the key's lease (live, or lapsed without a takeover) and is now released. */
    boolean release(LockLease lease) {
        return db.write("releasing lock '" + lease.key() + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.locks() + " SET holder = NULL"
                    + " WHERE key = ? AND holder = ? AND token = ?")) {
                ps.setString(1, lease.key());
                ps.setString(2, lease.holder());
                ps.setLong(3, lease.fencingToken());
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** Breaks whatever lease holds {@code key} and raises its token; returns the broken lease if it was live. */
    Optional<LockLease> forceRelease(String key) {
        return db.write("force-releasing lock '" + key + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("WITH n AS (SELECT " + Db.NOW + " AS now),"
                    + " old AS (SELECT " + COLUMNS + " FROM " + t.locks() + " WHERE key = ? AND holder IS NOT NULL"
                    + " FOR UPDATE)"
                    + " UPDATE " + t.locks() + " l SET holder = NULL, token = l.token + 1 FROM old, n"
                    + " WHERE l.key = old.key RETURNING old.key, old.holder, old.owner, old.acquired_at,"
                    + " old.ttl_micros, old.expires_at, old.token, old.expires_at > n.now AS live")) {
                db.bindNow(ps, 1);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getBoolean("live") ? Optional.of(lease(rs)) : Optional.<LockLease>empty();
                }
            }
        });
    }

    /** The key's row, if it has a holder (live or lapsed). */
    Optional<Row> read(String key) {
        return db.read("reading lock '" + key + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", expires_at > " + Db.NOW
                    + " AS live FROM " + t.locks() + " WHERE key = ? AND holder IS NOT NULL")) {
                db.bindNow(ps, 1);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Row(lease(rs), rs.getBoolean("live")))
                            : Optional.<Row>empty();
                }
            }
        });
    }

    /** The highest token ever granted for {@code key}, 0 if none. */
    long highestToken(String key) {
        return db.read("reading the fencing token of lock '" + key + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT token FROM " + t.locks() + " WHERE key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    /** Live leases, ordered by key. */
    List<LockLease> listLive() {
        return db.read("listing locks", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + t.locks()
                    + " WHERE holder IS NOT NULL AND expires_at > " + Db.NOW + " ORDER BY key")) {
                db.bindNow(ps, 1);
                List<LockLease> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(lease(rs));
                    }
                }
                return out;
            }
        });
    }

    /** Number of live leases (for health). */
    long liveCount() {
        return db.read("counting locks", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + t.locks()
                    + " WHERE holder IS NOT NULL AND expires_at > " + Db.NOW)) {
                db.bindNow(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static String qualified() {
        return "l." + COLUMNS.replace(", ", ", l.");
    }

    private static LockLease lease(ResultSet rs) throws SQLException {
        return new LockLease(rs.getString("key"), rs.getString("holder"), rs.getString("owner"),
                Rows.instant(rs, "acquired_at"), Duration.of(rs.getLong("ttl_micros"), ChronoUnit.MICROS),
                Rows.instant(rs, "expires_at"), rs.getLong("token"));
    }
}
