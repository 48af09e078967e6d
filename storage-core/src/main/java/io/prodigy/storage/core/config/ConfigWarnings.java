package io.prodigy.storage.core.config;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where configuration warnings (deprecated or ineffective environment variables) go. Each distinct warning is passed
 * on once per sink, because configuration is loaded on every open and the same warning on every open is noise.
 *
 * <p>Thread-safe.
 */
public final class ConfigWarnings implements Consumer<String> {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

    /** Shared by every {@link ConfigLoader#system()} loader, so a warning is logged once per process. */
    private static final ConfigWarnings LOG_ONCE_PER_PROCESS = new ConfigWarnings(LOG::warn);

    private final Consumer<String> sink;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    private ConfigWarnings(Consumer<String> sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Logs each distinct warning at WARN, once per process. */
    public static ConfigWarnings logOncePerProcess() {
        return LOG_ONCE_PER_PROCESS;
    }

    /** Passes each distinct warning to {@code sink} once. */
    public static ConfigWarnings once(Consumer<String> sink) {
        return new ConfigWarnings(sink);
    }

    @Override
    public void accept(String warning) {
        if (seen.add(warning)) {
            sink.accept(warning);
        }
    }
}
