package io.prodigy.storage.cli.demo;

import io.prodigy.storage.UnifiedStorage;

/** The demo's storage, which a simulated crash closes and opens again. */
interface StorageHandle {

    UnifiedStorage current();

    /**
     * The coordinator process "restarts": a durable store is closed and opened again from the configuration, so the
     * resume sees only what was stored; a non-durable one (memory) is kept, since reopening would empty it.
     */
    UnifiedStorage restart();

    /** Whether {@link #restart()} really reopens the store. */
    boolean reopensOnRestart();
}
