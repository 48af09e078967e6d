package io.prodigy.storage.postgres;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.Limits;
import io.prodigy.storage.dlq.DlqClaim;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.DlqStats;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.dlq.FailureRecord;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.LockNotHeldException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Keyset;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageKey;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.Arguments;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.support.dlq.DlqClaims;
import io.prodigy.storage.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Dead-letter queues in one table, one row per {@code (job, item)}, the failure history a jsonb array.
 *
 * <p>Every mutation is one statement: {@code add} an upsert that appends to the history; {@code claim} db-scheduler's
 * {@code UPDATE … WHERE key IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n) RETURNING …} (claimers skip each other's
 * rows instead of queueing on them, and a row whose claim changed under us is re-checked by PostgreSQL before it is
 * locked, so no item ever has two live claims); {@code remove} and {@code release} compare the claim token and its
 * expiry in their {@code WHERE}, and read the row only to explain a refusal. Claim expiry follows the store's clock
 * (see {@link Db#NOW}). "Oldest first" is oldest available: rows locked by a concurrent claim are skipped.
 */
final class PgDlqStorage implements DlqStorage {

    static final String KIND = "DLQ item";
    private static final String COLUMNS = "repo, job, item_id, work_item, enqueued_at, last_failed_at, retry_count,"
            + " last_error, metadata, history, claim_token, claim_worker, claimed_at, claim_expires_at";
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};

    /** One failure as a history entry: the time in epoch microseconds, exact and free of time-zone formatting. */
    private static final String FAILURE_ENTRY = "jsonb_build_array(jsonb_build_object("
            + "'at_micros', (extract(epoch FROM n.at) * 1000000)::bigint, 'error', ?::text, 'agent_id', ?::text,"
            + " 'details', ?::jsonb, 'failure_id', ?::text))";

    private final Db db;
    private final Tables t;

    PgDlqStorage(Db db, Tables t) {
        this.db = db;
        this.t = t;
    }

    /**
     * One upsert; a failure whose id the history already holds changes nothing (the {@code WHERE} of the update
     * fails), and the stored item is read back instead: a retried add records its failure once.
     */
    @Override
    public DlqItem add(JobRef job, DlqFailure failure, Fence fence) {
        Arguments.failure(job, failure);
        String workItem = Rows.jsonText(failure.workItem());
        Limits.DEFAULT.checkPayload("work item of DLQ item '" + failure.itemId() + "'", Rows.utf8Length(workItem));
        Db.Work<DlqItem> work = c -> {
            Fences.check(c, t, KIND + " '" + failure.itemId() + "' of job " + job, fence);
            try (PreparedStatement ps = c.prepareStatement("WITH n AS (SELECT COALESCE(?::timestamptz, " + Db.NOW
                    + ") AS at) INSERT INTO " + t.dlq() + " AS d (repo, job, item_id, work_item, enqueued_at,"
                    + " last_failed_at, retry_count, last_error, metadata, history)"
                    + " SELECT ?, ?, ?, ?::jsonb, n.at, n.at, 0, ?, ?::jsonb, " + FAILURE_ENTRY + " FROM n"
                    + " ON CONFLICT (repo, job, item_id) DO UPDATE SET retry_count = d.retry_count + 1,"
                    + " last_error = EXCLUDED.last_error, last_failed_at = EXCLUDED.last_failed_at,"
                    + " metadata = d.metadata || EXCLUDED.metadata, history = d.history || EXCLUDED.history,"
                    + " work_item = CASE WHEN jsonb_typeof(EXCLUDED.work_item) = 'null' THEN d.work_item"
                    + " ELSE EXCLUDED.work_item END"
                    + " WHERE NOT d.history @> jsonb_build_array(jsonb_build_object('failure_id', ?::text))"
                    + " RETURNING " + COLUMNS)) {
                Db.bindInstant(ps, 1, failure.at());
                db.bindNow(ps, 2);
                ps.setString(3, job.repository());
                ps.setString(4, job.jobId());
                ps.setString(5, failure.itemId());
                ps.setString(6, workItem);
                ps.setString(7, failure.error());
                Rows.bindJson(ps, 8, failure.metadata());
                ps.setString(9, failure.error());
                Rows.bindText(ps, 10, failure.agentId());
                Rows.bindText(ps, 11, failure.details() == null ? null : Rows.jsonText(failure.details()));
                ps.setString(12, failure.failureId());
                ps.setString(13, failure.failureId());
                Optional<DlqItem> stored = one(ps);
                if (stored.isPresent()) {
                    return stored.get();
                }
            }
            return read(c, job, failure.itemId(), false).orElseThrow();
        };
        String what = "recording a failure of DLQ item '" + failure.itemId() + "' of job " + job;
        return Fences.isNone(fence) ? db.write(what, work) : db.transaction(what, work);
    }

    @Override
    public Optional<DlqItem> get(JobRef job, String itemId) {
        Arguments.job(job);
        Ids.check("DLQ item id", itemId);
        return db.read("reading DLQ item '" + itemId + "' of job " + job, c -> read(c, job, itemId, false));
    }

    private Optional<DlqItem> read(Connection c, JobRef job, String itemId, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + t.dlq()
                + " WHERE repo = ? AND job = ? AND item_id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, job.repository());
            ps.setString(2, job.jobId());
            ps.setString(3, itemId);
            return one(ps);
        }
    }

    @Override
    public Page<DlqItem> list(DlqFilter filter, PageRequest page) {
        if (filter == null) {
            throw new InvalidInputException("DLQ filter is missing: use DlqFilter.forJob(job).");
        }
        Keyset<DlqItem> keyset = Orders.dlqItemsOf(filter.job());
        Optional<PageKey> position = keyset.position(page);
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM " + t.dlq()
                + " WHERE repo = ? AND job = ?");
        List<Object> args = new ArrayList<>(List.of(filter.job().repository(), filter.job().jobId()));
        if (filter.after() != null) {
            sql.append(" AND enqueued_at > ?");
            args.add(filter.after());
        }
        if (filter.before() != null) {
            sql.append(" AND enqueued_at < ?");
            args.add(filter.before());
        }
        if (filter.minRetryCount() != null) {
            sql.append(" AND retry_count >= ?");
            args.add(filter.minRetryCount());
        }
        if (filter.maxRetryCount() != null) {
            sql.append(" AND retry_count <= ?");
            args.add(filter.maxRetryCount());
        }
        Paging.after(position, "enqueued_at", List.of("item_id"), sql, args);
        sql.append(" ORDER BY enqueued_at, item_id").append(Paging.limit(page.limit()));
        List<DlqItem> rows = db.read("listing DLQ items of job " + filter.job(), c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                Params.bind(ps, args);
                return all(ps);
            }
        });
        return keyset.page(rows, page);
    }

    @Override
    public DlqStats stats(JobRef job) {
        Arguments.job(job);
        return db.read("computing DLQ stats of job " + job, c -> {
            try (PreparedStatement ps = c.prepareStatement("WITH n AS (SELECT " + Db.NOW + " AS now)"
                    + " SELECT retry_count, count(*), min(enqueued_at) AS oldest, max(enqueued_at) AS newest,"
                    + " count(*) FILTER (WHERE claim_expires_at > n.now) AS claimed FROM " + t.dlq() + ", n"
                    + " WHERE repo = ? AND job = ? GROUP BY retry_count")) {
                db.bindNow(ps, 1);
                ps.setString(2, job.repository());
                ps.setString(3, job.jobId());
                Map<Integer, Long> byRetry = new TreeMap<>();
                long total = 0;
                long retries = 0;
                long claimed = 0;
                Instant oldest = null;
                Instant newest = null;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int retry = rs.getInt(1);
                        long count = rs.getLong(2);
                        byRetry.put(retry, count);
                        total += count;
                        retries += retry * count;
                        claimed += rs.getLong("claimed");
                        Instant o = Rows.instant(rs, "oldest");
                        Instant w = Rows.instant(rs, "newest");
                        oldest = oldest == null || o.isBefore(oldest) ? o : oldest;
                        newest = newest == null || w.isAfter(newest) ? w : newest;
                    }
                }
                double average = total == 0 ? 0.0 : (double) retries / total;
                return new DlqStats(job, total, byRetry, oldest, newest, average, claimed);
            }
        });
    }

    @Override
    public List<DlqItem> claim(JobRef job, String worker, int maxItems, Duration lease, Fence fence) {
        Arguments.claim(job, worker, maxItems, lease, Limits.DEFAULT);
        Db.Work<List<DlqItem>> work = c -> {
            Fences.check(c, t, "the DLQ of job " + job, fence);
            // The picked rows are found again by their ctid (a TID scan): they are locked by this statement, so
            // their ctid cannot change before the UPDATE, and no plan can turn the lookup into a scan of the queue.
            try (PreparedStatement ps = c.prepareStatement("WITH n AS (SELECT " + Db.NOW + " AS now),"
                    + " picked AS (SELECT d.ctid AS tid FROM " + t.dlq() + " d, n WHERE d.repo = ? AND d.job = ?"
                    + " AND (d.claim_expires_at IS NULL OR d.claim_expires_at <= n.now)"
                    + " ORDER BY d.enqueued_at, d.item_id LIMIT ? FOR UPDATE OF d SKIP LOCKED)"
                    + " UPDATE " + t.dlq() + " d SET claim_token = gen_random_uuid()::text, claim_worker = ?,"
                    + " claimed_at = n.now, claim_expires_at = n.now + ? * interval '1 microsecond'"
                    + " FROM n WHERE d.ctid = ANY(ARRAY(SELECT tid FROM picked))"
                    + " RETURNING " + qualified("d"))) {
                db.bindNow(ps, 1);
                ps.setString(2, job.repository());
                ps.setString(3, job.jobId());
                ps.setInt(4, maxItems);
                ps.setString(5, worker);
                ps.setLong(6, Micros.of(lease));
                return all(ps);
            }
        };
        String what = "claiming DLQ items of job " + job;
        List<DlqItem> claimed = Fences.isNone(fence) ? db.write(what, work) : db.transaction(what, work);
        // RETURNING gives no order.
        return claimed.stream().sorted(DlqClaims.OLDEST_FIRST).toList();
    }

    @Override
    public DlqItem extendClaim(JobRef job, String itemId, String claimToken, Duration lease) {
        Arguments.job(job);
        Ids.check("DLQ item id", itemId);
        Arguments.claimLease(job, lease);
        return db.transaction("extending the claim on DLQ item '" + itemId + "' of job " + job, c -> {
            DlqItem item = read(c, job, itemId, true).orElseThrow(() -> new NotFoundException(KIND,
                    job + "/" + itemId));
            DlqItem extended = DlqClaims.extend(item, claimToken, lease, now(c));
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.dlq() + " SET claim_expires_at = ?"
                    + " WHERE repo = ? AND job = ? AND item_id = ?")) {
                Db.bindInstant(ps, 1, extended.claim().expiresAt());
                ps.setString(2, job.repository());
                ps.setString(3, job.jobId());
                ps.setString(4, itemId);
                ps.executeUpdate();
            }
            return extended;
        });
    }

    private static String qualified(String alias) {
        return alias + "." + COLUMNS.replace(", ", ", " + alias + ".");
    }

    /**
     * One {@code DELETE} comparing the token (a claim that lapsed while nobody claimed the item again still holds
     * it); the row is read only to explain a refusal.
     */
    @Override
    public boolean remove(JobRef job, String itemId, String claimToken, Fence fence) {
        Arguments.job(job);
        Ids.check("DLQ item id", itemId);
        Db.Work<Boolean> work = c -> {
            Fences.check(c, t, KIND + " '" + itemId + "' of job " + job, fence);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.dlq()
                    + " WHERE repo = ? AND job = ? AND item_id = ? AND (?::text IS NULL OR claim_token = ?)")) {
                ps.setString(1, job.repository());
                ps.setString(2, job.jobId());
                ps.setString(3, itemId);
                Rows.bindText(ps, 4, claimToken);
                Rows.bindText(ps, 5, claimToken);
                if (ps.executeUpdate() > 0) {
                    return true;
                }
            }
            Optional<DlqItem> item = claimToken == null ? Optional.empty() : read(c, job, itemId, false);
            item.ifPresent(i -> DlqClaims.requireHolder(i, claimToken));
            return false;
        };
        String what = "removing DLQ item '" + itemId + "' of job " + job;
        return Fences.isNone(fence) ? db.write(what, work) : db.transaction(what, work);
    }

    /**
     * Reads the row {@code FOR UPDATE}, applies the shared rule ({@link DlqClaims#release}: the claim's holder only,
     * the error recorded under an id derived from the token so that a retried release is recognised) and writes the
     * result back, in one transaction.
     */
    @Override
    public DlqItem release(JobRef job, String itemId, String claimToken, String error, Fence fence) {
        Arguments.job(job);
        Ids.check("DLQ item id", itemId);
        return db.transaction("releasing DLQ item '" + itemId + "' of job " + job, c -> {
            Fences.check(c, t, KIND + " '" + itemId + "' of job " + job, fence);
            DlqItem item = read(c, job, itemId, true).orElseThrow(() -> new NotFoundException(KIND,
                    job + "/" + itemId));
            DlqItem released = DlqClaims.release(item, claimToken, error, now(c));
            if (released.equals(item)) {
                return item; // applied before; only its reply was lost
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.dlq() + " SET last_failed_at = ?,"
                    + " retry_count = ?, last_error = ?, history = ?::jsonb, claim_token = NULL, claim_worker = NULL,"
                    + " claimed_at = NULL, claim_expires_at = NULL WHERE repo = ? AND job = ? AND item_id = ?")) {
                Db.bindInstant(ps, 1, released.lastFailedAt());
                ps.setInt(2, released.retryCount());
                ps.setString(3, released.lastError());
                ps.setString(4, historyJson(released.failureHistory()));
                ps.setString(5, job.repository());
                ps.setString(6, job.jobId());
                ps.setString(7, itemId);
                ps.executeUpdate();
            }
            return released;
        });
    }

    /** The history as stored: time in epoch microseconds, exact and free of time-zone formatting. */
    private static String historyJson(List<FailureRecord> history) {
        ArrayNode array = Json.nodes().arrayNode();
        for (FailureRecord r : history) {
            ObjectNode e = array.addObject();
            e.put("at_micros", Math.addExact(Math.multiplyExact(r.at().getEpochSecond(), 1_000_000L),
                    r.at().getNano() / 1_000));
            e.put("error", r.error());
            e.put("agent_id", r.agentId());
            e.set("details", r.details() == null ? Json.nodes().nullNode() : r.details());
            e.put("failure_id", r.failureId());
        }
        return Rows.jsonText(array);
    }

    private Instant now(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + Db.NOW + " AS now")) {
            db.bindNow(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Rows.instant(rs, "now");
            }
        }
    }

    @Override
    public long purge(JobRef job, Fence fence) {
        Arguments.job(job);
        Db.Work<Long> work = c -> {
            Fences.check(c, t, "the DLQ of job " + job, fence);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.dlq() + " WHERE repo = ? AND job = ?")) {
                ps.setString(1, job.repository());
                ps.setString(2, job.jobId());
                return (long) ps.executeUpdate();
            }
        };
        String what = "purging the DLQ of job " + job;
        return Fences.isNone(fence) ? db.write(what, work) : db.transaction(what, work);
    }

    @Override
    public Page<JobRef> listJobs(String repository, PageRequest page) {
        if (repository != null) {
            Ids.check("repository name", repository);
        }
        Optional<PageKey> position = Orders.DLQ_JOBS.position(page);
        StringBuilder sql = new StringBuilder("SELECT DISTINCT repo, job FROM " + t.dlq()
                + " WHERE (?::text IS NULL OR repo = ?)");
        List<Object> args = new ArrayList<>(java.util.Arrays.asList(repository, repository));
        Paging.after(position, null, List.of("repo", "job"), sql, args);
        sql.append(" ORDER BY repo, job").append(Paging.limit(page.limit()));
        List<JobRef> rows = db.read("listing jobs with DLQ items", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                Params.bind(ps, args);
                return Jobs.read(ps);
            }
        });
        return Orders.DLQ_JOBS.page(rows, page);
    }

    private static Optional<DlqItem> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
    }

    private static List<DlqItem> all(PreparedStatement ps) throws SQLException {
        List<DlqItem> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(map(rs));
            }
        }
        return out;
    }

    private static DlqItem map(ResultSet rs) throws SQLException {
        List<FailureRecord> history = new ArrayList<>();
        JsonNode entries = Rows.json(rs, "history");
        if (entries instanceof ArrayNode array) {
            for (JsonNode e : array) {
                history.add(failure((ObjectNode) e));
            }
        }
        String token = rs.getString("claim_token");
        DlqClaim claim = token == null ? null : new DlqClaim(token, rs.getString("claim_worker"),
                Rows.instant(rs, "claimed_at"), Rows.instant(rs, "claim_expires_at"));
        return new DlqItem(JobRef.of(rs.getString("repo"), rs.getString("job")), rs.getString("item_id"),
                Rows.json(rs, "work_item"), Rows.instant(rs, "enqueued_at"), Rows.instant(rs, "last_failed_at"),
                rs.getInt("retry_count"), rs.getString("last_error"),
                Json.mapper().convertValue(Rows.json(rs, "metadata"), STRINGS), history, claim);
    }

    private static FailureRecord failure(ObjectNode e) {
        long micros = e.path("at_micros").asLong();
        Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000);
        JsonNode agent = e.path("agent_id");
        JsonNode details = e.path("details");
        JsonNode failureId = e.path("failure_id");
        return new FailureRecord(at, e.path("error").asText(""), agent.isTextual() ? agent.asText() : null,
                details.isMissingNode() || details.isNull() ? null : details,
                failureId.isTextual() ? failureId.asText() : null);
    }

}
