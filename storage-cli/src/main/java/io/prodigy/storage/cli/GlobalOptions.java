package io.prodigy.storage.cli;

import io.prodigy.storage.core.config.url.StorageUrl;
import java.nio.file.Path;

/**
 * The global options as given on the command line; {@code null} means not given.
 *
 * @param storageDir {@code --storage-dir}
 * @param storageUrl {@code --storage-url} (may hold a password: {@code toString} masks it)
 * @param configFile {@code --config}
 * @param backend    {@code --backend}
 * @param repository {@code --repo}
 * @param json       {@code --json}
 * @param verbose    {@code -v/--verbose}
 */
public record GlobalOptions(Path storageDir, String storageUrl, Path configFile, String backend, String repository,
        boolean json, boolean verbose) {

    @Override
    public String toString() {
        return "GlobalOptions[storageDir=" + storageDir + ", storageUrl=" + StorageUrl.redact(storageUrl)
                + ", configFile=" + configFile + ", backend=" + backend + ", repository=" + repository + ", json="
                + json + ", verbose=" + verbose + "]";
    }
}
