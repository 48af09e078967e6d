package io.prodigy.storage.tck;

import static io.prodigy.storage.tck.ContractAssertions.assertFencedOut;
import static io.prodigy.storage.tck.ContractAssertions.assertInvalidInput;
import static io.prodigy.storage.tck.ContractAssertions.assertVersionConflict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.Capability;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.session.SessionStorage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract of {@link SessionStorage}: create/update with optimistic revisions, conflicts that name the key and
 * both revisions, fencing of every mutating call, {@code list} filters, order and limit, {@code updateState},
 * {@code delete}, copies independent of the caller's objects, and invalid ids rejected before they reach the store.
 *
 * <p>Use it by extending it in the backend's test sources and implementing the one hook:
 * <pre>{@code
 * class FileSessionStorageContractTest extends SessionStorageContract {
 *     @TempDir Path dir;
 *     protected UnifiedStorage open(StorageContext context) {
 *         return new FileStorageProvider().open(
 *                 StorageConfig.forBackend("file").withBackendOption("base_dir", dir.toString()), context);
 *     }
 * }
 * }</pre>
 * Every test creates sessions with fresh ids and isolates its listings by a fresh worktree name, so the store may be
 * shared with other tests.
 */
public abstract class SessionStorageContract extends StorageContractSupport {

    private SessionStorage sessions() {
        return storage().sessions();
    }

    private static PersistedSession newSession(String worktree, Instant startedAt) {
        return PersistedSession.create(uniqueId("session"), startedAt).withWorktreeName(worktree);
    }

    private static ObjectNode json(String key, int value) {
        return Json.nodes().objectNode().put(key, value);
    }

    private List<String> listIds(SessionFilter filter) {
        return sessions().list(filter).stream().map(PersistedSession::id).toList();
    }

    @Test
    void createStoresRevisionOneAndLoadReturnsTheStoredCopy() {
        PersistedSession stored = sessions().save(newSession(uniqueId("wt"), at(0)));

        assertThat(stored.revision()).isEqualTo(1);
        assertThat(sessions().load(stored.id())).contains(stored);
    }

    @Test
    void everyFieldRoundTrips() {
        Map<String, JsonNode> metadata = Map.of(
                "workflow", Json.nodes().textNode("deploy.yml"),
                "attempt", Json.nodes().numberNode(3),
                "nested", Json.nodes().objectNode().put("flag", true).set("list",
                        Json.nodes().arrayNode().add(1).add("two")));
        PersistedSession session = new PersistedSession(uniqueId("session"), SessionState.IN_PROGRESS, at(1_234),
                at(1_234), 7, 42, uniqueId("worktree"), metadata, 0);

        PersistedSession stored = sessions().save(session);
        PersistedSession loaded = sessions().load(session.id()).orElseThrow();

        assertThat(loaded).isEqualTo(stored);
        assertThat(loaded.state()).isEqualTo(SessionState.IN_PROGRESS);
        assertThat(loaded.startedAt()).isEqualTo(at(1_234));
        assertThat(loaded.iterationsCompleted()).isEqualTo(7);
        assertThat(loaded.filesChanged()).isEqualTo(42);
        assertThat(loaded.worktreeName()).isEqualTo(session.worktreeName());
        assertThat(loaded.metadata()).isEqualTo(metadata);
    }

    @Test
    void writesStampUpdatedAtWithTheStoreClock() {
        assumeCapability(Capability.CLIENT_CLOCK);
        Instant createdAt = clock.advance(Duration.ofSeconds(5));
        PersistedSession created = sessions().save(newSession(uniqueId("wt"), at(0)));
        assertThat(created.updatedAt()).as("the store sets updatedAt, whatever the caller passed")
                .isEqualTo(createdAt);

        Instant later = clock.advance(Duration.ofSeconds(90));
        PersistedSession updated = sessions().save(created.withProgress(1, 1));
        assertThat(updated.updatedAt()).isEqualTo(later);
        assertThat(updated.startedAt()).as("startedAt never changes").isEqualTo(at(0));
        assertThat(sessions().updateState(created.id(), SessionState.PAUSED).updatedAt()).isEqualTo(later);
    }

    @Test
    void instantsWithNanosecondsComeBackAsSavedAtMicrosecondPrecision() {
        Instant nanos = Instant.parse("2026-01-15T10:00:00.123456789Z");
        PersistedSession saved = sessions().save(newSession(uniqueId("wt"), nanos));

        assertThat(saved.startedAt()).as("truncated by the record, not by the backend")
                .isEqualTo(Instant.parse("2026-01-15T10:00:00.123456Z"));
        assertThat(sessions().load(saved.id())).as("what save returned is what load returns").contains(saved);
    }

    @Test
    void storeStampedInstantsLieWithinTheRealTimeAroundTheCall() {
        // Real time, for backends on server time too: the store's clock may differ from ours by the tolerance.
        Duration tolerance = Duration.ofSeconds(5);
        Instant before = capabilities().contains(Capability.CLIENT_CLOCK) ? clock.instant() : Instant.now();
        PersistedSession saved = sessions().save(newSession(uniqueId("wt"), at(0)));
        Instant after = capabilities().contains(Capability.CLIENT_CLOCK) ? clock.instant() : Instant.now();

        assertThat(saved.updatedAt()).isBetween(before.minus(tolerance).truncatedTo(ChronoUnit.MICROS),
                after.plus(tolerance));
        assertThat(storage().now()).isBetween(before.minus(tolerance), after.plus(tolerance));
    }

    @Test
    void loadOfAnUnknownIdIsEmpty() {
        assertThat(sessions().load(uniqueId("session"))).isEmpty();
    }

    @Test
    void creatingAnExistingIdIsAConflictNotAnOverwrite() {
        PersistedSession first = sessions().save(newSession(uniqueId("wt"), at(0)));
        PersistedSession again = PersistedSession.create(first.id(), at(5)).withProgress(9, 9);

        assertVersionConflict(() -> sessions().save(again), first.id(), 0, 1);
        assertThat(sessions().load(first.id())).contains(first);
    }

    @Test
    void updateWithTheStoredRevisionBumpsIt() {
        PersistedSession created = sessions().save(newSession(uniqueId("wt"), at(0)));
        PersistedSession updated = sessions().save(created.withState(SessionState.IN_PROGRESS).withProgress(2, 3));
        PersistedSession again = sessions().save(updated.withProgress(4, 5));

        assertThat(updated.revision()).isEqualTo(2);
        assertThat(again.revision()).isEqualTo(3);
        assertThat(sessions().load(created.id())).contains(again);
        assertThat(again.iterationsCompleted()).isEqualTo(4);
        assertThat(again.state()).isEqualTo(SessionState.IN_PROGRESS);
    }

    @Test
    void updateWithAStaleRevisionFailsAndChangesNothing() {
        PersistedSession v1 = sessions().save(newSession(uniqueId("wt"), at(0)));
        PersistedSession v2 = sessions().save(v1.withProgress(1, 1));

        assertVersionConflict(() -> sessions().save(v1.withProgress(99, 99)), v1.id(), 1, 2);
        assertThat(sessions().load(v1.id())).contains(v2);
    }

    @Test
    void updateOfADeletedSessionIsAConflict() {
        PersistedSession v1 = sessions().save(newSession(uniqueId("wt"), at(0)));
        assertThat(sessions().delete(v1.id())).isTrue();

        assertVersionConflict(() -> sessions().save(v1.withProgress(1, 1)), v1.id(), 1, 0);
        assertThat(sessions().load(v1.id())).isEmpty();
    }

    @Test
    void storedCopiesAreIndependentOfTheCallersObjects() {
        ObjectNode meta = json("count", 1);
        PersistedSession stored = sessions().save(
                newSession(uniqueId("wt"), at(0)).withMetadata(Map.of("meta", meta)));

        meta.put("count", 666);
        PersistedSession loaded = sessions().load(stored.id()).orElseThrow();
        assertThat(loaded.metadata().get("meta")).isEqualTo(json("count", 1));

        ((ObjectNode) loaded.metadata().get("meta")).put("count", 777);
        ((ObjectNode) stored.metadata().get("meta")).put("count", 888);
        assertThat(sessions().load(stored.id()).orElseThrow().metadata().get("meta")).isEqualTo(json("count", 1));
    }

    @Test
    void listOrdersByStartTimeThenId() {
        String wt = uniqueId("wt");
        PersistedSession late = sessions().save(newSession(wt, at(3_000)));
        PersistedSession early = sessions().save(newSession(wt, at(1_000)));
        PersistedSession tieA = sessions().save(PersistedSession.create("a-" + uniqueId("s"), at(2_000))
                .withWorktreeName(wt));
        PersistedSession tieB = sessions().save(PersistedSession.create("b-" + uniqueId("s"), at(2_000))
                .withWorktreeName(wt));

        assertThat(sessions().list(SessionFilter.ALL.withWorktreeName(wt)))
                .containsExactly(early, tieA, tieB, late);
    }

    @Test
    void listFiltersByState() {
        String wt = uniqueId("wt");
        PersistedSession running = sessions().save(newSession(wt, at(0)).withState(SessionState.IN_PROGRESS));
        PersistedSession done = sessions().save(newSession(wt, at(1)).withState(SessionState.COMPLETED));
        PersistedSession running2 = sessions().save(newSession(wt, at(2)).withState(SessionState.IN_PROGRESS));

        SessionFilter mine = SessionFilter.ALL.withWorktreeName(wt);
        assertThat(listIds(mine.withState(SessionState.IN_PROGRESS))).containsExactly(running.id(), running2.id());
        assertThat(listIds(mine.withState(SessionState.COMPLETED))).containsExactly(done.id());
        assertThat(listIds(mine.withState(SessionState.FAILED))).isEmpty();
    }

    @Test
    void listFiltersByStartTimeBoundsExclusively() {
        String wt = uniqueId("wt");
        PersistedSession s1 = sessions().save(newSession(wt, at(1_000)));
        PersistedSession s2 = sessions().save(newSession(wt, at(2_000)));
        PersistedSession s3 = sessions().save(newSession(wt, at(3_000)));

        SessionFilter mine = SessionFilter.ALL.withWorktreeName(wt);
        assertThat(listIds(mine.withAfter(at(1_000)))).containsExactly(s2.id(), s3.id());
        assertThat(listIds(mine.withBefore(at(3_000)))).containsExactly(s1.id(), s2.id());
        assertThat(listIds(mine.withAfter(at(1_000)).withBefore(at(3_000)))).containsExactly(s2.id());
        assertThat(listIds(mine.withAfter(at(999)).withBefore(at(3_001)))).containsExactly(s1.id(), s2.id(), s3.id());
    }

    @Test
    void listFiltersByWorktreeName() {
        String wtA = uniqueId("wt");
        String wtB = uniqueId("wt");
        PersistedSession a = sessions().save(newSession(wtA, at(0)));
        PersistedSession b = sessions().save(newSession(wtB, at(0)));

        assertThat(listIds(SessionFilter.ALL.withWorktreeName(wtA))).containsExactly(a.id());
        assertThat(listIds(SessionFilter.ALL.withWorktreeName(wtB))).containsExactly(b.id());
        assertThat(listIds(SessionFilter.ALL)).contains(a.id(), b.id());
    }

    @Test
    void listAppliesTheLimitAfterFilteringAndOrdering() {
        String wt = uniqueId("wt");
        PersistedSession s3 = sessions().save(newSession(wt, at(3)).withState(SessionState.PAUSED));
        PersistedSession s1 = sessions().save(newSession(wt, at(1)).withState(SessionState.PAUSED));
        sessions().save(newSession(wt, at(0)).withState(SessionState.FAILED));
        sessions().save(newSession(wt, at(4)).withState(SessionState.PAUSED));

        SessionFilter mine = SessionFilter.ALL.withWorktreeName(wt);
        assertThat(listIds(mine.withState(SessionState.PAUSED).withLimit(2))).containsExactly(s1.id(), s3.id());
        assertThat(listIds(mine.withLimit(10))).hasSize(4);
        assertThat(listIds(mine.withLimit(0))).as("limit 0 means no limit").hasSize(4);
    }

    @Test
    void deleteRemovesTheSessionAndReportsWhetherItExisted() {
        String wt = uniqueId("wt");
        PersistedSession kept = sessions().save(newSession(wt, at(0)));
        PersistedSession gone = sessions().save(newSession(wt, at(1)));

        assertThat(sessions().delete(gone.id())).isTrue();
        assertThat(sessions().delete(gone.id())).isFalse();
        assertThat(sessions().delete(uniqueId("never"))).isFalse();
        assertThat(sessions().load(gone.id())).isEmpty();
        assertThat(listIds(SessionFilter.ALL.withWorktreeName(wt))).containsExactly(kept.id());
    }

    @Test
    void aDeletedIdCanBeCreatedAgain() {
        PersistedSession first = sessions().save(newSession(uniqueId("wt"), at(0)));
        sessions().delete(first.id());

        PersistedSession again = sessions().save(PersistedSession.create(first.id(), at(50)));
        assertThat(again.revision()).isEqualTo(1);
        assertThat(sessions().load(first.id()).orElseThrow().startedAt()).isEqualTo(at(50));
    }

    @Test
    void updateStateSetsTheStateWhateverTheRevisionAndBumpsIt() {
        PersistedSession v1 = sessions().save(newSession(uniqueId("wt"), at(0)).withProgress(3, 4));
        sessions().save(v1.withProgress(5, 6));

        PersistedSession result = sessions().updateState(v1.id(), SessionState.COMPLETED);

        assertThat(result.state()).isEqualTo(SessionState.COMPLETED);
        assertThat(result.revision()).isEqualTo(3);
        assertThat(result.iterationsCompleted()).as("other fields are kept").isEqualTo(5);
        assertThat(sessions().load(v1.id())).contains(result);
    }

    @Test
    void updateStateOfAnUnknownSessionIsNotFound() {
        String id = uniqueId("session");
        assertThatThrownBy(() -> sessions().updateState(id, SessionState.FAILED))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining(id);
        assertThat(sessions().load(id)).isEmpty();
    }

    @Test
    void updateWithASupersededFenceIsRejectedAndChangesNothing() {
        PersistedSession v1 = sessions().save(newSession(uniqueId("wt"), at(0)));
        SupersededLease lease = supersede(uniqueId("lock"));

        assertFencedOut(() -> sessions().save(v1.withProgress(9, 9), lease.stale().fence()), v1.id(),
                lease.stale(), lease.current());
        assertThat(sessions().load(v1.id())).contains(v1);

        PersistedSession v2 = sessions().save(v1.withProgress(1, 1), lease.current().fence());
        assertThat(v2.revision()).isEqualTo(2);
    }

    @Test
    void createWithASupersededFenceIsRejected() {
        PersistedSession session = newSession(uniqueId("wt"), at(0));
        SupersededLease lease = supersede(uniqueId("lock"));

        assertFencedOut(() -> sessions().save(session, lease.stale().fence()), session.id(), lease.stale(),
                lease.current());
        assertThat(sessions().load(session.id())).isEmpty();
    }

    @Test
    void deleteAndUpdateStateWithASupersededFenceAreRejected() {
        PersistedSession v1 = sessions().save(newSession(uniqueId("wt"), at(0)));
        SupersededLease lease = supersede(uniqueId("lock"));

        assertFencedOut(() -> sessions().delete(v1.id(), lease.stale().fence()), v1.id(), lease.stale(),
                lease.current());
        assertFencedOut(() -> sessions().updateState(v1.id(), SessionState.FAILED, lease.stale().fence()), v1.id(),
                lease.stale(), lease.current());
        assertThat(sessions().load(v1.id())).contains(v1);

        assertThat(sessions().updateState(v1.id(), SessionState.FAILED, lease.current().fence()).state())
                .isEqualTo(SessionState.FAILED);
        assertThat(sessions().delete(v1.id(), lease.current().fence())).isTrue();
    }

    @Test
    void aReleasedLeaseFenceStaysValidUntilTheKeyIsGrantedAgain() {
        String lockKey = uniqueId("lock");
        var lease = storage().locks().tryAcquire(lockKey, Duration.ofMinutes(1)).orElseThrow();
        storage().locks().release(lease);

        PersistedSession stored = sessions().save(newSession(uniqueId("wt"), at(0)), lease.fence());
        assertThat(stored.revision()).as("no higher token was granted, so the fence is not stale").isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.prodigy.storage.tck.InvalidIds#all")
    void invalidIdsAreRejectedBeforeReachingTheStore(String label, String badId) {
        assertInvalidInput(() -> sessions().load(badId), "load of session id " + label);
        assertInvalidInput(() -> sessions().delete(badId), "delete of session id " + label);
        assertInvalidInput(() -> sessions().updateState(badId, SessionState.FAILED),
                "updateState of session id " + label);
        assertInvalidInput(() -> PersistedSession.create(badId, at(0)), "a session record with id " + label);
    }
}
