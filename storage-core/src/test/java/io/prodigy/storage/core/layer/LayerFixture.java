package io.prodigy.storage.core.layer;

import io.prodigy.storage.Capability;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.RetryPolicy;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.core.layer.forward.ForwardingStorage;
import io.prodigy.storage.memory.MemoryStorageProvider;
import io.prodigy.storage.tck.fault.FaultInjectingStorage;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * The stack most layer tests use: the memory backend, under a {@link FaultInjectingStorage} (to inject faults and
 * count what reaches the backend), under the layers, all on one {@link VirtualTime}.
 */
public final class LayerFixture implements AutoCloseable {

    /** 1s, 2s, 4s: the documented default schedule, without jitter so delays are exact. */
    public static final RetryPolicy NO_JITTER = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(30),
            2.0, false);

    public final VirtualTime time = new VirtualTime();
    public final UnifiedStorage memory;
    public final FaultInjectingStorage faults;
    public final LayeredStorage storage;

    private LayerFixture(StorageConfig config, LayerOptions options, boolean hideIdempotentAppend) {
        StorageContext context = new StorageContext(time.clock(), null);
        this.memory = new MemoryStorageProvider().open(StorageConfig.forBackend("memory"), context);
        UnifiedStorage backend = hideIdempotentAppend ? withoutIdempotentAppend(memory) : memory;
        this.faults = FaultInjectingStorage.wrap(backend, time.faultSleeper());
        this.storage = StorageLayers.decorate(faults, config, context, options
                .withSleeper(time.retrySleeper())
                .withTimeLimiter(time)
                .withNanoTicker(time.nanoTicker()));
    }

    /** Memory backend with {@code config}'s layers (backend "memory", retry without jitter unless set). */
    public static LayerFixture with(StorageConfig config) {
        return new LayerFixture(config, LayerOptions.DEFAULT, false);
    }

    public static LayerFixture with(StorageConfig config, LayerOptions options) {
        return new LayerFixture(config, options, false);
    }

    /** As {@link #with(StorageConfig)}, but the backend does not declare {@link Capability#IDEMPOTENT_APPEND}. */
    public static LayerFixture withoutIdempotentAppend(StorageConfig config) {
        return new LayerFixture(config, LayerOptions.DEFAULT, true);
    }

    /** The default configuration on the memory backend, with {@link #NO_JITTER} retries. */
    public static StorageConfig config() {
        return StorageConfig.forBackend("memory").withRetryPolicy(NO_JITTER);
    }

    private static UnifiedStorage withoutIdempotentAppend(UnifiedStorage storage) {
        return new ForwardingStorage(storage) {
            @Override
            public Set<Capability> capabilities() {
                Set<Capability> caps = EnumSet.noneOf(Capability.class);
                caps.addAll(super.capabilities());
                caps.remove(Capability.IDEMPOTENT_APPEND);
                return caps;
            }
        };
    }

    @Override
    public void close() {
        storage.close();
    }
}
