package io.prodigy.storage.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.prodigy.storage.Capability;
import io.prodigy.storage.checkpoint.CheckpointStorage;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.health.HealthReport;
import io.prodigy.storage.lock.LockService;
import io.prodigy.storage.session.SessionStorage;
import io.prodigy.storage.workflow.WorkflowStorage;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackendStorageTest {

    /** A sub-store that is only ever compared by identity here. */
    private static <T> T placeholder(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> type.getSimpleName();
                    default -> throw new AssertionError("not called in this test: " + method);
                }));
    }

    private static final class Backend extends BackendStorage {
        Backend(StoreSet stores) {
            useStores(stores);
        }

        void setAgain(StoreSet stores) {
            useStores(stores);
        }

        @Override
        public String backendType() {
            return "test";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public Instant now() {
            return Instant.EPOCH;
        }

        @Override
        public HealthReport health() {
            throw new AssertionError("not called");
        }

        @Override
        public void close() {}
    }

    private static StoreSet stores() {
        return new StoreSet(placeholder(SessionStorage.class), placeholder(EventStorage.class),
                placeholder(CheckpointStorage.class), placeholder(DlqStorage.class),
                placeholder(WorkflowStorage.class), placeholder(LockService.class));
    }

    @Test
    void gettersReturnTheStoresHandedOver() {
        StoreSet stores = stores();
        Backend backend = new Backend(stores);
        assertSame(stores.sessions(), backend.sessions());
        assertSame(stores.events(), backend.events());
        assertSame(stores.checkpoints(), backend.checkpoints());
        assertSame(stores.dlq(), backend.dlq());
        assertSame(stores.workflows(), backend.workflows());
        assertSame(stores.locks(), backend.locks());
    }

    @Test
    void storesAreSetOnceAndNeverReplaced() {
        StoreSet first = stores();
        Backend backend = new Backend(first);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> backend.setAgain(stores()));
        assertEquals("the sub-stores of Backend are already set", e.getMessage());
        assertSame(first.sessions(), backend.sessions());
    }

    @Test
    void nullStoresAreRefused() {
        assertThrows(NullPointerException.class, () -> new Backend(null));
    }
}
