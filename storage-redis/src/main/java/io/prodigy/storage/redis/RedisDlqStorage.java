package io.prodigy.storage.redis;

import io.prodigy.storage.dlq.DlqClaim;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.DlqStats;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.LockNotHeldException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Dead-letter queues: a hash per item ({@code body}: the item without its claim, {@code ver}, {@code im}: its index
 * member, and the claim as {@code ct}, {@code cw}, {@code cat}, {@code cexp}), an index of
 * {@code (enqueuedAt, item id)} per job, and an index of jobs.
 *
 * <p>Recording a failure reads the item, applies the shared record rule ({@link DlqItem#withFailure}) here, and
 * stores the result with a compare-and-set on {@code ver} ({@code dlq_put.lua}), again on a lost race; claims,
 * removals and releases are each one script that checks the live claim's token against the store's clock.
 */
final class RedisDlqStorage implements DlqStorage {

    static final String KIND = "DLQ item";
    private static final int PURGE_CHUNK = 500;
    private static final String[] FIELDS = {"body", "ver", "ct", "cw", "cat", "cexp"};

    private final RedisClient client;
    private final Keys keys;

    RedisDlqStorage(RedisClient client, Keys keys) {
        this.client = client;
        this.keys = keys;
    }

    @Override
    public DlqItem add(JobRef job, DlqFailure failure) {
        requireJob(job);
        if (failure == null) {
            throw new InvalidInputException("DLQ failure for job " + job + " is missing.");
        }
        String key = keys.dlqItem(job, failure.itemId());
        while (true) {
            Stored read = read(job, key);
            Instant at = failure.at() != null ? failure.at() : read.now();
            DlqItem item = read.item() == null ? DlqItem.firstFailure(job, failure, at)
                    : read.item().withFailure(failure, at);
            Reply r = Reply.of(client.script("recording a failure of DLQ item " + job + "/" + failure.itemId(),
                    Script.DLQ_PUT, List.of(key, keys.dlqIndex(job), keys.dlqJobs()),
                    List.of(Long.toString(read.version()), body(item), TimeCode.of(item.enqueuedAt()) + item.itemId(),
                            Keys.jobMember(job))));
            if (r.is("OK")) {
                return item.withClaim(claim(r.string(2), r.string(3), r.string(4), r.string(5)));
            }
        }
    }

    @Override
    public Optional<DlqItem> get(JobRef job, String itemId) {
        requireJob(job);
        Ids.check("DLQ item id", itemId);
        String key = keys.dlqItem(job, itemId);
        List<String> f = client.read("reading DLQ item " + job + "/" + itemId, j -> j.hmget(key, FIELDS));
        return Optional.ofNullable(decode(key, f));
    }

    @Override
    public List<DlqItem> list(DlqFilter filter) {
        if (filter == null) {
            throw new InvalidInputException("DLQ filter is missing: use DlqFilter.forJob(job).");
        }
        return scan(filter.job(), TimeCode.after(filter.after()), TimeCode.before(filter.before()), filter.limit(),
                filter::matches);
    }

    @Override
    public DlqStats stats(JobRef job) {
        requireJob(job);
        List<DlqItem> items = scan(job, "-", "+", 0, item -> true);
        return DlqStats.of(job, items, client.now());
    }

    @Override
    public List<DlqItem> claim(JobRef job, String worker, int maxItems, Duration lease) {
        requireJob(job);
        if (worker == null || worker.isBlank()) {
            throw new InvalidInputException("Worker name for claiming DLQ items of job " + job
                    + " is missing: pass who reprocesses them.");
        }
        if (maxItems < 1) {
            throw new InvalidInputException("Cannot claim " + maxItems + " DLQ items of job " + job
                    + ": maxItems must be at least 1.");
        }
        if (lease == null || lease.isZero() || lease.isNegative()) {
            throw new InvalidInputException("Invalid claim lease " + lease + " for DLQ items of job " + job
                    + ": pass a positive duration.");
        }
        RedisStorage.LIMITS.checkClaim(maxItems);
        long leaseMicros = Math.max(1, lease.toNanos() / 1_000L);
        Reply r = Reply.of(client.script("claiming DLQ items of job " + job, Script.DLQ_CLAIM,
                List.of(keys.dlqIndex(job)), List.of(client.nowArg(), worker, Integer.toString(maxItems),
                        Long.toString(leaseMicros), UUID.randomUUID() + ":", keys.dlqItemPrefix(job))));
        List<DlqItem> out = new ArrayList<>(r.size());
        for (int i = 0; i < r.size(); i++) {
            Reply c = r.list(i);
            String key = keys.dlqItem(job, c.string(0));
            DlqItem item = Codec.read(c.string(1), DlqItem.class, key);
            out.add(item.withClaim(new DlqClaim(c.string(3), worker, TimeCode.ofMicros(c.string(4)),
                    TimeCode.ofMicros(c.string(5)))));
        }
        return out;
    }

    @Override
    public boolean remove(JobRef job, String itemId, String claimToken) {
        requireJob(job);
        Ids.check("DLQ item id", itemId);
        Reply r = Reply.of(client.script("removing DLQ item " + job + "/" + itemId, Script.DLQ_REMOVE,
                List.of(keys.dlqItem(job, itemId), keys.dlqIndex(job), keys.dlqJobs()),
                List.of(client.nowArg(), claimToken == null ? "" : claimToken, Keys.jobMember(job))));
        if (r.is("OK")) {
            return r.number(1) == 1;
        }
        throw notHeld(job, itemId, r, "removing");
    }

    @Override
    public DlqItem release(JobRef job, String itemId, String claimToken, String error) {
        requireJob(job);
        Ids.check("DLQ item id", itemId);
        String key = keys.dlqItem(job, itemId);
        while (true) {
            String newBody = "";
            long version = 0;
            if (error != null) {
                Stored read = read(job, key);
                if (read.item() == null) {
                    throw new NotFoundException(KIND, job + "/" + itemId);
                }
                newBody = body(read.item().withFailure(
                        new DlqFailure(itemId, null, error, null, null, null, null), read.now()));
                version = read.version();
            }
            Reply r = Reply.of(client.script("releasing DLQ item " + job + "/" + itemId, Script.DLQ_RELEASE,
                    List.of(key), List.of(client.nowArg(), claimToken == null ? "" : claimToken, newBody, Long.toString(version))));
            switch (r.status()) {
                case "OK" -> {
                    return Codec.read(r.string(1), DlqItem.class, key);
                }
                case "RETRY" -> { }
                case "NOTFOUND" -> throw new NotFoundException(KIND, job + "/" + itemId);
                default -> throw notHeld(job, itemId, r, "releasing");
            }
        }
    }

    @Override
    public long purge(JobRef job) {
        requireJob(job);
        long removed = 0;
        while (true) {
            Reply r = Reply.of(client.script("purging the DLQ of job " + job, Script.DLQ_PURGE,
                    List.of(keys.dlqIndex(job), keys.dlqJobs()),
                    List.of(Integer.toString(PURGE_CHUNK), keys.dlqItemPrefix(job), Keys.jobMember(job))));
            removed += r.number(0);
            if (r.number(1) == 0) {
                return removed;
            }
        }
    }

    @Override
    public List<JobRef> listJobs(String repository) {
        return IndexScan.jobs(client, "listing jobs with DLQ items", keys.dlqJobs(), repository);
    }

    /** An item as read, with its version (0 if absent) and the store's time. */
    private record Stored(DlqItem item, long version, Instant now) {}

    private Stored read(JobRef job, String key) {
        Reply r = Reply.of(client.readScript("reading DLQ item " + key, Script.DLQ_READ, List.of(key),
                List.of(client.nowArg())));
        Instant now = TimeCode.ofMicros(r.string(0));
        Reply f = r.list(1);
        if (f.isNull(0)) {
            return new Stored(null, 0, now);
        }
        return new Stored(Codec.read(f.string(0), DlqItem.class, key), Long.parseLong(f.string(1)), now);
    }

    private List<DlqItem> scan(JobRef job, String min, String max, long limit,
            java.util.function.Predicate<DlqItem> keep) {
        return IndexScan.collect(client, "listing DLQ items of job " + job, keys.dlqIndex(job), min, max, limit,
                members -> client.read("listing DLQ items of job " + job, j -> {
                    List<Response<List<String>>> replies = new ArrayList<>(members.size());
                    try (Pipeline p = j.pipelined()) {
                        for (String m : members) {
                            replies.add(p.hmget(keys.dlqItem(job, IndexScan.idOf(m)), FIELDS));
                        }
                    }
                    List<DlqItem> out = new ArrayList<>(members.size());
                    for (int i = 0; i < members.size(); i++) {
                        DlqItem item = decode(keys.dlqItem(job, IndexScan.idOf(members.get(i))), replies.get(i).get());
                        if (item != null) {
                            out.add(item);
                        }
                    }
                    return out;
                }), keep);
    }

    private static DlqItem decode(String key, List<String> f) {
        if (f.get(0) == null) {
            return null;
        }
        return Codec.read(f.get(0), DlqItem.class, key).withClaim(claim(f.get(2), f.get(3), f.get(4), f.get(5)));
    }

    private static DlqClaim claim(String token, String worker, String claimedAt, String expiresAt) {
        if (token == null) {
            return null;
        }
        return new DlqClaim(token, worker, TimeCode.ofMicros(claimedAt), TimeCode.ofMicros(expiresAt));
    }

    private static String body(DlqItem item) {
        return Codec.write(item.withClaim(null), "DLQ item '" + item.itemId() + "'");
    }

    private static LockNotHeldException notHeld(JobRef job, String itemId, Reply r, String doing) {
        String key = job + "/" + itemId;
        return switch (r.status()) {
            case "UNCLAIMED" -> new LockNotHeldException(key, "DLQ item is not claimed; claim it before " + doing
                    + " it");
            case "OTHER" -> new LockNotHeldException(key, "the claim token does not match the item's current claim"
                    + " (by worker '" + r.string(1) + "', until " + TimeCode.ofMicros(r.string(2)) + ")");
            default -> new LockNotHeldException(key, "the claim expired at " + TimeCode.ofMicros(r.string(1))
                    + " (now " + TimeCode.ofMicros(r.string(2)) + "); claim the item again");
        };
    }

    private static void requireJob(JobRef job) {
        if (job == null) {
            throw new InvalidInputException("Job is missing: pass a JobRef (repository and job id).");
        }
    }
}
