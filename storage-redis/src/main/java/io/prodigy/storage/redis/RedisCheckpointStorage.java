package io.prodigy.storage.redis;

import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.checkpoint.CheckpointStorage;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.Arguments;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.support.revision.Revisions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Checkpoints: a hash per checkpoint ({@code body}, {@code rev}, {@code ix} and summary fields {@code kind},
 * {@code step}, {@code ca}, {@code size}, {@code sc}, {@code id}, so {@link #list} never reads a state), written by
 * the shared record script. Indexes of {@code (createdAt, id)}: per scope and per scope and kind (for
 * {@link #latest}), and of {@code (createdAt, id, scope)}: per repository (job checkpoints) and overall.
 */
final class RedisCheckpointStorage implements CheckpointStorage {

    static final String KIND = "checkpoint";
    private static final String[] SUMMARY = {"id", "sc", "kind", "ca", "step", "size", "rev"};

    private final RedisClient client;
    private final Keys keys;
    private final Records records;

    RedisCheckpointStorage(RedisClient client, Keys keys, Records records) {
        this.client = client;
        this.keys = keys;
        this.records = records;
    }

    @Override
    public Checkpoint save(Checkpoint checkpoint, Fence fence) {
        Arguments.record("Checkpoint", checkpoint);
        CheckpointScope scope = checkpoint.scope();
        String created = TimeCode.of(checkpoint.createdAt());
        String member = created + checkpoint.id();
        String wide = member + Keys.SEP + Keys.scopeKey(scope);
        IndexEntries index = new IndexEntries()
                .add(keys.checkpointsOfScope(scope), member)
                .add(keys.checkpointsOfKind(scope, checkpoint.kind()), member)
                .add(keys.allCheckpoints(), wide);
        if (scope.isJob()) {
            index.add(keys.checkpointsOfRepository(scope.job().repository()), wide);
        }
        String body = Codec.write(checkpoint, "checkpoint '" + checkpoint.id() + "'");
        Records.Saved saved = records.save(KIND, checkpoint.id(), keys.checkpoint(scope, checkpoint.id()), fence,
                checkpoint.revision(), body, index,
                "id", checkpoint.id(), "sc", Keys.scopeKey(scope), "kind", checkpoint.kind().name(), "ca", created,
                "step", Integer.toString(checkpoint.stepIndex()),
                "size", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
        if (saved.written()) {
            return checkpoint.withRevision(saved.revision());
        }
        Checkpoint current = decode(keys.checkpoint(scope, checkpoint.id()), saved.current().get(0),
                Long.toString(saved.revision()));
        return Revisions.checkpoint(checkpoint, current).record();
    }

    @Override
    public Optional<Checkpoint> load(CheckpointScope scope, String id) {
        requireScope(scope);
        Ids.check("checkpoint id", id);
        String key = keys.checkpoint(scope, id);
        List<String> f = client.read("loading checkpoint '" + id + "' of " + scope, j -> j.hmget(key, "body", "rev"));
        return Optional.ofNullable(decode(key, f.get(0), f.get(1)));
    }

    @Override
    public Optional<Checkpoint> latest(CheckpointScope scope) {
        requireScope(scope);
        return newest(scope, keys.checkpointsOfScope(scope));
    }

    @Override
    public Optional<Checkpoint> latest(CheckpointScope scope, CheckpointKind kind) {
        requireScope(scope);
        if (kind == null) {
            throw new InvalidInputException("Checkpoint kind is missing: use latest(scope) for any kind.");
        }
        return newest(scope, keys.checkpointsOfKind(scope, kind));
    }

    @Override
    public Page<CheckpointInfo> list(CheckpointFilter filter, PageRequest page) {
        CheckpointFilter f = filter == null ? CheckpointFilter.ALL : filter;
        Orders.CHECKPOINTS.position(page);
        String index;
        if (f.scope() != null) {
            index = f.kind() != null ? keys.checkpointsOfKind(f.scope(), f.kind()) : keys.checkpointsOfScope(f.scope());
        } else if (f.repository() != null) {
            index = keys.checkpointsOfRepository(f.repository());
        } else {
            index = keys.allCheckpoints();
        }
        return IndexScan.page(client, "listing checkpoints", index, TimeCode.after(f.after()),
                TimeCode.before(f.before()), Orders.CHECKPOINTS, page, members -> summaries(members, f.scope()),
                f::matches);
    }

    @Override
    public boolean delete(CheckpointScope scope, String id, Fence fence) {
        requireScope(scope);
        Ids.check("checkpoint id", id);
        return records.delete(KIND, id, keys.checkpoint(scope, id), fence);
    }

    @Override
    public int prune(CheckpointScope scope, int keep, Fence fence) {
        Arguments.keep(scope, keep);
        Reply r = Reply.of(client.script("pruning checkpoints of " + scope, Script.CP_PRUNE,
                List.of(keys.checkpointsOfScope(scope), Fences.key(keys, fence)),
                List.of(Integer.toString(keep), keys.checkpointPrefix(scope), Fences.token(fence))));
        Fences.throwIfFenced(r, fence, "checkpoints of " + scope);
        return (int) r.number(1);
    }

    private Optional<Checkpoint> newest(CheckpointScope scope, String index) {
        Reply r = Reply.of(client.readScript("reading the latest checkpoint of " + scope, Script.CP_LATEST,
                List.of(index), List.of(keys.checkpointPrefix(scope))));
        if (r.size() == 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(decode(index, r.string(0), r.string(1)));
    }

    /**
     * Summaries of a page of index members: the member's tail names the checkpoint and, in the wide indexes, its
     * scope; members of a scope's own index take {@code scope}.
     */
    private List<CheckpointInfo> summaries(List<String> members, CheckpointScope scope) {
        List<String> recordKeys = new ArrayList<>(members.size());
        for (String m : members) {
            String tail = IndexScan.idOf(m);
            int sep = tail.indexOf(Keys.SEP);
            recordKeys.add(sep < 0 ? keys.checkpoint(scope, tail)
                    : keys.checkpoint(Keys.parseScope(tail.substring(sep + 1)), tail.substring(0, sep)));
        }
        return client.read("listing checkpoints", j -> {
            List<Response<List<String>>> replies = new ArrayList<>(members.size());
            try (Pipeline p = j.pipelined()) {
                for (String key : recordKeys) {
                    replies.add(p.hmget(key, SUMMARY));
                }
            }
            List<CheckpointInfo> out = new ArrayList<>(members.size());
            for (Response<List<String>> reply : replies) {
                List<String> f = reply.get();
                if (f.get(0) != null) {
                    out.add(new CheckpointInfo(f.get(0), Keys.parseScope(f.get(1)), CheckpointKind.valueOf(f.get(2)),
                            TimeCode.parse(f.get(3)), Integer.parseInt(f.get(4)), Long.parseLong(f.get(5)),
                            Long.parseLong(f.get(6))));
                }
            }
            return out;
        });
    }

    private static Checkpoint decode(String key, String body, String rev) {
        if (body == null) {
            return null;
        }
        return Codec.read(body, Checkpoint.class, key).withRevision(Long.parseLong(rev));
    }

    private static void requireScope(CheckpointScope scope) {
        if (scope == null) {
            throw new InvalidInputException("Checkpoint scope is missing: use CheckpointScope.workflow(id) or"
                    + " CheckpointScope.job(job).");
        }
    }
}
