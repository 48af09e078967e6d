package io.prodigy.storage.redis;

import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.session.SessionStorage;
import io.prodigy.storage.support.Arguments;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.support.revision.Revisions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Sessions: a hash per session ({@code body}, {@code rev}, {@code upd}, {@code st}, {@code ix}); the state lives
 * outside the body so {@link #updateState} is one script that never parses JSON. Indexes of
 * {@code (startedAt, id)}: all sessions, per state and per worktree; {@link #list} reads the narrowest one that the
 * filter allows and checks the rest on the records.
 */
final class RedisSessionStorage implements SessionStorage {

    static final String KIND = "session";
    private static final String[] FIELDS = {"body", "rev", "upd", "st"};

    private final RedisClient client;
    private final Keys keys;
    private final Records records;

    RedisSessionStorage(RedisClient client, Keys keys, Records records) {
        this.client = client;
        this.keys = keys;
        this.records = records;
    }

    @Override
    public PersistedSession save(PersistedSession session, Fence fence) {
        Arguments.record("Session", session);
        String member = TimeCode.of(session.startedAt()) + session.id();
        IndexEntries index = new IndexEntries()
                .add(keys.sessionIndex(), member)
                .add(keys.sessionsInState(session.state()), member);
        if (session.worktreeName() != null) {
            index.add(keys.sessionsInWorktree(session.worktreeName()), member);
        }
        Records.Saved saved = records.save(KIND, session.id(), keys.session(session.id()), fence, session.revision(),
                Codec.write(session, "session '" + session.id() + "'"), index, "st", session.state().name());
        if (saved.written()) {
            return session.stored(saved.revision(), TimeCode.ofMicros(saved.stampMicros()));
        }
        List<String> c = saved.current();
        PersistedSession current = decode(keys.session(session.id()),
                Arrays.asList(c.get(0), Long.toString(saved.revision()), c.get(1), c.get(2)));
        return Revisions.session(session, current, Instant.EPOCH).record();
    }

    @Override
    public Optional<PersistedSession> load(String id) {
        Ids.check("session id", id);
        String key = keys.session(id);
        List<String> f = client.read("loading session '" + id + "'", j -> j.hmget(key, FIELDS));
        return Optional.ofNullable(decode(key, f));
    }

    @Override
    public Page<PersistedSession> list(SessionFilter filter, PageRequest page) {
        SessionFilter f = filter == null ? SessionFilter.ALL : filter;
        Orders.SESSIONS.position(page);
        String index = f.worktreeName() != null ? keys.sessionsInWorktree(f.worktreeName())
                : f.state() != null ? keys.sessionsInState(f.state()) : keys.sessionIndex();
        return IndexScan.page(client, "listing sessions", index, TimeCode.after(f.after()),
                TimeCode.before(f.before()), Orders.SESSIONS, page, this::fetch, f::matches);
    }

    @Override
    public boolean delete(String id, Fence fence) {
        Ids.check("session id", id);
        return records.delete(KIND, id, keys.session(id), fence);
    }

    @Override
    public PersistedSession updateState(String id, SessionState state, Fence fence) {
        Ids.check("session id", id);
        if (state == null) {
            throw new InvalidInputException("New state for session '" + id + "' is missing: pass a SessionState.");
        }
        String key = keys.session(id);
        Reply r = Reply.of(client.script("updating the state of session '" + id + "'", Script.SES_STATE,
                List.of(key, Fences.key(keys, fence)), List.of(client.nowArg(), Fences.token(fence),
                        state.name(), keys.sessionStatePrefix(), keys.sessionsInState(state))));
        switch (r.status()) {
            case "OK" -> {
                PersistedSession body = Codec.read(r.string(3), PersistedSession.class, key);
                return body.withState(state).withWriteId(body.writeId()).stored(r.number(1),
                        TimeCode.ofMicros(r.number(2)));
            }
            case "FENCED" -> {
                Fences.throwIfFenced(r, fence, KIND + " '" + id + "'");
                throw new IllegalStateException("unreachable");
            }
            default -> throw new NotFoundException(KIND, id);
        }
    }

    private List<PersistedSession> fetch(List<String> members) {
        return client.read("listing sessions", j -> {
            List<Response<List<String>>> replies = new ArrayList<>(members.size());
            try (Pipeline p = j.pipelined()) {
                for (String m : members) {
                    replies.add(p.hmget(keys.session(IndexScan.idOf(m)), FIELDS));
                }
            }
            List<PersistedSession> out = new ArrayList<>(members.size());
            for (int i = 0; i < members.size(); i++) {
                PersistedSession s = decode(keys.session(IndexScan.idOf(members.get(i))), replies.get(i).get());
                if (s != null) {
                    out.add(s);
                }
            }
            return out;
        });
    }

    private static PersistedSession decode(String key, List<String> f) {
        if (f.get(0) == null) {
            return null;
        }
        PersistedSession body = Codec.read(f.get(0), PersistedSession.class, key);
        return body.withState(SessionState.valueOf(f.get(3))).withWriteId(body.writeId())
                .stored(Long.parseLong(f.get(1)),
                TimeCode.ofMicros(f.get(2)));
    }
}
