package io.prodigy.storage.postgres;

import io.prodigy.storage.Limits;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.event.AppendResult;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStats;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.event.EventSubscription;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageKey;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.Arguments;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.support.PollingSubscription;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Per-job event logs in two tables: {@code event_jobs} (the high-water sequence of each job) and {@code events}, whose
 * unique index {@code events_by_id (repo, job, event_id)} makes appends idempotent.
 *
 * <p><b>Append</b> is one statement, so one round trip and an atomic commit: the batch goes in as arrays
 * ({@code unnest}, no bind-parameter limit; the data as one JSON array), ids repeated in the batch are dropped in
 * Java, the job's row in {@code event_jobs} is bumped by the number of new events with {@code INSERT … ON CONFLICT …
 * DO UPDATE} (the row lock, held to commit, orders the job's commits by sequence), and the new events take the
 * sequences below the new high-water mark. The first statement takes every id as new; if the job holds one (a
 * retried append), it fails on {@code events_by_id}, stores nothing, and a second statement probes that index and
 * drops the ids found. The reply is one row, plus, from the probing statement, one per id the job held already. Two
 * appends that race with the same new event id cannot both store it: the loser hits {@code events_by_id} and runs
 * again, probing, and finds it. {@code pg_notify} is added only while another process has subscribers
 * ({@link Notifications#othersListen}).
 *
 * <p><b>Queries</b> read keyset pages ({@code seq > last ORDER BY seq LIMIT n}), each on a pooled connection that is
 * returned before the page is handed out: a subscriber's handler never holds a connection or a transaction open.
 */
final class PgEventStorage implements EventStorage {

    /** Rows fetched per page of a query. */
    static final int PAGE = 500;
    /** The longest a subscriber waits when no notification arrives. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    private static final int APPEND_ATTEMPTS = 3;
    private static final String COLUMNS = "seq, event_id, ts, event_type, data, correlation_id, agent_id";

    private final Db db;
    private final Tables t;
    private final Notifications notifications;
    /** The append statements: {@code [probe ? 1 : 0][notify ? 1 : 0]} ({@link #appendSql}). */
    private final String[][] appendSql = new String[2][2];
    private final BooleanSupplier subscribed = () -> activeSubscriptions() > 0;
    private final Set<EventSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final GroupAppends groups = new GroupAppends(this::write);

    PgEventStorage(Db db, Tables t, Notifications notifications) {
        this.db = db;
        this.t = t;
        this.notifications = notifications;
        for (int probe = 0; probe < 2; probe++) {
            appendSql[probe][0] = appendSql(t, null, false, probe == 1);
            appendSql[probe][1] = notifications.channel() == null ? appendSql[probe][0]
                    : appendSql(t, notifications.channel(), true, probe == 1);
        }
        notifications.addInterest(subscribed);
    }

    /**
     * An append statement. In: the group's distinct rows as arrays, in order, the event data as one JSON array
     * ({@code jsonb_array_elements}: one parse of the whole batch, no array-literal quoting of every payload, about a
     * third less server CPU per event than a {@code jsonb[]} parameter). Out: one row with the job's new high-water
     * mark and the number of rows stored, then, with {@code probe}, one row per id the job held already (its
     * position and stored sequence): none in the usual case, so the reply does not grow with the batch. The stored
     * rows take the sequences just below the new mark, in order. With {@code notify} the statement also
     * {@code pg_notify}s the channel once when it stored anything.
     *
     * <p>Without {@code probe} every row is taken as new: an id the job holds already fails the whole statement on
     * {@code events_by_id} (nothing is stored, the high-water bump is rolled back with it), and the append
     * runs again with {@code probe}, which drops those ids. So the common case, all ids new, skips one index probe
     * per event and the anti-join that builds the fresh rows; a retried append pays one failed statement.
     */
    private static String appendSql(Tables t, String channel, boolean notify, boolean probe) {
        String micros = "'epoch'::timestamptz + f.ts_micros * interval '1 microsecond'";
        String position = probe ? "f.rn" : "f.ord";
        return "WITH b AS (SELECT * FROM ROWS FROM (unnest(?::text[]), unnest(?::int8[]), unnest(?::text[]),"
                + " jsonb_array_elements(?::jsonb), unnest(?::text[]), unnest(?::text[])) WITH ORDINALITY"
                + " AS b(event_id, ts_micros, event_type, data, correlation_id, agent_id, ord)),"
                + (probe
                        // One probe of events_by_id per id: unique, with all three columns equal, it is costed at
                        // one row whatever the statistics, below any (repo, job) range of the other indexes (see
                        // V004). The LIMIT keeps the planner from turning the probes into a join that reads all of
                        // the job's events.
                        ? " known AS (SELECT b.ord, s.seq FROM b CROSS JOIN LATERAL (SELECT e.seq FROM "
                                + t.events() + " e WHERE e.repo = ? AND e.job = ? AND e.event_id = b.event_id"
                                + " LIMIT 1) s),"
                                + " fresh AS (SELECT b.*, row_number() OVER (ORDER BY b.ord) AS rn FROM b"
                                + " WHERE NOT EXISTS (SELECT 1 FROM known k WHERE k.ord = b.ord)),"
                        : " fresh AS (SELECT * FROM b),")
                + " cnt AS (SELECT count(*) AS n FROM fresh),"
                + " hw AS (INSERT INTO " + t.eventJobs() + " AS j (repo, job, last_seq)"
                + " SELECT ?, ?, cnt.n FROM cnt ON CONFLICT (repo, job)"
                + " DO UPDATE SET last_seq = j.last_seq + EXCLUDED.last_seq RETURNING last_seq),"
                + " ins AS (INSERT INTO " + t.events() + " (repo, job, seq, event_id, ts, event_type, data,"
                + " correlation_id, agent_id) SELECT ?, ?, hw.last_seq - cnt.n + " + position + ", f.event_id,"
                + " COALESCE(" + micros + ", " + Db.NOW + "), f.event_type, f.data, f.correlation_id, f.agent_id"
                + " FROM fresh f, hw, cnt)"
                + (notify ? ", note AS (SELECT pg_notify('" + channel + "', ?) FROM cnt WHERE cnt.n > 0)" : "")
                + " SELECT true, hw.last_seq, cnt.n" + (notify ? " + 0 * (SELECT count(*) FROM note)" : "")
                + " FROM hw, cnt" + (probe ? " UNION ALL SELECT false, k.ord, k.seq FROM known k" : "");
    }

    /** One caller's batch as columns, validated and serialized before it is queued. */
    record Batch(List<String> ids, List<Long> micros, List<String> types, List<String> data,
            List<String> correlations, List<String> agents) {

        int size() {
            return ids.size();
        }

        /** The characters of the batch's serialized event data. */
        long dataChars() {
            return data.stream().mapToLong(String::length).sum();
        }
    }

    /**
     * Appends through {@link GroupAppends} (one statement for every batch of the job queued meanwhile in this
     * process); a fenced append runs alone, in a transaction that checks the fence first.
     */
    @Override
    public AppendResult append(JobRef job, List<NewEvent> events, Fence fence) {
        List<NewEvent> checked = Arguments.append(job, events, Limits.DEFAULT);
        int n = checked.size();
        Batch batch = new Batch(new ArrayList<>(n), new ArrayList<>(n), new ArrayList<>(n), new ArrayList<>(n),
                new ArrayList<>(n), new ArrayList<>(n));
        for (NewEvent e : checked) {
            String json = Rows.jsonText(e.data());
            Limits.DEFAULT.checkPayload("data of event '" + e.id() + "'", Rows.utf8Length(json));
            batch.ids().add(e.id());
            batch.micros().add(e.timestamp() == null ? null : epochMicros(e.timestamp()));
            batch.types().add(e.eventType());
            batch.data().add(json);
            batch.correlations().add(e.correlationId());
            batch.agents().add(e.agentId());
        }
        db.ensureOpen("appending to job " + job);
        AppendResult result = Fences.isNone(fence) ? groups.append(job, batch)
                : write(job, List.of(batch), fence).get(0);
        if (result.appended() > 0) {
            notifications.signalLocally(job);
        }
        return result;
    }

    /** Writes {@code batches} (one or more callers' batches of one job) in one statement. */
    private List<AppendResult> write(JobRef job, List<Batch> batches) {
        return write(job, batches, Fence.NONE);
    }

    private List<AppendResult> write(JobRef job, List<Batch> batches, Fence fence) {
        Distinct rows = Distinct.of(batches);
        String what = "appending " + rows.ids.size() + " event(s) to job " + job;
        boolean probe = false;
        for (int attempt = 1; ; attempt++) {
            try {
                boolean notify = notifications.othersListen();
                String sql = appendSql[probe ? 1 : 0][notify ? 1 : 0];
                int jobs = probe ? 3 : 2;
                Db.Work<long[]> work = c -> {
                    Fences.check(c, t, "the events of job " + job, fence);
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setArray(1, Rows.textArray(c, rows.ids));
                        ps.setArray(2, c.createArrayOf("int8", rows.micros.toArray()));
                        ps.setArray(3, Rows.textArray(c, rows.types));
                        ps.setString(4, rows.dataArray());
                        ps.setArray(5, Rows.textArray(c, rows.correlations));
                        ps.setArray(6, Rows.textArray(c, rows.agents));
                        int i = 7;
                        for (int k = 0; k < jobs; k++) {
                            i = bindJob(ps, i, job);
                        }
                        db.bindNow(ps, i++);
                        if (notify) {
                            ps.setString(i, Notifications.payload(job));
                        }
                        return placed(rows.ids.size(), ps);
                    }
                };
                long[] seqs = Fences.isNone(fence) ? db.write(what, work) : db.transaction(what, work);
                return rows.results(job, batches, seqs);
            } catch (InvalidInputException e) {
                // The job holds one of these ids (a retried append), or a concurrent append stored one between
                // our probe and our insert: run again, probing.
                if (attempt < APPEND_ATTEMPTS && e.getCause() instanceof SQLException sql
                        && SqlErrors.isUniqueViolation(sql)) {
                    probe = true;
                    continue;
                }
                throw e;
            }
        }
    }

    /**
     * Reads the statement's reply: {@code [0]} the job's new high-water mark; {@code [k]}, for the k-th distinct row
     * (1-based), the sequence its id is stored at, negated when the job held it before this statement.
     */
    private static long[] placed(int distinct, PreparedStatement ps) throws SQLException {
        long[] seq = new long[distinct + 1];
        long fresh = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (rs.getBoolean(1)) {
                    seq[0] = rs.getLong(2);
                    fresh = rs.getLong(3);
                } else {
                    seq[rs.getInt(2)] = -rs.getLong(3);
                }
            }
        }
        long next = seq[0] - fresh + 1;
        for (int k = 1; k <= distinct; k++) {
            if (seq[k] == 0) {
                seq[k] = next++;
            }
        }
        return seq;
    }

    /**
     * A group's rows with repeated ids left out, as the statement's arrays: an id's first occurrence (in queue
     * order) is the row stored, and the others are reported at its sequence. Done here, the statement needs no
     * {@code DISTINCT} pass of its own.
     */
    private static final class Distinct {
        final List<String> ids = new ArrayList<>();
        final List<Long> micros = new ArrayList<>();
        final List<String> types = new ArrayList<>();
        final List<String> data = new ArrayList<>();
        final List<String> correlations = new ArrayList<>();
        final List<String> agents = new ArrayList<>();
        /** For every input row of the group, in order: the 1-based position of its id among the distinct rows. */
        final int[] position;
        /** For every distinct row (1-based): the input row it came from. */
        final int[] firstRow;

        /** The event data as one JSON array, in the order of {@link #ids}. */
        String dataArray() {
            StringBuilder json = new StringBuilder(data.stream().mapToInt(String::length).sum() + data.size() + 2);
            json.append('[');
            for (int k = 0; k < data.size(); k++) {
                json.append(k == 0 ? "" : ",").append(data.get(k));
            }
            return json.append(']').toString();
        }

        private Distinct(int total) {
            position = new int[total];
            firstRow = new int[total + 1];
        }

        static Distinct of(List<Batch> batches) {
            int total = batches.stream().mapToInt(Batch::size).sum();
            Distinct d = new Distinct(total);
            Map<String, Integer> seen = new HashMap<>(total * 2);
            int row = 0;
            for (Batch b : batches) {
                for (int i = 0; i < b.size(); i++, row++) {
                    Integer at = seen.putIfAbsent(b.ids().get(i), d.ids.size() + 1);
                    if (at != null) {
                        d.position[row] = at;
                        continue;
                    }
                    d.ids.add(b.ids().get(i));
                    d.position[row] = d.ids.size();
                    d.firstRow[d.ids.size()] = row;
                    d.micros.add(b.micros().get(i));
                    d.types.add(b.types().get(i));
                    d.data.add(b.data().get(i));
                    d.correlations.add(b.correlations().get(i));
                    d.agents.add(b.agents().get(i));
                }
            }
            return d;
        }

        /**
         * Each batch's result from {@link #placed}: the events it stored (first occurrences of ids the job did not
         * hold) with their sequences, and where each of its other ids is stored ({@link AppendResult#alreadyStored()}),
         * unless the batch stored that id itself from an earlier row.
         */
        List<AppendResult> results(JobRef job, List<Batch> batches, long[] seq) {
            List<AppendResult> out = new ArrayList<>(batches.size());
            int row = 0;
            for (Batch b : batches) {
                int start = row;
                long firstSeq = 0;
                long lastSeq = 0;
                int appended = 0;
                Map<String, Long> already = new LinkedHashMap<>();
                for (int i = 0; i < b.size(); i++, row++) {
                    int k = position[row];
                    boolean stored = seq[k] > 0;
                    if (stored && firstRow[k] == row) {
                        firstSeq = firstSeq == 0 ? seq[k] : firstSeq;
                        lastSeq = seq[k];
                        appended++;
                    } else if (!(stored && firstRow[k] >= start)) {
                        already.putIfAbsent(b.ids().get(i), Math.abs(seq[k]));
                    }
                }
                out.add(new AppendResult(job, firstSeq, appended == 0 ? seq[0] : lastSeq, appended,
                        b.size() - appended, already));
            }
            return out;
        }
    }

    private static long epochMicros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
    }

    private static int bindJob(PreparedStatement ps, int index, JobRef job) throws SQLException {
        ps.setString(index, job.repository());
        ps.setString(index + 1, job.jobId());
        return index + 2;
    }

    @Override
    public Stream<EventRecord> query(EventFilter filter) {
        requireFilter(filter);
        if (filter.correlationId() != null && filter.correlationId().isEmpty()) {
            return Stream.empty();
        }
        db.ensureOpen("querying events of job " + filter.job());
        return StreamSupport.stream(new Pages(filter), false);
    }

    /** Lazily reads one page at a time, each on its own short-lived connection. */
    private final class Pages extends Spliterators.AbstractSpliterator<EventRecord> {
        private final EventFilter filter;
        private final long limit;
        private final Deque<EventRecord> buffer = new ArrayDeque<>();
        private long afterSequence;
        private long delivered;
        private boolean exhausted;

        Pages(EventFilter filter) {
            super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
            this.filter = filter;
            this.limit = filter.limit() == 0 ? Long.MAX_VALUE : filter.limit();
            this.afterSequence = filter.afterSequence();
        }

        @Override
        public boolean tryAdvance(Consumer<? super EventRecord> action) {
            if (delivered >= limit) {
                return false;
            }
            if (buffer.isEmpty() && !exhausted) {
                fetch();
            }
            EventRecord next = buffer.poll();
            if (next == null) {
                return false;
            }
            delivered++;
            action.accept(next);
            return true;
        }

        private void fetch() {
            int want = (int) Math.min(PAGE, limit - delivered);
            List<EventRecord> page = db.read("querying events of job " + filter.job(), c -> {
                StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM " + t.events()
                        + " WHERE repo = ? AND job = ? AND seq > ?");
                List<Object> args = new ArrayList<>(List.of(filter.job().repository(), filter.job().jobId(),
                        afterSequence));
                if (!filter.eventTypes().isEmpty()) {
                    sql.append(" AND event_type = ANY(?)");
                    args.add(Rows.textArray(c, List.copyOf(filter.eventTypes())));
                }
                if (filter.after() != null) {
                    sql.append(" AND ts > ?");
                    args.add(filter.after());
                }
                if (filter.before() != null) {
                    sql.append(" AND ts < ?");
                    args.add(filter.before());
                }
                if (filter.correlationId() != null) {
                    sql.append(" AND correlation_id = ?");
                    args.add(filter.correlationId());
                }
                if (filter.agentId() != null) {
                    sql.append(" AND agent_id = ?");
                    args.add(filter.agentId());
                }
                sql.append(" ORDER BY seq LIMIT ").append(want);
                try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                    Params.bind(ps, args);
                    List<EventRecord> out = new ArrayList<>(want);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(map(filter.job(), rs));
                        }
                    }
                    return out;
                }
            });
            buffer.addAll(page);
            if (page.size() < want) {
                exhausted = true;
            }
            if (!page.isEmpty()) {
                afterSequence = page.get(page.size() - 1).sequence();
            }
        }
    }

    private static EventRecord map(JobRef job, ResultSet rs) throws SQLException {
        return new EventRecord(job, rs.getLong("seq"), rs.getString("event_id"), Rows.instant(rs, "ts"),
                rs.getString("event_type"), Rows.json(rs, "data"), rs.getString("correlation_id"),
                rs.getString("agent_id"));
    }

    @Override
    public EventStats aggregate(JobRef job) {
        Arguments.job(job);
        return db.read("aggregating events of job " + job, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT event_type, count(*), min(ts) AS first_ts,"
                    + " max(ts) AS last_ts, max(seq) FROM " + t.events() + " WHERE repo = ? AND job = ?"
                    + " GROUP BY event_type")) {
                bindJob(ps, 1, job);
                EventStats.Builder stats = EventStats.builder(job);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Instant first = Rows.instant(rs, "first_ts");
                        stats.add(rs.getString(1), first, rs.getLong(5), rs.getLong(2));
                        stats.widen(first, Rows.instant(rs, "last_ts"));
                    }
                }
                return stats.build();
            }
        });
    }

    @Override
    public long lastSequence(JobRef job) {
        Arguments.job(job);
        return db.read("reading the last sequence of job " + job, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT last_seq FROM " + t.eventJobs()
                    + " WHERE repo = ? AND job = ?")) {
                bindJob(ps, 1, job);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public Page<JobRef> listJobs(String repository, PageRequest page) {
        if (repository != null) {
            Ids.check("repository name", repository);
        }
        Optional<PageKey> position = Orders.EVENT_JOBS.position(page);
        StringBuilder sql = new StringBuilder("SELECT repo, job FROM " + t.eventJobs() + " j"
                + " WHERE (?::text IS NULL OR repo = ?) AND EXISTS (SELECT 1 FROM " + t.events() + " e"
                + " WHERE e.repo = j.repo AND e.job = j.job)");
        List<Object> args = new ArrayList<>(java.util.Arrays.asList(repository, repository));
        Paging.after(position, null, List.of("repo", "job"), sql, args);
        sql.append(" ORDER BY repo, job").append(Paging.limit(page.limit()));
        List<JobRef> rows = db.read("listing jobs with events", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                Params.bind(ps, args);
                return Jobs.read(ps);
            }
        });
        return Orders.EVENT_JOBS.page(rows, page);
    }

    @Override
    public EventSubscription subscribe(EventFilter filter, long afterSequence, Consumer<EventRecord> handler) {
        Arguments.subscription(filter, afterSequence, handler);
        db.ensureOpen("subscribing to job " + filter.job());
        subscriptions.removeIf(s -> !s.isActive());
        EventSubscription subscription = PollingSubscription.start(this, filter, afterSequence, handler,
                notifications.notifierFor(filter.job()), POLL_INTERVAL);
        subscriptions.add(subscription);
        return subscription;
    }

    @Override
    public long purge(JobRef job, Instant olderThan, Fence fence) {
        Arguments.purgeCutoff(job, olderThan);
        Db.Work<Long> work = c -> {
            Fences.check(c, t, "the events of job " + job, fence);
            // The purged events' ids go with them (as on every backend): the same id may be appended again.
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.events()
                    + " WHERE repo = ? AND job = ? AND ts < ?")) {
                Db.bindInstant(ps, bindJob(ps, 1, job), olderThan);
                return (long) ps.executeUpdate();
            }
        };
        String what = "purging events of job " + job;
        return Fences.isNone(fence) ? db.write(what, work) : db.transaction(what, work);
    }

    @Override
    public long deleteJob(JobRef job, Fence fence) {
        Arguments.job(job);
        return db.transaction("deleting the events of job " + job, c -> {
            Fences.check(c, t, "the events of job " + job, fence);
            // First the job's row: its lock waits for appends in flight and holds off new ones until we commit,
            // so the DELETE below (a new snapshot under READ COMMITTED) sees every event the job has. The row
            // stays, with its high-water mark: sequences are never reused. The ids go with the events, so an id
            // may be appended again after a delete.
            try (PreparedStatement ps = c.prepareStatement("SELECT last_seq FROM " + t.eventJobs()
                    + " WHERE repo = ? AND job = ? FOR UPDATE")) {
                bindJob(ps, 1, job);
                ps.executeQuery().close();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.events()
                    + " WHERE repo = ? AND job = ?")) {
                bindJob(ps, 1, job);
                return (long) ps.executeUpdate();
            }
        });
    }

    /** Stops every subscription (on close, before the pool goes). */
    void closeSubscriptions() {
        notifications.removeInterest(subscribed);
        for (EventSubscription s : subscriptions) {
            s.close();
        }
        subscriptions.clear();
    }

    int activeSubscriptions() {
        return (int) subscriptions.stream().filter(EventSubscription::isActive).count();
    }


    private static void requireFilter(EventFilter filter) {
        Arguments.filter(filter);
    }
}
