package io.prodigy.storage.memory.tck;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.checkpoint.CheckpointStorage;
import io.prodigy.storage.dlq.DlqClaim;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.lock.LockService;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionStorage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Deliberately broken backends: the memory backend with one behaviour of the contract broken through a dynamic
 * proxy. {@link TckDetectsBrokenBackendsTest} runs contract tests against them to prove the contracts can fail.
 * Each override replaces every overload of the named method (so default methods cannot bypass it).
 */
final class BrokenBackends {

    private BrokenBackends() {}

    /** A proxy of {@code target} whose methods named in {@code overrides} are replaced. */
    @SuppressWarnings("unchecked")
    static <T> T override(Class<T> type, T target, Map<String, Function<Object[], Object>> overrides) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            Function<Object[], Object> replacement = overrides.get(method.getName());
            if (replacement != null) {
                return replacement.apply(args == null ? new Object[0] : args);
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    /** {@code real} with one sub-store replaced (the accessor returns the same replacement every time). */
    private static UnifiedStorage withStore(UnifiedStorage real, String accessor, Object replacement) {
        return override(UnifiedStorage.class, real, Map.of(accessor, args -> replacement));
    }

    /** Locks without exclusion: {@code tryAcquire} breaks any live lease first. */
    static UnifiedStorage locksWithoutExclusion(UnifiedStorage real) {
        LockService locks = real.locks();
        return withStore(real, "locks", override(LockService.class, locks, Map.of("tryAcquire", args -> {
            String key = (String) args[0];
            locks.forceRelease(key);
            return locks.tryAcquire(key, (Duration) args[1]);
        })));
    }

    /** Sessions whose create overwrites an existing id instead of reporting a conflict. */
    static UnifiedStorage sessionsThatOverwrite(UnifiedStorage real) {
        SessionStorage sessions = real.sessions();
        return withStore(real, "sessions", override(SessionStorage.class, sessions, Map.of("save", args -> {
            PersistedSession s = (PersistedSession) args[0];
            Fence fence = args.length > 1 ? (Fence) args[1] : Fence.NONE;
            Optional<PersistedSession> existing = sessions.load(s.id());
            if (s.revision() == 0 && existing.isPresent()) {
                PersistedSession overwrite = new PersistedSession(s.id(), s.state(), s.startedAt(), s.updatedAt(),
                        s.iterationsCompleted(), s.filesChanged(), s.worktreeName(), s.metadata(),
                        existing.get().revision());
                return sessions.save(overwrite, fence);
            }
            return sessions.save(s, fence);
        })));
    }

    /** Sessions that ignore the fence. */
    static UnifiedStorage sessionsIgnoringFences(UnifiedStorage real) {
        SessionStorage sessions = real.sessions();
        return withStore(real, "sessions", override(SessionStorage.class, sessions, Map.of(
                "save", args -> sessions.save((PersistedSession) args[0], Fence.NONE))));
    }

    /** Sessions whose {@code load} lets invalid ids through to the map (and finds nothing). */
    static UnifiedStorage sessionsWithoutIdValidation(UnifiedStorage real) {
        SessionStorage sessions = real.sessions();
        return withStore(real, "sessions", override(SessionStorage.class, sessions, Map.of("load", args -> {
            try {
                return sessions.load((String) args[0]);
            } catch (InvalidInputException e) {
                return Optional.empty();
            }
        })));
    }

    /** Event queries that ignore the filter's limit. */
    static UnifiedStorage queriesIgnoringTheLimit(UnifiedStorage real) {
        EventStorage events = real.events();
        return withStore(real, "events", override(EventStorage.class, events, Map.of(
                "query", args -> events.query(((EventFilter) args[0]).withLimit(0)))));
    }

    /** Appends that store a batch one event at a time, so a bad event leaves the ones before it stored. */
    @SuppressWarnings("unchecked")
    static UnifiedStorage appendsThatAreNotAtomic(UnifiedStorage real) {
        EventStorage events = real.events();
        return withStore(real, "events", override(EventStorage.class, events, Map.of("append", args -> {
            JobRef job = (JobRef) args[0];
            Object last = null;
            for (NewEvent e : (List<NewEvent>) args[1]) {
                last = events.append(job, java.util.Arrays.asList(e));
            }
            return last;
        })));
    }

    /** Subscriptions that replay the whole log whatever the starting point. */
    @SuppressWarnings("unchecked")
    static UnifiedStorage subscriptionsThatIgnoreTheStart(UnifiedStorage real) {
        EventStorage events = real.events();
        return withStore(real, "events", override(EventStorage.class, events, Map.of("subscribe", args ->
                events.subscribe((EventFilter) args[0], 0, (Consumer<EventRecord>) args[args.length - 1]))));
    }

    /** Checkpoints whose {@code latest} returns the oldest. */
    static UnifiedStorage latestReturnsTheOldest(UnifiedStorage real) {
        CheckpointStorage checkpoints = real.checkpoints();
        return withStore(real, "checkpoints", override(CheckpointStorage.class, checkpoints, Map.of("latest", args -> {
            List<CheckpointInfo> infos = checkpoints.list(CheckpointFilter.forScope((CheckpointScope) args[0]));
            return infos.isEmpty() ? Optional.empty() : checkpoints.load(infos.get(0).scope(), infos.get(0).id());
        })));
    }

    /** DLQ claims that hand out items without claiming them, so two workers get the same item. */
    static UnifiedStorage claimsWithoutExclusion(UnifiedStorage real) {
        DlqStorage dlq = real.dlq();
        return withStore(real, "dlq", override(DlqStorage.class, dlq, Map.of("claim", args -> {
            JobRef job = (JobRef) args[0];
            String worker = (String) args[1];
            int max = (Integer) args[2];
            Instant now = Instant.now();
            return dlq.list(DlqFilter.forJob(job).withLimit(max)).stream()
                    .map((DlqItem i) -> i.withClaim(new DlqClaim(UUID.randomUUID().toString(), worker, now,
                            now.plus((Duration) args[3]))))
                    .toList();
        })));
    }
}
