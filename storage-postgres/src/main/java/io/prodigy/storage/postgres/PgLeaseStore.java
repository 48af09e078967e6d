package io.prodigy.storage.postgres;

import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.support.lease.LeaseGrant;
import io.prodigy.storage.support.lease.LeaseState;
import io.prodigy.storage.support.lease.LeaseStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lease primitive of the shared lock service ({@code LeaseLockService}): each step is one SQL statement over the
 * {@code locks} table, judged against the store's "now" ({@link Db#NOW}), so it is atomic and costs one round trip.
 * Rows are never deleted: {@code token} is the key's highest fencing token, {@code holder IS NULL} means free,
 * {@code revoked} that the last grant was force-released. No index covers a column that grants and releases change
 * (V003), so both are HOT updates: the row's new version stays on its page and no index gets a new entry.
 *
 * <ul>
 *   <li>grant: {@code INSERT … ON CONFLICT (key) DO UPDATE … token = token + 1 WHERE holder IS NULL OR expires_at
 *   <= now RETURNING token, acquired_at} (ShedLock's server-time statement, plus the token);</li>
 *   <li>extend: {@code UPDATE … WHERE holder = ? AND token = ? AND NOT revoked AND expires_at > now};</li>
 *   <li>release: {@code UPDATE … SET holder = NULL WHERE holder = ? AND token = ?};</li>
 *   <li>force-release: {@code holder = NULL, revoked = true}, returning the row as it was.</li>
 * </ul>
 */
final class PgLeaseStore implements LeaseStore {

    private static final String COLUMNS = "key, token, revoked, holder, owner, acquired_at, ttl_micros, expires_at";

    private final Db db;
    private final Tables t;

    /** The statements of the hot path, built once rather than on every call. */
    private final String grantSql;
    private final String releaseSql;

    PgLeaseStore(Db db, Tables t) {
        this.db = db;
        this.t = t;
        // No CTE for "now": statement_timestamp() is the same for the whole statement, and the client clock binds the
        // same instant twice. Only what the caller does not know comes back: the token and the grant's time, as
        // microseconds (Rows.micros); the rest of the lease is the request's.
        this.grantSql = "INSERT INTO " + t.locks() + " AS l (key, holder, owner, acquired_at, ttl_micros, expires_at,"
                + " token, revoked) VALUES (?, ?, ?, " + Db.NOW + ", ?, " + Db.NOW + " + ? * interval '1 microsecond',"
                + " 1, false) ON CONFLICT (key) DO UPDATE SET holder = EXCLUDED.holder, owner = EXCLUDED.owner,"
                + " acquired_at = EXCLUDED.acquired_at, ttl_micros = EXCLUDED.ttl_micros,"
                + " expires_at = EXCLUDED.expires_at, token = l.token + 1, revoked = false"
                + " WHERE l.holder IS NULL OR l.expires_at <= EXCLUDED.acquired_at"
                + " RETURNING l.token, " + Rows.micros("l.acquired_at") + " AS acquired_us";
        this.releaseSql = "UPDATE " + t.locks() + " SET holder = NULL WHERE key = ? AND holder = ? AND token = ?";
    }

    @Override
    public Instant now() {
        return db.now();
    }

    @Override
    public Optional<LeaseState> read(String key) {
        return db.read("reading lock '" + key + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + t.locks()
                    + " WHERE key = ?")) {
                ps.setString(1, key);
                return one(ps);
            }
        });
    }

    /** The key's row {@code FOR SHARE}, inside a write's transaction (the fence check); {@code null} if none. */
    static LeaseState readForShare(Connection c, Tables t, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + t.locks()
                + " WHERE key = ? FOR SHARE")) {
            ps.setString(1, key);
            return one(ps).orElse(null);
        }
    }

    @Override
    public Optional<LeaseState> grant(LeaseGrant grant) {
        return db.write(() -> "acquiring lock '" + grant.key() + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement(grantSql)) {
                long micros = Micros.of(grant.ttl());
                ps.setString(1, grant.key());
                ps.setString(2, grant.holder());
                ps.setString(3, grant.owner());
                db.bindNow(ps, 4);
                ps.setLong(5, micros);
                db.bindNow(ps, 6);
                ps.setLong(7, micros);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<LeaseState>empty();
                    }
                    Instant acquired = Rows.instantOfMicros(rs, "acquired_us");
                    Duration ttl = Duration.of(micros, ChronoUnit.MICROS);
                    return Optional.of(new LeaseState(grant.key(), rs.getLong("token"), false, grant.holder(),
                            grant.owner(), acquired, ttl, acquired.plus(ttl)));
                }
            }
        });
    }

    @Override
    public Optional<LeaseState> extend(LockLease lease, Duration ttl) {
        return db.write("extending lock '" + lease.key() + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("WITH n AS (SELECT " + Db.NOW + " AS now)"
                    + " UPDATE " + t.locks() + " l SET ttl_micros = ?, expires_at = n.now + ? * interval"
                    + " '1 microsecond' FROM n WHERE l.key = ? AND l.holder = ? AND l.token = ? AND NOT l.revoked"
                    + " AND l.expires_at > n.now RETURNING " + qualified())) {
                long micros = Micros.of(ttl);
                db.bindNow(ps, 1);
                ps.setLong(2, micros);
                ps.setLong(3, micros);
                ps.setString(4, lease.key());
                ps.setString(5, lease.holder());
                ps.setLong(6, lease.fencingToken());
                return one(ps);
            }
        });
    }

    @Override
    public boolean release(LockLease lease) {
        return db.write(() -> "releasing lock '" + lease.key() + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement(releaseSql)) {
                ps.setString(1, lease.key());
                ps.setString(2, lease.holder());
                ps.setLong(3, lease.fencingToken());
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public Optional<LeaseState> forceRelease(String key) {
        return db.write("force-releasing lock '" + key + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("WITH n AS (SELECT " + Db.NOW + " AS now),"
                    + " old AS (SELECT " + COLUMNS + " FROM " + t.locks() + " WHERE key = ? FOR UPDATE)"
                    + " UPDATE " + t.locks() + " l SET holder = NULL, revoked = true FROM old, n"
                    + " WHERE l.key = old.key RETURNING old.key, old.token, old.revoked, old.holder, old.owner,"
                    + " old.acquired_at, old.ttl_micros, old.expires_at,"
                    + " old.holder IS NOT NULL AND old.expires_at > n.now AS live")) {
                db.bindNow(ps, 1);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getBoolean("live") ? Optional.of(map(rs)) : Optional.<LeaseState>empty();
                }
            }
        });
    }

    @Override
    public Optional<LeaseState> current(String key) {
        return db.read("reading lock '" + key + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + t.locks()
                    + " WHERE key = ? AND holder IS NOT NULL AND expires_at > " + Db.NOW)) {
                ps.setString(1, key);
                db.bindNow(ps, 2);
                return one(ps);
            }
        });
    }

    @Override
    public List<LeaseState> list(String afterKey, int limit) {
        return db.read("listing locks", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + t.locks()
                    + " WHERE holder IS NOT NULL AND expires_at > " + Db.NOW + " AND (?::text IS NULL OR key > ?)"
                    + " ORDER BY key LIMIT ?")) {
                db.bindNow(ps, 1);
                ps.setString(2, afterKey);
                ps.setString(3, afterKey);
                ps.setInt(4, limit);
                List<LeaseState> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(map(rs));
                    }
                }
                return out;
            }
        });
    }

    private static String qualified() {
        return "l." + COLUMNS.replace(", ", ", l.");
    }

    private static Optional<LeaseState> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
    }

    private static LeaseState map(ResultSet rs) throws SQLException {
        Long micros = Rows.nullableLong(rs, "ttl_micros");
        return new LeaseState(rs.getString("key"), rs.getLong("token"), rs.getBoolean("revoked"),
                rs.getString("holder"), rs.getString("owner"), Rows.instant(rs, "acquired_at"),
                micros == null ? null : Duration.of(micros, ChronoUnit.MICROS), Rows.instant(rs, "expires_at"));
    }
}
