package io.prodigy.storage.it;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.core.StorageFactory;
import io.prodigy.storage.core.config.url.StorageUrl;
import io.prodigy.storage.config.StorageConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One test's store on one backend: the storage URL that selects it (what {@code --storage-url} gets), what a CLI
 * child process needs in its environment besides (S3 credentials), and how to drop everything it holds.
 * {@link #open()} opens it in the test JVM through the URL, as the CLI does; {@link #close()} closes what was opened
 * and drops the store.
 *
 * @param inJvmOptions backend options a store opened in this JVM adds to the URL's (S3 credentials, which a URL
 *                     never carries)
 */
record TestStore(Backend backend, String url, Map<String, Object> inJvmOptions, Map<String, String> childEnvironment,
        Runnable drop, List<UnifiedStorage> opened) implements AutoCloseable {

    TestStore(Backend backend, String url, Map<String, Object> inJvmOptions, Map<String, String> childEnvironment,
            Runnable drop) {
        this(backend, url, inJvmOptions, childEnvironment, drop, new ArrayList<>());
    }

    /** Opens the store (a memory store: a new, empty one each time). */
    UnifiedStorage open() {
        StorageConfig config = StorageUrl.parse(url).toConfig();
        for (Map.Entry<String, Object> option : inJvmOptions.entrySet()) {
            config = config.withBackendOption(option.getKey(), option.getValue());
        }
        UnifiedStorage storage = StorageFactory.create().open(config);
        opened.add(storage);
        return storage;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (UnifiedStorage s : opened) {
            try {
                s.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        opened.clear();
        drop.run();
        if (failure != null) {
            throw failure;
        }
    }

    /** The URL with any password masked, for messages and the printed matrix. */
    @Override
    public String toString() {
        return backend.label() + " " + StorageUrl.redact(url);
    }
}
