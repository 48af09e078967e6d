package io.prodigy.storage.redis;

import io.prodigy.storage.dlq.DlqClaim;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.DlqStats;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.Arguments;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.support.dlq.DlqClaims;
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
 * <p>A failure, an extension and a release with an error read the item with the store's time ({@code dlq_read.lua}),
 * apply the shared rule in Java ({@link DlqItem#recording}, {@link DlqClaims#extend}, {@link DlqClaims#release}),
 * and write the result with a compare-and-set on {@code ver} and the fence check in one script
 * ({@code dlq_write.lua}); on a lost race they read again. A removal and a release without an error leave the body
 * as it is, so they are one script ({@code dlq_settle.lua}) that clears the claim or deletes the item only if its
 * claim token is the caller's, and returns the item as it was for the shared rule ({@link DlqClaims#release},
 * {@link DlqClaims#requireHolder}) to judge: its error if the token was not the item's, its result if it was. A claim
 * is one script that walks the index oldest first and bumps {@code ver} of each item it claims, so a change computed
 * before the claim cannot land after it.
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
    public DlqItem add(JobRef job, DlqFailure failure, Fence fence) {
        Arguments.failure(job, failure);
        String key = keys.dlqItem(job, failure.itemId());
        while (true) {
            Stored read = read(key);
            Instant at = failure.at() != null ? failure.at() : read.now();
            DlqItem item = DlqItem.recording(job, read.item(), failure, at);
            if (write(job, key, read, item, fence)) {
                return item;
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
    public Page<DlqItem> list(DlqFilter filter, PageRequest page) {
        if (filter == null) {
            throw new InvalidInputException("DLQ filter is missing: use DlqFilter.forJob(job).");
        }
        JobRef job = filter.job();
        var keyset = Orders.dlqItemsOf(job);
        keyset.position(page);
        return IndexScan.page(client, "listing DLQ items of job " + job, keys.dlqIndex(job),
                TimeCode.after(filter.after()), TimeCode.before(filter.before()), keyset, page, members -> fetch(job,
                        members), filter::matches);
    }

    @Override
    public DlqStats stats(JobRef job) {
        requireJob(job);
        List<DlqItem> items = IndexScan.collect(client, "reading the DLQ of job " + job, keys.dlqIndex(job), "-", "+",
                0, members -> fetch(job, members), item -> true);
        return DlqStats.of(job, items, client.now());
    }

    @Override
    public List<DlqItem> claim(JobRef job, String worker, int maxItems, Duration lease, Fence fence) {
        Arguments.claim(job, worker, maxItems, lease, RedisStorage.LIMITS);
        long leaseMicros = Math.max(1, lease.toNanos() / 1_000L);
        Reply r = Reply.of(client.script("claiming DLQ items of job " + job, Script.DLQ_CLAIM,
                List.of(keys.dlqIndex(job), Fences.key(keys, fence)), List.of(client.nowArg(), worker,
                        Integer.toString(maxItems), Long.toString(leaseMicros), UUID.randomUUID() + ":",
                        keys.dlqItemPrefix(job), Fences.token(fence))));
        Fences.throwIfFenced(r, fence, fenced(job));
        Reply claimed = r.list(1);
        List<DlqItem> out = new ArrayList<>(claimed.size());
        for (int i = 0; i < claimed.size(); i++) {
            Reply c = claimed.list(i);
            String key = keys.dlqItem(job, c.string(0));
            DlqItem item = Codec.read(c.string(1), DlqItem.class, key);
            out.add(item.withClaim(new DlqClaim(c.string(3), worker, TimeCode.ofMicros(c.string(4)),
                    TimeCode.ofMicros(c.string(5)))));
        }
        return out;
    }

    @Override
    public DlqItem extendClaim(JobRef job, String itemId, String claimToken, Duration lease) {
        Arguments.job(job);
        Ids.check("DLQ item id", itemId);
        Arguments.claimLease(job, lease);
        String key = keys.dlqItem(job, itemId);
        while (true) {
            Stored read = read(key);
            if (read.item() == null) {
                throw new NotFoundException(KIND, job + "/" + itemId);
            }
            DlqItem extended = DlqClaims.extend(read.item(), claimToken, lease, read.now());
            if (write(job, key, read, extended, Fence.NONE)) {
                return extended;
            }
        }
    }

    @Override
    public boolean remove(JobRef job, String itemId, String claimToken, Fence fence) {
        Arguments.job(job);
        Ids.check("DLQ item id", itemId);
        Settled settled = settle(job, itemId, "del", claimToken == null ? "" : claimToken, fence);
        if (settled.item() == null) {
            return false;
        }
        if (claimToken != null) {
            DlqClaims.requireHolder(settled.item(), claimToken);
        }
        settled.requireChanged();
        return true;
    }

    @Override
    public DlqItem release(JobRef job, String itemId, String claimToken, String error, Fence fence) {
        Arguments.job(job);
        Ids.check("DLQ item id", itemId);
        if (error == null && claimToken != null) {
            // The claim goes and the body stays: one script, compared on the token (docs/redis.md).
            Settled settled = settle(job, itemId, "unclaim", claimToken, fence);
            if (settled.item() == null) {
                throw new NotFoundException(KIND, job + "/" + itemId);
            }
            DlqItem released = DlqClaims.release(settled.item(), claimToken, null, settled.now());
            settled.requireChanged();
            return released;
        }
        String key = keys.dlqItem(job, itemId);
        while (true) {
            Stored read = read(key);
            if (read.item() == null) {
                throw new NotFoundException(KIND, job + "/" + itemId);
            }
            DlqItem released = DlqClaims.release(read.item(), claimToken, error, read.now());
            if (released == read.item() || write(job, key, read, released, fence)) {
                return released;
            }
        }
    }

    @Override
    public long purge(JobRef job, Fence fence) {
        Arguments.job(job);
        long removed = 0;
        while (true) {
            Reply r = Reply.of(client.script("purging the DLQ of job " + job, Script.DLQ_PURGE,
                    List.of(keys.dlqIndex(job), keys.dlqJobs(), Fences.key(keys, fence)),
                    List.of(Integer.toString(PURGE_CHUNK), keys.dlqItemPrefix(job), Keys.jobMember(job),
                            Fences.token(fence))));
            Fences.throwIfFenced(r, fence, fenced(job));
            removed += r.number(1);
            if (r.number(2) == 0) {
                return removed;
            }
        }
    }

    @Override
    public Page<JobRef> listJobs(String repository, PageRequest page) {
        return IndexScan.jobs(client, "listing jobs with DLQ items", keys.dlqJobs(), repository, Orders.DLQ_JOBS,
                page);
    }

    /**
     * What {@code dlq_settle} found: the item as it was (with its claim; {@code null} if absent), whether the script
     * changed it (its claim token matched, or none was asked for), and the store's time.
     */
    private record Settled(DlqItem item, boolean changed, Instant now) {

        /**
         * The script changed nothing only when the item's claim token was not the caller's, and then the shared rule,
         * judging the same item, has already thrown; reaching here means the two disagree.
         */
        void requireChanged() {
            if (!changed) {
                throw new IllegalStateException("dlq_settle refused " + DlqClaims.key(item)
                        + " for its claim token, but DlqClaims accepts the token");
            }
        }
    }

    /** Runs {@code dlq_settle}: {@code op} ({@code unclaim} or {@code del}) if the item's claim token is {@code token}. */
    private Settled settle(JobRef job, String itemId, String op, String token, Fence fence) {
        String key = keys.dlqItem(job, itemId);
        Reply r = Reply.of(client.script((op.equals("del") ? "removing" : "releasing") + " DLQ item " + job + "/"
                + itemId, Script.DLQ_SETTLE, List.of(key, keys.dlqIndex(job), keys.dlqJobs(), Fences.key(keys, fence)),
                List.of(op, token, Fences.token(fence), Keys.jobMember(job), client.nowArg())));
        Fences.throwIfFenced(r, fence, fenced(job));
        if (r.is("ABSENT")) {
            return new Settled(null, false, null);
        }
        Reply f = r.list(2);
        DlqItem item = Codec.read(f.string(0), DlqItem.class, key).withClaim(claim(f.string(2), f.string(3),
                f.string(4), f.string(5)));
        return new Settled(item, r.is("OK"), TimeCode.ofMicros(r.string(1)));
    }

    /** An item as read (with its claim), with its version (0 if absent) and the store's time. */
    private record Stored(DlqItem item, long version, Instant now) {}

    private Stored read(String key) {
        Reply r = Reply.of(client.readScript("reading DLQ item " + key, Script.DLQ_READ, List.of(key),
                List.of(client.nowArg())));
        Instant now = TimeCode.ofMicros(r.string(0));
        Reply f = r.list(1);
        if (f.isNull(0)) {
            return new Stored(null, 0, now);
        }
        DlqItem item = Codec.read(f.string(0), DlqItem.class, key).withClaim(claim(f.string(2), f.string(3),
                f.string(4), f.string(5)));
        return new Stored(item, Long.parseLong(f.string(1)), now);
    }

    /**
     * Writes {@code item} (with its claim), or deletes the item if {@code null}, if it is still at the version
     * {@code read} found; fenced.
     *
     * @return false if it changed meanwhile (read again)
     */
    private boolean write(JobRef job, String key, Stored read, DlqItem item, Fence fence) {
        DlqClaim c = item == null ? null : item.claim();
        List<String> args = List.of(Long.toString(read.version()), Fences.token(fence), item == null ? "del" : "put",
                item == null ? "" : body(item), item == null ? "" : TimeCode.of(item.enqueuedAt()) + item.itemId(),
                Keys.jobMember(job), c == null ? "" : c.token(), c == null ? "" : c.worker(),
                c == null ? "" : Long.toString(TimeCode.micros(c.claimedAt())),
                c == null ? "" : Long.toString(TimeCode.micros(c.expiresAt())));
        Reply r = Reply.of(client.script("writing DLQ item " + key, Script.DLQ_WRITE,
                List.of(key, keys.dlqIndex(job), keys.dlqJobs(), Fences.key(keys, fence)), args));
        Fences.throwIfFenced(r, fence, fenced(job));
        return r.is("OK");
    }

    private static String fenced(JobRef job) {
        return "DLQ of job " + job;
    }

    private List<DlqItem> fetch(JobRef job, List<String> members) {
        return client.read("listing DLQ items of job " + job, j -> {
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
        });
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

    private static void requireJob(JobRef job) {
        if (job == null) {
            throw new InvalidInputException("Job is missing: pass a JobRef (repository and job id).");
        }
    }
}
