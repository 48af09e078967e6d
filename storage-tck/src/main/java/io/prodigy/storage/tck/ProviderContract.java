package io.prodigy.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.prodigy.storage.Capability;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.StorageProvider;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.session.PersistedSession;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link StorageProvider} and its configuration: the provider is found by {@link ServiceLoader}
 * under the name users write in {@code storage.backend}; its name is lower case and it describes itself; a storage
 * it opens reports the same name and capabilities; an unknown {@code backend_config} key fails at open with a
 * {@link StorageConfigException} whose key path is {@code storage.backend_config.<key>} (with a did-you-mean for a
 * near miss); and each declared capability holds: {@link Capability#CLIENT_CLOCK} (leases and stamps follow the
 * context clock), {@link Capability#DURABLE} (data survives a restart) and {@link Capability#MULTI_PROCESS} (two
 * storages over the same data see each other's writes and locks). The last two need the {@link #reopen} hook.
 *
 * <p>The hook is the configuration, not an open method: the contract opens storages itself, through the provider
 * that {@link ServiceLoader} finds.
 * <pre>{@code
 * class FileProviderContractTest extends ProviderContract {
 *     @TempDir Path dir;
 *     protected StorageConfig config() {
 *         return StorageConfig.forBackend("file").withBackendOption("base_dir", dir.toString());
 *     }
 *     protected UnifiedStorage reopen(UnifiedStorage previous, StorageContext context) {
 *         return provider().open(config(), context);   // same directory: a restart or a second process
 *     }
 * }
 * }</pre>
 */
public abstract class ProviderContract extends StorageContractSupport {

    /**
     * A valid configuration for a fresh store of the backend under test; {@code backend()} is the provider's name.
     * Give at least one {@code backend_config} key (even with its default value) to enable the did-you-mean test.
     */
    protected abstract StorageConfig config();

    /** The provider {@link ServiceLoader} finds under {@code config().backend()}. */
    protected final StorageProvider provider() {
        List<StorageProvider> found = providersNamed(config().backend());
        assertThat(found).as("providers registered under the name '%s'", config().backend()).hasSize(1);
        return found.get(0);
    }

    private static List<StorageProvider> providersNamed(String name) {
        return ServiceLoader.load(StorageProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equalsIgnoreCase(name)).toList();
    }

    @Override
    protected final UnifiedStorage open(StorageContext context) {
        return provider().open(config(), context);
    }

    @Test
    void theProviderIsFoundByServiceLoaderUnderItsName() {
        List<String> all = ServiceLoader.load(StorageProvider.class).stream().map(p -> p.get().name()).toList();

        assertThat(all).as("names of every registered provider").contains(config().backend().toLowerCase(Locale.ROOT));
        assertThat(providersNamed(config().backend())).as("exactly one provider has this name").hasSize(1);
    }

    @Test
    void theNameIsLowerCaseAndTheProviderDescribesItself() {
        StorageProvider provider = provider();
        assertThat(provider.name()).isNotBlank().isEqualTo(provider.name().toLowerCase(Locale.ROOT));
        assertThat(provider.description()).isNotBlank();
        assertThat(provider.capabilities()).isNotNull();
    }

    @Test
    void anOpenedStorageReportsTheProvidersNameAndCapabilities() {
        StorageProvider provider = provider();
        UnifiedStorage s = storage();

        assertThat(s.backendType()).isEqualTo(provider.name());
        // A storage may offer less than its provider (a configuration can turn a capability off), never more.
        assertThat(provider.capabilities()).containsAll(s.capabilities());
        assertThat(s.health().backendType()).isEqualTo(provider.name());
    }

    @Test
    void anUnknownBackendConfigKeyFailsAtOpenWithItsKeyPath() {
        StorageConfig bad = config().withBackendOption("no_such_option", "x");

        Throwable thrown = catchThrowable(() -> closeAfterTest(provider().open(bad, context())));

        assertThat(thrown).isInstanceOf(StorageConfigException.class);
        StorageConfigException e = (StorageConfigException) thrown;
        assertThat(e.keyPath()).isEqualTo("storage.backend_config.no_such_option");
        assertThat(e.getMessage()).contains("storage.backend_config.no_such_option");
    }

    @Test
    void aMisspelledBackendConfigKeySuggestsTheRealOne() {
        Map<String, Object> valid = config().backendConfig();
        String key = valid.keySet().stream().filter(k -> k.length() >= 5).findFirst().orElse(null);
        Assumptions.assumeTrue(key != null,
                "Skipped: config() has no backend_config key of 5 or more characters to misspell");
        String typo = key.substring(0, key.length() / 2) + key.substring(key.length() / 2 + 1);
        Map<String, Object> misspelled = new LinkedHashMap<>(valid);
        misspelled.put(typo, misspelled.remove(key));

        Throwable thrown = catchThrowable(
                () -> closeAfterTest(provider().open(config().withBackendConfig(misspelled), context())));

        assertThat(thrown).isInstanceOf(StorageConfigException.class);
        assertThat(((StorageConfigException) thrown).keyPath()).isEqualTo("storage.backend_config." + typo);
        assertThat(thrown.getMessage()).contains("Did you mean '" + key + "'");
    }

    @Test
    void aDeclaredClientClockIsFollowed() {
        assumeCapability(Capability.CLIENT_CLOCK);
        clock.set(TestClock.DEFAULT_START.plusSeconds(3_600));
        JobRef job = newJob();

        LockLease lease = storage().locks().tryAcquire(uniqueId("lock"), Duration.ofSeconds(10)).orElseThrow();
        storage().events().append(job, List.of(NewEvent.of("t", null)));

        assertThat(lease.acquiredAt()).isEqualTo(clock.instant());
        try (Stream<EventRecord> s = storage().events().query(EventFilter.forJob(job))) {
            assertThat(s.toList()).singleElement()
                    .satisfies(e -> assertThat(e.timestamp()).isEqualTo(clock.instant()));
        }
    }

    @Test
    void aDeclaredDurableStoreKeepsDataAcrossARestart() {
        assumeCapability(Capability.DURABLE);
        UnifiedStorage before = storage();
        JobRef job = newJob();
        PersistedSession session = before.sessions().save(PersistedSession.create(uniqueId("session"), at(0)));
        before.events().append(job, List.of(NewEvent.of("a", null), NewEvent.of("b", null)));
        before.close();

        UnifiedStorage after = reopenStorage(before);

        assertThat(after.sessions().load(session.id())).contains(session);
        assertThat(after.events().lastSequence(job)).isEqualTo(2);
        assertThat(after.events().append(job, List.of(NewEvent.of("c", null))).firstSequence()).isEqualTo(3);
    }

    @Test
    void aDeclaredMultiProcessStoreSharesWritesAndLocks() {
        assumeCapability(Capability.MULTI_PROCESS);
        UnifiedStorage first = storage();
        UnifiedStorage second = reopenStorage(first);
        JobRef job = newJob();
        String key = uniqueId("lock");

        PersistedSession session = first.sessions().save(PersistedSession.create(uniqueId("session"), at(0)));
        first.events().append(job, List.of(NewEvent.of("a", null)));
        second.events().append(job, List.of(NewEvent.of("b", null)));
        LockLease lease = first.locks().tryAcquire(key, Duration.ofMinutes(5)).orElseThrow();

        assertThat(second.sessions().load(session.id())).contains(session);
        assertThat(first.events().lastSequence(job)).isEqualTo(2);
        assertThat(second.locks().tryAcquire(key, Duration.ofMinutes(5))).as("the lock is held by the other store")
                .isEmpty();
        first.locks().release(lease);
        assertThat(second.locks().tryAcquire(key, Duration.ofMinutes(5))).hasValueSatisfying(
                l -> assertThat(l.fencingToken()).isGreaterThan(lease.fencingToken()));
    }
}
